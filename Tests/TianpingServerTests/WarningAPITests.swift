import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAnalysis
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore

@Suite("Warning loop over HTTP")
struct WarningAPITests {
    @Test("a supervisor pushes (in bulk), the responsible agency verifies and rectifies, the supervisor closes; illegal steps refused")
    func loop() async throws {
        try await withProvinceStore(cases: 200, seed: 17) { store, _ in
            let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
            let pipeline = try AnalysisPipeline.standard(clock: ManualClock(asOf))
            _ = try await pipeline.processQueue(store: store, asOf: asOf)
            let engine = pipeline.procedure
            let all = try await store.warnings(scope: .everything)
            let target = try #require(all.first { $0.agency != "-" })
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let staff = try await signIn(store, role: .internalSupervisor, agency: target.agency)
            let leader = try await signIn(store, role: .leader, agency: target.agency)
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let agency = SignedInClient(base: client, session: staff)
                func step(_ c: SignedInClient, _ action: String, _ extra: String = "", comment: String? = "测试") async throws -> HTTPResponse.Status {
                    let said = comment.map { #","comment":"\#($0)""# } ?? ""
                    return try await c.execute(uri: "/api/v1/warnings/\(target.id.replacingOccurrences(of: "|", with: "%7C"))/transitions",
                        method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"action":"\#(action)"\#(extra)\#(said)}"#)) { $0.status }
                }
                let list = try await sup.execute(uri: "/api/v1/warnings?state=pending_push", method: .get) { try json($0.body) }
                #expect((list["total"] as? Int) == all.count)
                let agencyList = try await agency.execute(uri: "/api/v1/warnings", method: .get) { try json($0.body) }
                #expect(((agencyList["items"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == target.id })
                #expect((agencyList["total"] as? Int ?? 0) < all.count, "the agency sees only its own cases' warnings")
                // Bulk push by the supervisor; the agency cannot push.
                #expect(try await step(agency, "push") == .forbidden)
                let pushed = try await sup.execute(uri: "/api/v1/warnings/push", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"ids":["\#(target.id)","NO|SUCH"],"comment":"请核查"}"#)) { try json($0.body) }
                #expect(pushed["pushed"] as? Int == 1)
                #expect(try await step(agency, "close") == .forbidden)
                #expect(try await step(agency, "conclude", #","conclusion":"substantiated""#) == .conflict, "accept first")
                #expect(try await step(agency, "accept") == .ok)
                #expect(try await step(agency, "conclude") == .conflict, "a conclusion is required")
                #expect(try await step(agency, "conclude", #","conclusion":"maybe""#) == .badRequest)
                // A conclusion must say what verification found, through the API as through the form (docs/workflow.md).
                #expect(try await step(agency, "conclude", #","conclusion":"substantiated""#, comment: nil) == .conflict)
                #expect(try await step(agency, "conclude", #","conclusion":"substantiated""#, comment: "  ") == .conflict)
                #expect(try await step(agency, "conclude", #","conclusion":"substantiated""#) == .ok)
                #expect(try await step(agency, "report_rectified", comment: nil) == .conflict, "wrong state anyway, but never without a report")
                #expect(try await step(agency, "start_rectification") == .ok)
                #expect(try await step(agency, "report_rectified") == .ok)
                #expect(try await step(SignedInClient(base: client, session: leader), "close") == .forbidden, "leaders read only")
                #expect(try await step(sup, "close") == .ok)
                let detail = try await sup.execute(uri: "/api/v1/warnings/\(target.id.replacingOccurrences(of: "|", with: "%7C"))", method: .get) { try json($0.body) }
                #expect(detail["state"] as? String == "closed")
                let steps = try #require(detail["transitions"] as? [[String: Any]]).compactMap { $0["to"] as? String }
                #expect(steps == ["pending_push", "pushed", "verifying", "concluded", "rectifying", "rectified", "closed"])
            }
        }
    }
}
