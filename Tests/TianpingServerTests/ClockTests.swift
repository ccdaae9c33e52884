import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingAnalysis
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore
import TianpingWorkflow

/// One clock passed to the application, the pipeline and the jobs: tests move time instead of back-dating data.
@Suite("An injectable clock")
struct InjectableClockTests {
    @Test("moving the clock expires a session, makes a pending warning overdue and escalates it once")
    func movingTime() async throws {
        try await withProvinceStore(cases: 60, seed: 41) { store, _ in
            let start = Timestamp("2026-07-01T09:00:00+08:00")!
            let clock = ManualClock(start)
            let pipeline = try AnalysisPipeline.standard(clock: clock)
            _ = try await pipeline.processQueue(store: store, asOf: start)
            let pending = try await store.warnings(state: .pendingPush, scope: .everything, limit: 10)
            let warning = try #require(pending.first, "the generated province has warnings")
            #expect(warning.stateEnteredAt == start.secondsSinceEpoch, "the pipeline stamped the warning with its clock")

            let escalation = WarningEscalation(store: store, interval: 0, clock: clock)
            #expect(try await escalation.escalate().isEmpty, "nothing is overdue yet")
            let account = try await store.addAccount(username: "clock-\(UUID().uuidString.prefix(6))", displayName: "测试",
                agency: try await committee(store), role: .committeeSupervisor, password: "correct horse battery", now: start.secondsSinceEpoch)
            let session = try await store.openSession(accountID: account.id, address: "127.0.0.1", now: start.secondsSinceEpoch)
            let app = Application(router: try TianpingApplication.router(store: store, engine: pipeline.procedure, clock: clock))
            try await app.test(.router) { client in
                let signedIn = SignedInClient(base: client, session: session)
                try await signedIn.execute(uri: "/api/v1/me", method: .get) { #expect($0.status == .ok) }
                clock.advance(days: 30)
                try await signedIn.execute(uri: "/api/v1/me", method: .get) { #expect($0.status == .unauthorized, "the 8-hour session expired") }
            }
            let raised = try await escalation.escalate()
            #expect(raised.contains(warning.id), "a month later the push step is overdue")
            #expect(try await escalation.escalate().isEmpty, "once per step")
        }
    }
}
