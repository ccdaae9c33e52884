/// The violations the generator plants, each with the rule it breaks and that rule's legal basis.
///
/// Codes are stable: risk engines are scored against `ground-truth.jsonl` by (case, code).
public enum PlantedViolation: String, Codable, Sendable, CaseIterable {
    case familyNoticeLate = "FAMILY_NOTICE_LATE"
    case firstInterrogationLate = "FIRST_INTERROGATION_LATE"
    case arrestRequestLate = "ARREST_REQUEST_LATE"
    case arrestDecisionLate = "ARREST_DECISION_LATE"
    case arrestWithoutApproval = "ARREST_WITHOUT_APPROVAL"
    case investigationCustodyOverdue = "INVESTIGATION_CUSTODY_OVERDUE"
    case extensionWrongApprover = "EXTENSION_WRONG_APPROVER"
    case thirdSupplementaryReturn = "THIRD_SUPPLEMENTARY_RETURN"
    case prosecutionReviewOverdue = "PROSECUTION_REVIEW_OVERDUE"
    case trialOverdue = "TRIAL_OVERDUE"
    case missingDetentionWarrant = "MISSING_DETENTION_WARRANT"
    case missingArrestWarrant = "MISSING_ARREST_WARRANT"
    case executionHandoverLate = "EXECUTION_HANDOVER_LATE"
    case civilTrialOverdue = "CIVIL_TRIAL_OVERDUE"
    case administrativeTrialOverdue = "ADMINISTRATIVE_TRIAL_OVERDUE"
    case enforcementOverdue = "ENFORCEMENT_OVERDUE"
    case commutationTooEarly = "COMMUTATION_TOO_EARLY"
    case commutationTooLarge = "COMMUTATION_TOO_LARGE"
    case commutationIntervalShort = "COMMUTATION_INTERVAL_SHORT"
    case paroleTooEarly = "PAROLE_TOO_EARLY"
    case paroleBarred = "PAROLE_BARRED"

    /// The rule id in `shared/domain` (procedure-deadlines.md, evidence-and-documents.md).
    public var ruleReference: String {
        switch self {
        case .familyNoticeLate: return "M4"
        case .firstInterrogationLate: return "M5"
        case .arrestRequestLate: return "M6"
        case .arrestDecisionLate: return "M7"
        case .arrestWithoutApproval: return "CPL80"
        case .investigationCustodyOverdue: return "I1"
        case .extensionWrongApprover: return "I2"
        case .thirdSupplementaryReturn: return "P4"
        case .prosecutionReviewOverdue: return "P1"
        case .trialOverdue: return "T3"
        case .missingDetentionWarrant: return "M2"
        case .missingArrestWarrant: return "M12"
        case .executionHandoverLate: return "E1"
        case .civilTrialOverdue: return "V3"
        case .administrativeTrialOverdue: return "W5"
        case .enforcementOverdue: return "V10"
        case .commutationTooEarly: return "CP-START"
        case .commutationTooLarge: return "CP-CAP"
        case .commutationIntervalShort: return "CP-INTERVAL"
        case .paroleTooEarly: return "CP-PAROLE-EARLY"
        case .paroleBarred: return "CP-PAROLE-BARRED"
        }
    }

