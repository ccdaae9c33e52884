import Logging
import TianpingCore
import TianpingStore

/// Escalates warnings whose current step is past its deadline, every `interval` seconds while the server runs: the
/// closed loop's clock, beside the analysis that feeds it.
public struct WarningEscalation: Sendable {
    public let store: TianpingStore
    public let interval: Double
    public let clock: any PlatformClock
    let logger = Logger(label: "tianping.warnings")

    public init(store: TianpingStore, interval: Double, clock: any PlatformClock = SystemClock()) {
        self.store = store
        self.interval = interval
        self.clock = clock
    }

    /// One pass at the clock's current moment: the ids of the warnings raised by a grade.
    public func escalate() async throws -> [String] {
        try await store.escalateOverdueWarnings(now: clock.now().secondsSinceEpoch)
    }

    /// Runs until the task is cancelled.
    public func run() async {
        guard interval > 0 else { return }
        while !Task.isCancelled {
            do {
                let raised = try await escalate()
                if !raised.isEmpty { logger.notice("escalated \(raised.count) overdue warnings") }
            } catch {
                logger.error("warning escalation failed: \(String(reflecting: error))")
            }
            do { try await Task.sleep(for: .seconds(interval)) } catch { return }
        }
    }
}
