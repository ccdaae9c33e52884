/// A procedural event: every act that starts, stops, extends or restarts a statutory clock, and the other
/// milestones a supervisor reads on a case's timeline.
///
/// Raw values are the stable identifiers of the exchange format; ``chineseName`` is what users see.
/// The clocks these events drive are listed in `docs/exchange-format.md` with their legal basis.
public enum EventKind: String, Codable, Sendable, CaseIterable {
    // 受案与立案 (MPS-Rules 169–182)
    case caseAccepted = "case_accepted"
    case caseFiled = "case_filed"
    case filingDeclined = "filing_declined"
    case caseTransferred = "case_transferred"
    // 强制措施 (CPL 66–100, 119)
    case summoned
    case summonsEnded = "summons_ended"
    case detained
    case deliveredToDetentionHouse = "delivered_to_detention_house"
    case familyNotified = "family_notified"
    case interrogated
    case arrestRequested = "arrest_requested"
    case arrestApproved = "arrest_approved"
    case arrestDenied = "arrest_denied"
    case arrested
    case bailGranted = "bail_granted"
    case residentialSurveillance = "residential_surveillance"
    case measureLifted = "measure_lifted"
    case arrestRequestDeadlineExtended = "arrest_request_deadline_extended"
    // 侦查羁押 (CPL 156–160)
    case custodyExtensionRequested = "custody_extension_requested"
    case custodyExtended = "custody_extended"
    case newCrimeDiscovered = "new_crime_discovered"
    case identityEstablished = "identity_established"
    case assessmentStarted = "assessment_started"
    case assessmentEnded = "assessment_ended"
    // 审查起诉 (CPL 169–182)
    case transferredForProsecution = "transferred_for_prosecution"
    case prosecutionReviewExtended = "prosecution_review_extended"
    case returnedForSupplementaryInvestigation = "returned_for_supplementary_investigation"
    case resubmitted
    case indicted
    case notProsecuted = "not_prosecuted"
    case caseWithdrawn = "case_withdrawn"
    // 审判 (CPL 186–260; CivPL; AdmPL)
    case courtAccepted = "court_accepted"
    case indictmentServed = "indictment_served"
    case hearingHeld = "hearing_held"
    case trialPeriodExtended = "trial_period_extended"
    case procedureSwitched = "procedure_switched"
    case verdictPronounced = "verdict_pronounced"
    case judgmentServed = "judgment_served"
    case appealed
    case protested
    case appealForwarded = "appeal_forwarded"
    case secondInstanceAccepted = "second_instance_accepted"
    case remanded
    case judgmentEffective = "judgment_effective"
    case caseClosed = "case_closed"
    // 执行 (CPL 261–276)
    case handedOverForExecution = "handed_over_for_execution"
    case admittedToPrison = "admitted_to_prison"
    case communityCorrectionStarted = "community_correction_started"
    case commutationProposed = "commutation_proposed"
    case paroleProposed = "parole_proposed"
    case publicNotice = "public_notice"
    case procuratorateOpinion = "procuratorate_opinion"
    case commutationRuled = "commutation_ruled"
    case paroleRuled = "parole_ruled"
    case temporaryOutsideExecution = "temporary_outside_execution"
    case released
    // 民事、行政执行 (CivPL 247–255)
    case enforcementFiled = "enforcement_filed"
    case enforcementExtended = "enforcement_extended"
    case enforcementConcluded = "enforcement_concluded"

