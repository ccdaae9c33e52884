import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingLedger
import TianpingRetrieval
import TianpingRules
import TianpingServer
import TianpingStore

/// The 类案检索 page, a library judgment's page, the printable 类案检索报告, and comparable sentences beside the
/// 量刑测算 (API and page), on a small library written for the test.
@Suite("Similar cases in the workbench")
struct SimilarCasePagesTests {
    static func theft(_ n: Int, yuan: Int, months: Int) -> (Int, Data) {
        let judgment = LibraryJudgment(id: "cail2018:t\(n)", source: "cail2018",
            text: "经审理查明，被告人某甲在超市内趁人不备盗窃他人手机，价值人民币\(yuan)元。案发后被告人主动投案。",
            statedCharges: ["盗窃"], statedSentence: StatedSentence(termMonths: months))
        return (n, try! JSONEncoder().encode(judgment))
    }

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test("the search page explains hits and filters them; a judgment opens in full; the report lists retained and set-aside results and downloads as a file; the estimate shows comparable sentences")
    func pages() async throws {
        try await withEmptyStore { store in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-pages-index-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            var lines = (1...6).map { Self.theft($0, yuan: 4000 + 100 * $0, months: [6, 7, 8, 9, 10, 12][$0 - 1]) }
            let lecard = "安徽省涡阳县人民法院刑事判决书（2018）皖1621刑初101号。经审理查明，被告人张三在超市内盗窃手机一部，后又骗取他人钱款。本院认为，被告人张三的行为已构成盗窃罪、诈骗罪。判决如下：被告人张三犯盗窃罪，判处有期徒刑八个月；犯诈骗罪，判处有期徒刑六个月，决定执行有期徒刑一年。"
            lines.append((7, try JSONEncoder().encode(LibraryJudgment(id: "lecard:7", source: "lecard", title: "张三盗窃、诈骗一审刑事判决书", text: lecard))))
            _ = try await store.importJudgments(lines, sourceName: "fixture.jsonl")
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let routes = try TianpingApplication.routes(store: store, engine: engine, libraryIndex: directory)
            try await Application(router: routes.router).test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let facts = Self.encoded("被告人在超市内趁人不备盗窃手机，价值人民币4300元。")
                let charge = Self.encoded("盗窃罪")

                let page = try await sup.execute(uri: "/workbench/similar-cases?q=\(facts)&charge=\(charge)", method: .get) {
                    #expect($0.status == .ok)
                    return String(buffer: $0.body)
                }
                #expect(page.contains("文书库 7 篇") && page.contains("<mark>"), "hits with marked passages")
                #expect(page.contains("罪名：盗窃罪") && page.contains("href=\"/workbench/judgments/cail2018:t1\""))
                #expect(page.contains("生成类案检索报告"))
                // As a browser submits the form: every field, the empty ones too.
                let submitted = try await sup.execute(
                    uri: "/workbench/similar-cases?q=\(facts)&charge=&onlyCharge=&courtLevel=&province=&fromYear=&toYear=", method: .get) { String(buffer: $0.body) }
                #expect(submitted.contains("文书库 7 篇") && !submitted.contains("应为年份"))
                let empty = try await sup.execute(uri: "/workbench/similar-cases", method: .get) { String(buffer: $0.body) }
                #expect(empty.contains("<textarea") && !empty.contains("文书库 "), "no search without facts")
                let filtered = try await sup.execute(uri: "/workbench/similar-cases?q=\(facts)&courtLevel=basic", method: .get) { String(buffer: $0.body) }
                #expect(filtered.contains("张三盗窃、诈骗一审刑事判决书") && !filtered.contains("cail2018:t1"), "CAIL facts name no court: the level filter drops them")
                let bad = try await sup.execute(uri: "/workbench/similar-cases?q=\(facts)&fromYear=2020&toYear=2018", method: .get) { String(buffer: $0.body) }
                #expect(bad.contains("fromYear 不能晚于 toYear"))

                let judgment = try await sup.execute(uri: "/workbench/judgments/lecard:7", method: .get) {
                    #expect($0.status == .ok)
                    return String(buffer: $0.body)
                }
                #expect(judgment.contains("盗窃罪、诈骗罪") && judgment.contains("（2018）皖1621刑初101号") && judgment.contains("安徽省涡阳县人民法院"))
                #expect(judgment.contains("张三：盗窃罪") && judgment.contains("文书原文"))
                try await sup.execute(uri: "/workbench/judgments/lecard:99", method: .get) { #expect($0.status == .notFound) }

                let report = try await sup.execute(uri: "/workbench/similar-cases/report?q=\(facts)&charge=\(charge)", method: .get) {
                    #expect($0.status == .ok)
                    return String(buffer: $0.body)
                }
                for part in ["类案检索报告", "检索主体", "检索时间", "检索平台", "检索方法", "二、检索结果及保留理由", "三、类案裁判情况分析", "四、待决案件争议焦点", "@media print"] {
                    #expect(report.contains(part), "\(part)")
                }
                #expect(report.contains("检索返回 7 份文书，保留 7 份"), "the two-charge judgment decided theft too")
                #expect(report.contains("其中认定罪名与检索罪名完全相同、刑罚可读的 6 份：刑期中位数 8.5 个月"), "the two-charge judgment's one term is not compared")
                let download = try await sup.execute(uri: "/workbench/similar-cases/report?q=\(facts)&charge=\(charge)&download=1", method: .get) { $0 }
                #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                #expect(String(buffer: download.body).contains("类案检索报告"))
                #expect(!String(buffer: download.body).contains("_csrf"), "a downloaded file carries no session token")

                // The estimate with the case's facts: six thefts of the same band are its comparables (the two-charge
                // judgment is not of the same charges).
                let body = ByteBuffer(string: #"{"crime":"盗窃罪","facts":{"amountYuan":4300},"caseFacts":"被告人在超市内趁人不备盗窃手机，价值人民币4300元。"}"#)
                let answer = try await sup.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"], body: body) {
                    #expect($0.status == .ok)
                    return try json($0.body)
                }
                let comparables = try #require(answer["comparables"] as? [String: Any])
                #expect(comparables["scope"] as? String == "sameChargesAndBand")
                #expect((comparables["comparables"] as? [[String: Any]])?.count == 6)
                #expect(comparables["median"] as? Double == 8.5)
                #expect((answer["combined"] as? [String: Any])?["basis"] as? String == "guidelineAndComparables")
                let blank = ByteBuffer(string: #"{"crime":"盗窃罪","facts":{"amountYuan":4300},"caseFacts":"   "}"#)
                try await sup.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"], body: blank) {
                    #expect($0.status == .badRequest)
                }
                let sentencingPage = try await sup.execute(uri: "/workbench/sentencing?crime=\(charge)&amount=4300&caseFacts=\(facts)", method: .get) {
                    String(buffer: $0.body)
                }
                #expect(sentencingPage.contains("类案对照") && sentencingPage.contains("结合类案的中心"))
                #expect(sentencingPage.contains("/workbench/judgments/"))
                try await client.execute(uri: "/workbench/similar-cases?q=\(facts)", method: .get) { #expect($0.status == .unauthorized) }
            }
            #expect(try await store.auditEntries(limit: 50).contains { $0.target == "judgment:lecard:7" })
        }
    }

    @Test("a report for a case is kept in its dossier: the file as rendered, its hash in the dossier log, read back within scope only; the self-audit finds a changed file")
    func keptInDossier() async throws {
        try await withProvinceStore(cases: 40, seed: 5) { store, _ in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-keep-index-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            _ = try await store.importJudgments((1...6).map { Self.theft($0, yuan: 4000 + 100 * $0, months: 6 + $0) }, sourceName: "fixture.jsonl")
            let caseID = try #require(try await store.caseIDs(after: nil, limit: 1).first)
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let outsider = try await signIn(store, role: .internalSupervisor, agency: try await agencyOutside(caseID, store))
            let leader = try await signIn(store, role: .leader, agency: committee(store))
            let routes = try TianpingApplication.routes(store: store, engine: engine, libraryIndex: directory)
            let leavesBefore = try await store.dossierSources(caseID: caseID).count
            try await Application(router: routes.router).test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let out = SignedInClient(base: client, session: outsider)
                let query = "q=\(Self.encoded("被告人在超市内盗窃手机，价值人民币4300元。"))&charge=\(Self.encoded("盗窃罪"))&case=\(Self.encoded(caseID))"
                let report = try await sup.execute(uri: "/workbench/similar-cases/report?\(query)", method: .get) { String(buffer: $0.body) }
                #expect(report.contains("存入案件卷宗") && report.contains("案件 \(caseID)"))
                // The form sends its empty 案件编号 field too: a case given after it still counts.
                let twice = try await sup.execute(uri: "/workbench/similar-cases/report?case=&\(query)", method: .get) { String(buffer: $0.body) }
                #expect(twice.contains("案件 \(caseID)"))
                // Outside the caller's scope the case is not found, and neither is its report.
                try await out.execute(uri: "/workbench/similar-cases/report?\(query)", method: .get) { #expect($0.status == .notFound) }

                let kept = try await sup.execute(uri: "/workbench/similar-cases/report/keep?\(query)", method: .post) { $0 }
                #expect(kept.status == .seeOther)
                let location = try #require(kept.headers[.location])
                #expect(location.hasPrefix("/workbench/case-reports/"))
                let file = try await sup.execute(uri: location, method: .get) { $0 }
                #expect(file.status == .ok)
                let body = String(buffer: file.body)
                #expect(body.contains("类案检索报告") && body.contains("案件 \(caseID)") && !body.contains("存入案件卷宗"), "the kept file has no keep form")
                let sha = try #require(file.headers[HTTPField.Name("X-Content-SHA256")!])
                #expect(sha == LedgerDigest.sha256Hex(Array(file.body.readableBytesView)))
                try await out.execute(uri: location, method: .get) { #expect($0.status == .notFound) }
                // A read-only role may read the report but not write to the dossier log.
                try await SignedInClient(base: client, session: leader).execute(uri: "/workbench/similar-cases/report/keep?\(query)", method: .post) {
                    #expect($0.status == .forbidden)
                }
                // Without a case there is nothing to keep it in; a POST without the CSRF token is refused.
                try await sup.execute(uri: "/workbench/similar-cases/report/keep?q=\(Self.encoded("盗窃"))", method: .post) { #expect($0.status == .badRequest) }
                try await client.execute(uri: "/workbench/similar-cases/report/keep?\(query)", method: .post,
                    headers: [.cookie: "tianping_session=\(supervisor.token)"]) { #expect($0.status == .forbidden) }
            }
            // The outsider's probes left out-of-scope traces; the keeping is its own audited action.
            let audit = try await store.auditEntries(limit: 200)
            #expect(audit.filter { $0.action == .outOfScope && $0.caseID == caseID }.count >= 2)
            #expect(audit.contains { $0.action == .keepReport && $0.caseID == caseID })
            let reports = try await store.caseReports(caseID: caseID)
            #expect(reports.count == 1 && reports[0].leafIndex != nil && reports[0].kind == "similar_case_report")
            #expect(try await store.dossierSources(caseID: caseID).count == leavesBefore + 1, "the report's leaf is in the case's dossier")
            #expect(try await store.auditLedger().problems.isEmpty)
            // A kept file changed afterwards is found by the self-audit.
            try await store.overwriteCaseReportForTests(reports[0].id, bytes: Array("改动后的报告".utf8))
            #expect(try await store.auditLedger().problems.contains { $0.message.contains("卷宗报告的文件与存证时的哈希不符") })
        }
    }
}
