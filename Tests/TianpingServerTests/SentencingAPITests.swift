import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore

@Suite("Sentencing over HTTP")
struct SentencingAPITests {
    @Test("the calculator answers with its trace; bad input is refused with a Chinese reason; a case's judgments are measured within scope and audited; the page shows the trace")
    func sentencing() async throws {
        try await withProvinceStore(cases: 200, seed: 17) { store, _ in
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            // A case with a theft judgment (the generator writes each judgment's facts).
            let (caseID, judgment) = try #require(try await firstTimeline(in: store) { t in
                t.judgments.first { $0.charges == ["盗窃罪"] && $0.facts?.amountYuan != nil }
            })
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let outsider = try await signIn(store, role: .internalSupervisor, agency: try await agencyOutside(caseID, store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let body = ByteBuffer(string: #"{"crime":"盗窃罪","facts":{"amountYuan":120000},"circumstances":["自首","认罪认罚"],"actualMonths":10}"#)
                let answer = try await sup.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"], body: body) {
                    #expect($0.status == .ok)
                    return try json($0.body)
                }
                let estimate = try #require(answer["estimate"] as? [String: Any])
                #expect(estimate["statutoryMin"] as? Double == 36)
                #expect((estimate["trace"] as? [[String: Any]])?.first?["step"] as? String == "罪名与法定刑幅度")
                #expect(abs((estimate["alertLower"] as? Double ?? 0) - 11.52) < 1e-9)
                let deviation = try #require(answer["deviation"] as? [String: Any])
                #expect(deviation["position"] as? String == "below" && deviation["beyondAlertBounds"] as? Bool == true)

                let unknown = ByteBuffer(string: #"{"crime":"不存在罪"}"#)
                try await sup.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"], body: unknown) {
                    #expect($0.status == .unprocessableContent)
                    #expect(String(buffer: $0.body).contains("量刑知识图谱中没有罪名"))
                }
                let badDate = ByteBuffer(string: #"{"crime":"盗窃罪","decidedOn":"2024-13-01"}"#)
                try await sup.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"], body: badDate) {
                    #expect($0.status == .badRequest)
                }
                // Numbers no case has are refused, not computed (they used to overflow the formatting).
                for (payload, status) in [(#"{"crime":"盗窃罪","facts":{"amountYuan":1e20}}"#, HTTPResponse.Status.unprocessableContent),
                    (#"{"crime":"盗窃罪","facts":{"bloodAlcohol":-3}}"#, .unprocessableContent),
                    (#"{"crime":"盗窃罪","actualMonths":1e300}"#, .badRequest), (#"{"crime":"盗窃罪","facts":{"injury":"broken"}}"#, .badRequest)]
                {
                    try await sup.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: payload)) {
                        #expect($0.status == status, "\(payload)")
                        #expect(String(buffer: $0.body).unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "a Chinese reason")
                    }
                }
                let graph = try await sup.execute(uri: "/api/v1/sentencing/graph", method: .get) { try json($0.body) }
                #expect(graph["docNo"] as? String == "法发〔2021〕21号")

                let measured = try await sup.execute(uri: "/api/v1/cases/\(caseID)/sentencing", method: .get) { try json($0.body) }
                let first = try #require((measured["judgments"] as? [[String: Any]])?.first)
                #expect(first["termMonths"] as? Int == judgment.termMonths)
                #expect((first["deviation"] as? [String: Any])?["actualMonths"] as? Double == Double(judgment.termMonths ?? -1))
                #expect(try await store.auditEntries(action: .readCaseFindings, limit: 10).contains { $0.caseID == caseID && $0.target == "sentencing" })
                try await SignedInClient(base: client, session: outsider).execute(uri: "/api/v1/cases/\(caseID)/sentencing", method: .get) {
                    #expect($0.status == .notFound)
                }

                let page = try await sup.execute(uri: "/workbench/sentencing?crime=%E7%9B%97%E7%AA%83%E7%BD%AA&amount=120000&c=surrender&c=plea_leniency&actual=10",
                    method: .get) { String(buffer: $0.body) }
                #expect(page.contains("<title>量刑测算 · 天平</title>"))
                #expect(page.contains("测算过程（可逐步复核）") && page.contains("认罪认罚且具有自首"))
                #expect(page.contains("超出预警边界"))
                let bad = try await sup.execute(uri: "/workbench/sentencing?crime=%E7%9B%97%E7%AA%83%E7%BD%AA&amount=-5", method: .get) { String(buffer: $0.body) }
                #expect(bad.contains("犯罪数额无法识别：“-5”") && !bad.contains("测算过程"))
                #expect(bad.components(separatedBy: "犯罪数额无法识别").count == 2, "the reason is shown once")
                #expect(!page.contains("id=\"page-error\"></p>"), "no empty alert")
                let casePage = try await sup.execute(uri: "/workbench/sentencing?case=\(caseID)", method: .get) { String(buffer: $0.body) }
                #expect(casePage.contains(judgment.caseNumber) && casePage.contains("拟宣告刑区间"))
                let rules = try await sup.execute(uri: "/workbench/rules", method: .get) { String(buffer: $0.body) }
                #expect(rules.contains("SENT-BELOW-MINIMUM") && rules.contains("《刑法》第七十四条"))
            }
        }
    }
}
