import TianpingAccess

/// Who may take a step on a warning and what the step requires, decided once for the store, the JSON API and the
/// workbench's forms (they each coded it before, and only the form asked for a reason).
public enum WarningPolicy {
    /// Steps that must say why (`docs/workflow.md`): a conclusion states what verification found, a report what was
    /// rectified, a return why the answer was not accepted.
    public static func requiresComment(_ action: WarningAction) -> Bool {
        action == .conclude || action == .reportRectified || action == .returnForReverification
    }

    /// The shortest reason accepted, in characters other than white space.
    public static let minimumCommentLength = 2

    /// The form label of an action's comment.
    public static func commentLabel(_ action: WarningAction) -> String {
        switch action {
        case .conclude: return "核查情况及理由"
        case .reportRectified: return "整改情况"
        case .returnForReverification: return "退回理由"
        default: return "意见（可选）"
        }
    }

    /// Why this principal may not take `action` on a warning addressed to `agency`, or `nil` if it may: the role must
    /// be one the action allows; the responsible agency's own steps are for its own staff.
    public static func refusal(_ action: WarningAction, by principal: Principal, warningAgency agency: String) -> String? {
        guard let role = principal.role, action.roles.contains(role) else { return "当前账户无权\(action.chineseName)" }
        if !action.bySupervisor, principal.agency != agency { return "只有责任单位（\(agency)）的人员可以\(action.chineseName)" }
        return nil
    }

    /// Why the comment does not do for this action, or `nil`.
    public static func commentRefusal(_ action: WarningAction, comment: String?) -> String? {
        guard requiresComment(action) else { return nil }
        let written = (comment ?? "").filter { !$0.isWhitespace }
        return written.count < minimumCommentLength ? "请填写\(commentLabel(action))（至少\(minimumCommentLength)个字）" : nil
    }

    /// The steps this principal may take now on a warning in `state` addressed to `agency`.
    public static func allowedActions(state: WarningState, conclusion: VerificationConclusion?, agency: String, principal: Principal)
        -> [WarningAction]
    {
        WarningAction.allCases.filter { action in
            guard refusal(action, by: principal, warningAgency: agency) == nil else { return false }
            let chosen: VerificationConclusion? = action == .conclude ? .substantiated : nil
            return (try? WarningLifecycle.next(from: state, action, conclusion: chosen, previousConclusion: conclusion)) != nil
        }
    }
}
