/// The stage a case is in, read from its latest event: where it is on the road from police to prison.
public enum CaseStage: String, Codable, Sendable, CaseIterable {
    case accepted  // 受案
    case investigation  // 侦查
    case prosecutionReview = "prosecution_review"  // 审查起诉
    case trial  // 审判
    case execution  // 执行
    case closed  // 结案

    public var chineseName: String {
        switch self {
        case .accepted: return "受案审查"
        case .investigation: return "侦查"
        case .prosecutionReview: return "审查起诉"
        case .trial: return "审判"
        case .execution: return "执行"
        case .closed: return "办结"
        }
    }

    /// The stage a case is in once `event` has happened.
    public init(after event: EventKind) {
        switch event {
        case .caseAccepted: self = .accepted
        case .caseFiled, .summoned, .summonsEnded, .detained, .deliveredToDetentionHouse, .familyNotified, .interrogated,
            .arrestRequested, .arrestApproved, .arrestDenied, .arrested, .bailGranted, .residentialSurveillance,
            .measureLifted, .arrestRequestDeadlineExtended, .custodyExtensionRequested, .custodyExtended,
            .newCrimeDiscovered, .identityEstablished, .assessmentStarted, .assessmentEnded, .caseTransferred:
            self = .investigation
        case .transferredForProsecution, .prosecutionReviewExtended, .returnedForSupplementaryInvestigation,
            .resubmitted:
            self = .prosecutionReview
        case .indicted, .courtAccepted, .indictmentServed, .hearingHeld, .trialPeriodExtended, .procedureSwitched,
            .verdictPronounced, .judgmentServed, .appealed, .protested, .appealForwarded, .secondInstanceAccepted,
            .remanded:
            self = .trial
        case .judgmentEffective, .handedOverForExecution, .admittedToPrison, .communityCorrectionStarted,
            .commutationProposed, .paroleProposed, .publicNotice, .procuratorateOpinion, .commutationRuled,
            .paroleRuled, .temporaryOutsideExecution, .enforcementFiled, .enforcementExtended:
            self = .execution
        case .released, .caseClosed, .enforcementConcluded, .notProsecuted, .caseWithdrawn, .filingDeclined:
            self = .closed
        }
    }
}
