import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingRetrieval
import TianpingRules
import TianpingServer
import TianpingStore

@Suite("Similar-case retrieval over HTTP")
struct JudgmentLibraryAPITests {
    static func line(_ id: String, _ text: String) -> Data {
        try! JSONEncoder().encode(LibraryJudgment(id: id, source: "test", title: "\(id)刑事判决书", text: text))
    }

    @Test("a signed-in supervisor searches the library and gets explained hits; filters apply; an import is found at once; bad parameters are refused; anonymous callers are not served")
    func search() async throws {
        try await withEmptyStore { store in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-api-index-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            _ = try await store.importJudgments([
                (1, Self.line("test:theft", "安徽省涡阳县人民法院刑事判决书（2018）皖1621刑初101号。经审理查明，被告人张三撬开车库门盗窃电动车一辆。本院认为，被告人张三的行为已构成盗窃罪。判决如下：被告人张三犯盗窃罪，判处有期徒刑八个月。")),
                (2, Self.line("test:fraud", "江苏省南京市中级人民法院刑事判决书（2020）苏01刑初5号。经审理查明，被告人王五冒充银行工作人员骗取钱款。本院认为，其行为已构成诈骗罪。判决如下：被告人王五犯诈骗罪，判处有期徒刑四年。")),
            ], sourceName: "fixture.jsonl")
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let routes = try TianpingApplication.routes(store: store, engine: engine, libraryIndex: directory)
            try await Application(router: routes.router).test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let q = "被告人撬开车库门盗窃电动车".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                let charge = "盗窃罪".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                let found = try await sup.execute(uri: "/api/v1/judgments/search?q=\(q)&charge=\(charge)", method: .get) {
                    #expect($0.status == .ok)
                    return try json($0.body)
                }
                #expect(found["libraryCount"] as? Int == 2)
                let hits = try #require(found["hits"] as? [[String: Any]])
                #expect(hits.first?["id"] as? String == "test:theft" && hits.first?["chargeShare"] as? Double == 1)
                let explanation = try #require(hits.first?["explanation"] as? [String: Any])
                #expect(explanation["sharedCharges"] as? [String] == ["盗窃罪"])
                #expect(explanation["sentences"] as? [String] == ["张三：盗窃罪，有期徒刑8个月"])
                #expect((explanation["passages"] as? [[String: Any]])?.isEmpty == false)

                // Filters: only intermediate courts.
                let filtered = try await sup.execute(uri: "/api/v1/judgments/search?q=\(q)&courtLevel=intermediate", method: .get) { try json($0.body) }
                #expect((filtered["hits"] as? [[String: Any]])?.map { $0["id"] as? String } == ["test:fraud"])

                // A judgment imported after the server started is found in the next search; a withdrawn one is gone.
                _ = try await store.importJudgments([(1, Self.line("test:late", "经审理查明，被告人赵六深夜撬开车库门盗窃摩托车一辆。判决如下：被告人赵六犯盗窃罪，判处拘役五个月。"))],
                    sourceName: "late.jsonl")
                try await store.withdrawJudgments(["test:theft"])
                let moto = "摩托车".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                let later = try await sup.execute(uri: "/api/v1/judgments/search?q=\(moto)&limit=5", method: .get) { try json($0.body) }
                let ids = (later["hits"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(ids.first == "test:late" && !ids.contains("test:theft"))

                for bad in ["q=", "q=%20%20", "q=\(q)&limit=0", "q=\(q)&limit=abc", "q=\(q)&courtLevel=county", "q=\(q)&fromYear=2020&toYear=2018"] {
                    try await sup.execute(uri: "/api/v1/judgments/search?\(bad)", method: .get) {
                        #expect($0.status == .badRequest, "\(bad)")
                    }
                }
                try await client.execute(uri: "/api/v1/judgments/search?q=\(q)", method: .get) {
                    #expect($0.status == .unauthorized)
                }
            }
            // The search is audited like any list read.
            #expect(try await store.auditEntries(limit: 50).contains { $0.target?.contains("/api/v1/judgments/search") == true })
        }
    }
}