    public var chineseName: String {
        switch self {
        case .caseAccepted: return "受案"
        case .caseFiled: return "立案"
        case .filingDeclined: return "不予立案"
        case .caseTransferred: return "移送管辖"
        case .summoned: return "传唤"
        case .summonsEnded: return "传唤结束"
        case .detained: return "拘留"
        case .deliveredToDetentionHouse: return "送看守所羁押"
        case .familyNotified: return "通知家属"
        case .interrogated: return "讯问"
        case .arrestRequested: return "提请批准逮捕"
        case .arrestApproved: return "批准逮捕"
        case .arrestDenied: return "不批准逮捕"
        case .arrested: return "逮捕"
        case .bailGranted: return "取保候审"
        case .residentialSurveillance: return "监视居住"
        case .measureLifted: return "解除强制措施"
        case .arrestRequestDeadlineExtended: return "延长提请批准逮捕期限"
        case .custodyExtensionRequested: return "提请延长侦查羁押期限"
        case .custodyExtended: return "延长侦查羁押期限"
        case .newCrimeDiscovered: return "发现另有重要罪行"
        case .identityEstablished: return "查清身份"
        case .assessmentStarted: return "精神病鉴定开始"
        case .assessmentEnded: return "精神病鉴定结束"
        case .transferredForProsecution: return "移送审查起诉"
        case .prosecutionReviewExtended: return "延长审查起诉期限"
        case .returnedForSupplementaryInvestigation: return "退回补充侦查"
        case .resubmitted: return "补充侦查后重新移送"
        case .indicted: return "提起公诉"
        case .notProsecuted: return "不起诉"
        case .caseWithdrawn: return "撤销案件"
        case .courtAccepted: return "法院受理"
        case .indictmentServed: return "送达起诉书副本"
        case .hearingHeld: return "开庭"
        case .trialPeriodExtended: return "延长审理期限"
        case .procedureSwitched: return "程序转换"
        case .verdictPronounced: return "宣判"
        case .judgmentServed: return "送达裁判文书"
        case .appealed: return "上诉"
        case .protested: return "抗诉"
        case .appealForwarded: return "移送上诉案件"
        case .secondInstanceAccepted: return "二审受理"
        case .remanded: return "发回重审"
        case .judgmentEffective: return "裁判生效"
        case .caseClosed: return "结案"
        case .handedOverForExecution: return "交付执行"
        case .admittedToPrison: return "收监"
        case .communityCorrectionStarted: return "社区矫正报到"
        case .commutationProposed: return "提请减刑"
        case .paroleProposed: return "提请假释"
        case .publicNotice: return "公示"
        case .procuratorateOpinion: return "检察意见"
        case .commutationRuled: return "减刑裁定"
        case .paroleRuled: return "假释裁定"
        case .temporaryOutsideExecution: return "暂予监外执行"
        case .released: return "释放"
        case .enforcementFiled: return "执行立案"
        case .enforcementExtended: return "延长执行期限"
        case .enforcementConcluded: return "执行结案"
        }
    }

    /// Case types in which the event can occur; an event for another type is rejected at ingest.
    public var applicableCaseTypes: Set<CaseType> {
        switch self {
        case .courtAccepted, .hearingHeld, .trialPeriodExtended, .procedureSwitched, .verdictPronounced,
            .judgmentServed, .appealed, .secondInstanceAccepted, .remanded, .judgmentEffective, .appealForwarded,
            .caseClosed, .caseAccepted, .caseFiled, .filingDeclined, .caseTransferred:
            return [.criminal, .civil, .administrative]
        case .protested:
            return [.criminal, .civil, .administrative]
        case .enforcementFiled, .enforcementExtended, .enforcementConcluded:
            return [.enforcement]
        default:
            return [.criminal]
        }
    }

    /// Agency kinds that may record the event; `nil` when any agency may.
    public var actingAgencyKinds: Set<AgencyKind>? {
        switch self {
        case .caseAccepted, .caseFiled, .filingDeclined, .caseTransferred, .caseWithdrawn:
            return [.publicSecurity, .procuratorate, .court]
        case .summoned, .summonsEnded, .detained, .arrested, .arrestRequested, .arrestRequestDeadlineExtended,
            .custodyExtensionRequested, .newCrimeDiscovered, .identityEstablished, .transferredForProsecution,
            .resubmitted:
            return [.publicSecurity, .procuratorate]
        case .deliveredToDetentionHouse: return [.publicSecurity, .detentionHouse]
        case .arrestApproved, .arrestDenied, .custodyExtended, .prosecutionReviewExtended,
            .returnedForSupplementaryInvestigation, .indicted, .notProsecuted, .protested, .procuratorateOpinion:
            return [.procuratorate]
        case .courtAccepted, .indictmentServed, .hearingHeld, .trialPeriodExtended, .procedureSwitched,
            .verdictPronounced, .judgmentServed, .appealForwarded, .secondInstanceAccepted, .remanded,
            .judgmentEffective, .caseClosed, .handedOverForExecution, .commutationRuled, .paroleRuled,
            .enforcementFiled, .enforcementExtended, .enforcementConcluded:
            return [.court]
        case .admittedToPrison, .commutationProposed, .paroleProposed, .publicNotice:
            return [.prison, .detentionHouse]
        case .communityCorrectionStarted: return [.communityCorrection, .justiceAdministration]
        case .temporaryOutsideExecution: return [.court, .prison, .publicSecurity]
        default: return nil
        }
    }
}
