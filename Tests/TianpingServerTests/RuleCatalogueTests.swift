import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingServer
import TianpingStore

/// Every rule that can raise a finding is in one catalogue and is queryable and named everywhere (issue 14, item 6):
/// the findings API refused `rule=SENT-BELOW-MINIMUM` and the case page showed no name for sentencing and ledger findings.
@Suite("One rule catalogue")
struct RuleCatalogueTests {
    @Test("the platform catalogue holds the pack, the sentencing review and the ledger audit, each named and cited once")
    func catalogue() throws {
        let pack = try RulePack.bundled()
        let catalogue = RuleCatalogue.platform(pack: pack)
        #expect(catalogue.entries.count == pack.rules.count + SentencingRules.all.count + 1)
        #expect(Set(catalogue.entries.map(\.id)).count == catalogue.entries.count, "ids are unique")
        for entry in catalogue.entries {
            #expect(!entry.name.isEmpty && !entry.citation.isEmpty, "\(entry.id)")
        }
        #expect(catalogue.entry("SENT-BELOW-MINIMUM")?.family == .sentencing)
        #expect(catalogue.entry("SENT-PROBATION-TERM")?.grade == .a)
        #expect(catalogue.entry(Finding.ledgerAuditRuleID)?.name == "存证日志自检")
        #expect(catalogue.entry("M6")?.family == .procedure)
        #expect(catalogue.name("NO-SUCH-RULE") == "NO-SUCH-RULE")
    }

    @Test("sentencing and ledger findings are filtered by rule in the API, listed in /rules and named on the case page")
    func everyFamilyIsFirstClass() async throws {
        try await withProvinceStore(cases: 60, seed: 21) { store, _ in
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
            let caseID = try #require(try await store.caseIDs(after: nil, limit: 1).first)
            let below = Finding(id: Finding.key(rule: "SENT-BELOW-MINIMUM", caseID: caseID, anchor: "J1"), ruleID: "SENT-BELOW-MINIMUM",
                caseID: caseID, kind: .signal, severity: .high, grade: .a, agency: nil, person: nil, occurredAt: asOf,
                explanation: "宣告刑低于法定最低刑（测试）。", citation: "《刑法》第六十三条")
            let audit = Finding.integrity(id: Finding.key(rule: Finding.ledgerAuditRuleID, caseID: caseID, anchor: "leaf-1"), caseID: caseID,
                explanation: "存证日志自检：记录与叶子不一致（测试）。", citation: Finding.ledgerAuditCitation, at: asOf)
            _ = try await store.sync([CaseEvaluation(caseID: caseID, asOf: asOf, findings: [below, audit], clocks: [])],
                packVersion: engine.pack.version, now: asOf, onlyRules: ["SENT-BELOW-MINIMUM", Finding.ledgerAuditRuleID])
            let session = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: session)
                for (rule, name, total) in [("SENT-BELOW-MINIMUM", "低于法定最低刑且无减轻处罚情节", 1), ("SENT-COHORT-OUTLIER", nil, 0),
                    (Finding.ledgerAuditRuleID, "存证日志自检", 1)]
                {
                    let page = try await sup.execute(uri: "/api/v1/findings?rule=\(rule)", method: .get) { response -> [String: Any] in
                        #expect(response.status == .ok, "\(rule)")
                        return try json(response.body)
                    }
                    #expect(page["total"] as? Int == total, "\(rule)")
                    if let name { #expect((page["items"] as? [[String: Any]])?.first?["ruleName"] as? String == name) }
                }
                try await sup.execute(uri: "/api/v1/findings?rule=NO-SUCH-RULE", method: .get) { #expect($0.status == .badRequest) }
                let rules = try await sup.execute(uri: "/api/v1/rules", method: .get) { try json($0.body) }
                let ids = Set((rules["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                #expect(ids.isSuperset(of: Set(SentencingRules.all.map(\.id) + [Finding.ledgerAuditRuleID, "M6"])))
                let page = try await sup.execute(uri: "/cases/\(caseID)", method: .get) { String(buffer: $0.body) }
                #expect(page.contains("低于法定最低刑且无减轻处罚情节"))
                #expect(page.contains("存证日志自检"))
                let cataloguePage = try await sup.execute(uri: "/workbench/rules", method: .get) { String(buffer: $0.body) }
                #expect(cataloguePage.contains("存证日志自检"))
            }
        }
    }
}
