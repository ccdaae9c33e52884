import TianpingCore

/// One statutory clock of a case as a bar on its timeline: when it started, its legal deadline, and when the act
/// that stops it came — or that it is still running, with the time left.
public struct StageBar: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case onTime = "on_time"
        case late
        case running
        case runningOverdue = "running_overdue"
    }

    public var clockID: String
    public var ruleID: String
    /// The act that stops the clock, in Chinese (`提请批准逮捕`).
    public var action: String
    public var agency: String?
    public var startedAt: Timestamp
    public var dueAt: Timestamp
    /// When the act came; `nil` while the clock runs.
    public var endedAt: Timestamp?
    public var status: Status
    /// For a running clock: seconds left at `asOf` (negative when overdue).
    public var secondsLeft: Int64?
}

extension RuleEngine {
    /// Every clock the case has had, replayed from its own events: the case is evaluated as it stood at each of its
    /// moments, so a clock's start and deadline are the engine's own and its end is the moment it stopped running.
    /// Deterministic, like ``evaluate(_:asOf:)``; a few dozen evaluations per case (microseconds each). A clock that
    /// starts and stops at the same instant is never seen running and has no bar; a clock that stopped for another
    /// reason than the act (a suspension) shows as stopped within its limit, which the table words as such.
    public func stageBars(_ timeline: CaseTimeline, asOf: Timestamp) -> [StageBar] {
        let moments = Set(timeline.events.map(\.at).filter { $0 <= asOf }).sorted()
        // The last observation of each clock before it stopped: an extension, an excluded period or a restart keeps
        // the clock's id but moves its deadline, and the bar must show the deadline that was in force at the end.
        var latest: [String: RunningClock] = [:]
        var order: [String] = []
        var stopped: [String: Timestamp] = [:]
        var previous: Set<String> = []
        for moment in moments {
            let clocks = evaluate(timeline, asOf: moment).clocks
            let ids = Set(clocks.map(\.id))
            for clock in clocks {
                if latest[clock.id] == nil { order.append(clock.id) }
                latest[clock.id] = clock
                stopped[clock.id] = nil  // running again (restarted under the same id)
            }
            for id in previous where !ids.contains(id) { stopped[id] = moment }
            previous = ids
        }
        let current = Dictionary(evaluate(timeline, asOf: asOf).clocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return order.compactMap { id -> StageBar? in
            guard let clock = latest[id] else { return nil }
            if let end = stopped[id] {
                return StageBar(clockID: id, ruleID: clock.ruleID, action: clock.action, agency: clock.agency, startedAt: clock.startedAt,
                    dueAt: clock.dueAt, endedAt: end, status: end > clock.dueAt ? .late : .onTime, secondsLeft: nil)
            }
            guard let now = current[id] else { return nil }
            return StageBar(clockID: id, ruleID: now.ruleID, action: now.action, agency: now.agency, startedAt: now.startedAt, dueAt: now.dueAt,
                endedAt: nil, status: now.secondsLeft < 0 ? .runningOverdue : .running, secondsLeft: now.secondsLeft)
        }.sorted { ($0.startedAt, $0.clockID) < ($1.startedAt, $1.clockID) }
    }
}
