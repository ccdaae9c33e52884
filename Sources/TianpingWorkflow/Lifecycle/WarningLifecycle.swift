import TianpingAccess

/// Where a warning is in the closed loop.
public enum WarningState: String, Sendable, Codable, CaseIterable {
    case pendingPush = "pending_push"
    case pushed
    case verifying
    case concluded
    case rectifying
    case rectified
    case closed

    public var chineseName: String {
        switch self {
        case .pendingPush: return "待推送"
        case .pushed: return "已推送"
        case .verifying: return "核查中"
        case .concluded: return "核查结论"
        case .rectifying: return "整改中"
        case .rectified: return "已整改"
        case .closed: return "已办结"
        }
    }
}

/// 属实 / 部分属实 / 不属实: the responsible agency's answer after verification (核查).
public enum VerificationConclusion: String, Sendable, Codable, CaseIterable {
    case substantiated
    case partlySubstantiated = "partly_substantiated"
    case unsubstantiated

    public var chineseName: String {
        switch self {
        case .substantiated: return "属实"
        case .partlySubstantiated: return "部分属实"
        case .unsubstantiated: return "不属实"
        }
    }
}

/// What someone does to a warning. Supervisors push, return a conclusion for re-verification and close; the
/// responsible agency accepts, concludes, rectifies and reports the rectification.
public enum WarningAction: String, Sendable, Codable, CaseIterable {
    case push
    case accept
    case conclude
    case returnForReverification = "return_for_reverification"
    case startRectification = "start_rectification"
    case reportRectified = "report_rectified"
    case close

    public var chineseName: String {
        switch self {
        case .push: return "推送"
        case .accept: return "签收核查"
        case .conclude: return "提交核查结论"
        case .returnForReverification: return "退回重新核查"
        case .startRectification: return "开始整改"
        case .reportRectified: return "报告整改完成"
        case .close: return "办结"
        }
    }

    /// Supervisors act on the loop; the responsible agency acts on its own warning.
    public var bySupervisor: Bool { self == .push || self == .returnForReverification || self == .close }

    /// Roles that may take this action (within their data scope). An agency's internal supervisor coordinates its
    /// own agency's answer; pushing, returning and closing are for the external supervisors, so that no agency
    /// closes its own warnings.
    public var roles: Set<Role> {
        bySupervisor ? [.committeeSupervisor, .procuratorialSupervisor] : [.internalSupervisor, .caseOfficer]
    }
}

/// Why a transition was refused.
public struct LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The closed loop as a table of allowed transitions, and each step's own deadline.
public enum WarningLifecycle {
    /// The state after `action` from `state`; a conclusion is required to conclude and decides the next steps:
    /// an unsubstantiated warning may be closed at once, a substantiated one must be rectified first.
    public static func next(from state: WarningState, _ action: WarningAction, conclusion: VerificationConclusion? = nil,
        previousConclusion: VerificationConclusion? = nil) throws(LifecycleError) -> WarningState
    {
        switch (state, action) {
        case (.pendingPush, .push): return .pushed
        case (.pushed, .accept): return .verifying
        case (.verifying, .conclude):
            guard conclusion != nil else { throw LifecycleError(message: "提交核查结论须选择：属实、部分属实或不属实") }
            return .concluded
        case (.concluded, .returnForReverification): return .verifying
        case (.concluded, .startRectification):
            guard previousConclusion != .unsubstantiated else { throw LifecycleError(message: "核查结论为不属实，无需整改，可由监督人员办结或退回重新核查") }
            return .rectifying
        case (.concluded, .close):
            guard previousConclusion == .unsubstantiated else { throw LifecycleError(message: "核查属实或部分属实的预警须整改完成后方可办结") }
            return .closed
        case (.rectifying, .reportRectified): return .rectified
        case (.rectified, .returnForReverification): return .rectifying
        case (.rectified, .close): return .closed
        default:
            throw LifecycleError(message: "“\(state.chineseName)”状态下不能\(action.chineseName)")
        }
    }
}

/// How long each step may take, in days from entering it; a step past its deadline escalates. Platform defaults,
/// set per province (the supervision rules require timely verification and rectification without fixing days).
public struct StepDeadlines: Sendable, Codable, Hashable {
    public var days: [String: Int]

    public init(days: [WarningState: Int] = [.pendingPush: 1, .pushed: 3, .verifying: 15, .concluded: 5, .rectifying: 30, .rectified: 7]) {
        self.days = Dictionary(uniqueKeysWithValues: days.map { ($0.key.rawValue, $0.value) })
    }

    /// The deadline of a step entered at `enteredAt` (seconds), or `nil` for a closed warning.
    public func dueAt(_ state: WarningState, enteredAt: Int64) -> Int64? {
        days[state.rawValue].map { enteredAt + Int64($0) * 86_400 }
    }

    public func isOverdue(_ state: WarningState, enteredAt: Int64, now: Int64) -> Bool {
        dueAt(state, enteredAt: enteredAt).map { now > $0 } ?? false
    }
}
