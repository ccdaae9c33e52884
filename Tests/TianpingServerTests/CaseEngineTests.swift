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

/// A toy engine added through the ``CaseEngine`` protocol alone: one finding on the first arrest of each case.
struct FirstArrestEngine: CaseEngine {
    static let rule = CatalogueEntry(id: "TOY-FIRST-ARREST", name: "测试引擎：首次逮捕", description: "每案首次逮捕提示一条（仅用于测试）。",
        citation: "《刑事诉讼法》第八十条", grade: .b, kind: .signal, severity: .high, family: RuleFamily(id: "toy", chineseName: "测试引擎"), mayAlert: true)

    var rules: [CatalogueEntry] { [Self.rule] }

    func findings(in timeline: CaseTimeline, asOf: Timestamp) -> [Finding] {
        guard let arrest = timeline.events.first(where: { $0.event.kind == .arrested && $0.event.occurredAt <= asOf }) else { return [] }
        return [Finding(id: Finding.key(rule: Self.rule.id, caseID: timeline.caseID, anchor: arrest.id), ruleID: Self.rule.id,
            caseID: timeline.caseID, kind: .signal, severity: .high, grade: .b, agency: arrest.event.agency, person: arrest.event.person,
            occurredAt: arrest.event.occurredAt, explanation: "测试引擎：本案首次逮捕。", citation: Self.rule.citation)]
    }
}

/// What issue 15 asks of the pipeline: a new engine plugs in through the protocol, and its findings reach a warning,
/// the rule catalogue, the case page and the API without any other file changing.
@Suite("An engine added through the protocol")
struct CaseEngineTests {
    @Test("a toy engine's findings reach the store, a warning, the catalogue, the findings API and the case page")
    func toyEngine() async throws {
        try await withProvinceStore(cases: 80, seed: 31) { store, _ in
            let pipeline = try AnalysisPipeline.standard(engines: [FirstArrestEngine()])
            #expect(pipeline.catalogue.entry("TOY-FIRST-ARREST")?.name == "测试引擎：首次逮捕")
            let outcome = try await pipeline.processQueue(store: store, asOf: Timestamp("2026-07-01T00:00:00+08:00")!)
            let raised = outcome.summary.byRule["TOY-FIRST-ARREST"] ?? 0
            #expect(raised > 0, "the generated province has arrests")
            let stored = try await store.findings(FindingQuery(rule: "TOY-FIRST-ARREST"), page: 1, pageSize: 500)
            #expect(stored.total == raised)
            let first = try #require(stored.items.first?.finding)
            let warnings = try await store.warnings(scope: .everything, limit: 100_000)
            #expect(warnings.contains { $0.caseID == first.caseID && $0.findingIDs.contains(first.id) }, "the finding feeds its case's warning")

            let session = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: pipeline.procedure,
                catalogue: pipeline.catalogue))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: session)
                let page = try await sup.execute(uri: "/api/v1/findings?rule=TOY-FIRST-ARREST", method: .get) { response -> [String: Any] in
                    #expect(response.status == .ok)
                    return try json(response.body)
                }
                #expect(page["total"] as? Int == raised)
                #expect((page["items"] as? [[String: Any]])?.first?["ruleName"] as? String == "测试引擎：首次逮捕")
                let rules = try await sup.execute(uri: "/api/v1/rules", method: .get) { try json($0.body) }
                #expect((rules["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == "TOY-FIRST-ARREST" })
                let html = try await sup.execute(uri: "/cases/\(first.caseID)", method: .get) { String(buffer: $0.body) }
                #expect(html.contains("测试引擎：首次逮捕"))
            }
        }
    }
}