    public var legalBasis: String {
        switch self {
        case .familyNoticeLate: return "《刑事诉讼法》第八十五条第二款"
        case .firstInterrogationLate: return "《刑事诉讼法》第八十六条"
        case .arrestRequestLate: return "《刑事诉讼法》第九十一条第一款"
        case .arrestDecisionLate: return "《刑事诉讼法》第九十一条第三款"
        case .arrestWithoutApproval: return "《刑事诉讼法》第八十条"
        case .investigationCustodyOverdue: return "《刑事诉讼法》第一百五十六条"
        case .extensionWrongApprover: return "《刑事诉讼法》第一百五十六条"
        case .thirdSupplementaryReturn: return "《刑事诉讼法》第一百七十五条第三款"
        case .prosecutionReviewOverdue: return "《刑事诉讼法》第一百七十二条第一款"
        case .trialOverdue: return "《刑事诉讼法》第二百零八条第一款"
        case .missingDetentionWarrant: return "《刑事诉讼法》第八十五条第一款"
        case .missingArrestWarrant: return "《刑事诉讼法》第九十三条"
        case .executionHandoverLate: return "《刑事诉讼法》第二百六十四条第一款；《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第五百一十一条"
        case .civilTrialOverdue: return "《民事诉讼法》第一百六十四条"
        case .administrativeTrialOverdue: return "《行政诉讼法》第八十一条"
        case .enforcementOverdue: return "《最高人民法院关于严格执行案件审理期限制度的若干规定》第五条"
        case .commutationTooEarly: return "《最高人民法院关于办理减刑、假释案件具体应用法律的规定》（法释〔2016〕23号）第六条第一款、第七条"
        case .commutationTooLarge: return "《最高人民法院关于办理减刑、假释案件具体应用法律的规定》（法释〔2016〕23号）第六条第二款"
        case .commutationIntervalShort: return "《最高人民法院关于办理减刑、假释案件具体应用法律的规定》（法释〔2016〕23号）第六条第三款、第七条、第四十条第二款"
        case .paroleTooEarly: return "《中华人民共和国刑法》第八十一条第一款；《最高人民法院关于办理减刑、假释案件具体应用法律的规定》（法释〔2016〕23号）第二十三条第一款"
        case .paroleBarred: return "《中华人民共和国刑法》第八十一条第二款；《最高人民法院关于办理减刑、假释案件具体应用法律的规定》（法释〔2016〕23号）第二十五条"
        }
    }

    public var chineseDescription: String {
        switch self {
        case .familyNoticeLate: return "拘留后超过二十四小时才通知家属"
        case .firstInterrogationLate: return "拘留后超过二十四小时才进行讯问"
        case .arrestRequestLate: return "拘留后超过三日提请批准逮捕，且无延长审批"
        case .arrestDecisionLate: return "检察院收到提请批准逮捕书后超过七日作出批准决定"
        case .arrestWithoutApproval: return "未经检察院批准即执行逮捕"
        case .investigationCustodyOverdue: return "逮捕后侦查羁押超过二个月，且无延长批准"
        case .extensionWrongApprover: return "延长侦查羁押期限未经上一级人民检察院批准（由同级检察院批准）"
        case .thirdSupplementaryReturn: return "退回补充侦查超过两次"
        case .prosecutionReviewOverdue: return "审查起诉超过一个月，且无延长"
        case .trialOverdue: return "一审普通程序受理后超过三个月宣判，且无上级法院批准延长"
        case .missingDetentionWarrant: return "执行拘留无拘留证"
        case .missingArrestWarrant: return "执行逮捕无逮捕证"
        case .executionHandoverLate: return "判决生效后超过十日才交付执行"
        case .civilTrialOverdue: return "民事简易程序立案后超过三个月审结，且无延长"
        case .administrativeTrialOverdue: return "行政一审立案后超过六个月作出判决，且无延长批准"
        case .enforcementOverdue: return "执行立案后超过六个月未执结，且无延长"
        case .commutationTooEarly: return "交付执行不足一年即报请首次减刑，且无重大立功"
        case .commutationTooLarge: return "仅以确有悔改表现一次减刑超过九个月"
        case .commutationIntervalShort: return "距上次减刑裁定送达不足一年即再次报请减刑"
        case .paroleTooEarly: return "执行不足原判刑期二分之一即被假释"
        case .paroleBarred: return "累犯被假释"
        }
    }

    /// Further rules the planted defect necessarily breaks too (an engine that reports them is right).
    public var consequences: [String] {
        switch self {
        case .extensionWrongApprover: return ["I1"]
        // No decision on the request ever comes: both the decision period and the pre-arrest ceiling run out.
        case .arrestWithoutApproval: return ["M7", "M8"]
        default: return []
        }
    }
}
