import Foundation
import Synchronization

/// Where the platform reads "now": passed to the application, the analysis pipeline and the background jobs, so a
/// test moves time (a deadline passes, a session expires, a step becomes overdue) instead of back-dating its data.
public protocol PlatformClock: Sendable {
    func now() -> Timestamp
}

/// The machine's clock, to the second.
public struct SystemClock: PlatformClock {
    public init() {}
    public func now() -> Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
}

/// A clock that stands still until told to move: for tests.
///
/// ```swift
/// let clock = ManualClock(Timestamp("2026-07-01T09:00:00+08:00")!)
/// clock.advance(days: 31)
/// ```
public final class ManualClock: PlatformClock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp) { current = Mutex(start) }

    public func now() -> Timestamp { current.withLock { $0 } }

    public func set(_ moment: Timestamp) { current.withLock { $0 = moment } }

    public func advance(seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }

    public func advance(days: Int) { advance(seconds: Int64(days) * 86_400) }
}
