import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore

@Suite("Commutation and parole over HTTP")
struct CommutationRoutesTests {
    @Test("the calculator answers with its trace and checks a proposal; bad input is refused with a Chinese reason; the page shows the result")
    func commutation() async throws {
        try await AccessFixture.with { fixture, client in
            let sup = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            let body = #"""
                {"sentence":"fixedTerm","termMonths":96,"termStart":"2020-01-01","executionStart":"2020-03-10","categories":["recidivist"],
                 "commutations":[{"ruledOn":"2022-05-03","servedOn":"2022-05-09","reductionMonths":9}],
                 "proposal":{"reportedOn":"2023-04-01","grounds":"repentance","reductionMonths":12}}
                """#
            let answer = try await sup.execute(uri: "/api/v1/commutation/assess", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: body)) { response -> [String: Any] in
                #expect(response.status == .ok)
                return try json(response.body)
            }
            let a = try #require(answer["assessment"] as? [String: Any])
            let next = try #require(a["next"] as? [String: Any])
            #expect(next["earliestReport"] as? String == "2023-05-09")
            #expect(next["maxReductionMonths"] as? Int == 9)
            let codes = (a["problems"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["interval_too_short", "reduction_too_large"])
            #expect((a["parole"] as? [String: Any])?["barred"] as? [String] == ["累犯，不得假释"])
            #expect(((a["trace"] as? [[String: Any]])?.allSatisfy { !($0["citation"] as? String ?? "").isEmpty }) == true)

            for (payload, status) in [(#"{"sentence":"fixedTerm"}"#, HTTPResponse.Status.badRequest),
                (#"{"sentence":"fixedTerm","termMonths":96,"executionStart":"2020-02-30"}"#, .badRequest),
                (#"{"sentence":"fixedTerm","termMonths":96,"executionStart":"2020-03-10","categories":["nobody"]}"#, .unprocessableContent),
                (#"{"sentence":"fixedTerm","termMonths":12,"executionStart":"2020-03-10","commutations":[{"ruledOn":"2020-06-01","servedOn":"2020-06-02","reductionMonths":12}]}"#, .unprocessableContent)]
            {
                try await sup.execute(uri: "/api/v1/commutation/assess", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: payload)) {
                    #expect($0.status == status, "\(payload)")
                    #expect(String(buffer: $0.body).unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "a Chinese reason")
                }
            }
            let rules = try await sup.execute(uri: "/api/v1/commutation/rules", method: .get) { String(buffer: $0.body) }
            #expect(rules.contains("法释〔2016〕23号第六条"))

            let query = "sentence=fixedTerm&term=8%E5%B9%B4&termStart=2020%E5%B9%B41%E6%9C%881%E6%97%A5&executionStart=2020-03-10&c=recidivist"
                + "&commutations=2022-05-03+2022-05-09+9%E4%B8%AA%E6%9C%88&grounds=repentance&propose=2023-04-01&reduce=1%E5%B9%B4"
            let page = try await sup.execute(uri: "/workbench/commutation?" + query, method: .get) { String(buffer: $0.body) }
            #expect(page.contains("最早 2023年5月9日 报请"))
            #expect(page.contains("减刑间隔时间不足"))
            #expect(page.contains("累犯，不得假释"))
            #expect(page.contains("<a href=\"/workbench/commutation\" aria-current=\"page\">减刑假释测算</a>"), "the navigation marks the page")
            // A year no calendar arithmetic reaches is refused, not a crash.
            try await sup.execute(uri: "/api/v1/commutation/assess", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"sentence":"fixedTerm","termMonths":12,"executionStart":"9999-06-01"}"#)) {
                #expect($0.status == .unprocessableContent)
            }
            let bad = try await sup.execute(uri: "/workbench/commutation?sentence=fixedTerm&term=8%E5%B9%B4&executionStart=2020-13-01", method: .get) {
                #expect($0.status == .ok)
                return String(buffer: $0.body)
            }
            #expect(bad.contains("交付执行之日无法识别"))
        }
    }
}

@Suite("A convict's commutations on the case page")
struct CaseExecutionPageTests {
    @Test("the case page lists each commutation and opens 减刑假释测算 filled in with the stored history, which it reads back")
    func casePage() async throws {
        try await withProvinceStore(cases: 300, seed: 19) { store, _ in
            let (caseID, number) = try #require(try await firstTimeline(in: store) { t in
                t.executions.first { !$0.commutations.isEmpty }?.commutations.first?.rulingNumber
            }, "300 generated cases include a commutation")
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let page = try await sup.execute(uri: "/cases/\(caseID)", method: .get) { String(buffer: $0.body) }
                #expect(page.contains("刑罚执行与减刑") && page.contains(number))
                let href = try #require(page.range(of: "href=\"/workbench/commutation?").map {
                    String(page[page.index($0.lowerBound, offsetBy: 6)...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                })
                #expect(href.contains("commutations=") && !href.contains(" "))
                let calculator = try await sup.execute(uri: href, method: .get) { String(buffer: $0.body) }
                #expect(calculator.contains("计算过程"), "the stored history is read back by the form")
                #expect(!calculator.contains("无法识别") && !calculator.contains("role=\"alert\""))
            }
        }
    }
}
