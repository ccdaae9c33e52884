import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TianpingAnalysis
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore
import TianpingWorkflow

/// A province of 200 cases analysed as of 2026-07-01, with its warnings.
func withWarnings(_ body: (TianpingStore, RuleEngine, [StoredWarning]) async throws -> Void) async throws {
    try await withProvinceStore(cases: 200, seed: 17) { store, _ in
        let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
        // Warnings stamped now (the pipeline's system clock), their findings evaluated as of 2026-07-01.
        let pipeline = try AnalysisPipeline.standard()
        _ = try await pipeline.processQueue(store: store, asOf: asOf)
        let engine = pipeline.procedure
        try await body(store, engine, try await store.warnings(scope: .everything, limit: 100_000))
    }
}

/// A county police bureau that had no part in a case (its staff must not see it).
func agencyOutside(_ caseID: String, _ store: TianpingStore) async throws -> String {
    for a in try await store.agencies() where a.kind == .publicSecurity && a.level == .county {
        if try await !store.caseVisible(caseID, scope: .agency(code: a.code)) { return a.code }
    }
    throw StoreError.invalid("no agency outside \(caseID)")
}

func encodedID(_ id: String) -> String { id.replacingOccurrences(of: "|", with: "%7C") }

/// A multipart body as a browser sends it.
func multipart(_ fields: [(String, String)], file: (name: String, filename: String, type: String, bytes: [UInt8])? = nil)
    -> (String, ByteBuffer)
{
    let boundary = "----tianping\(UUID().uuidString.prefix(8))"
    var body = ByteBuffer()
    for (name, value) in fields {
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }
    if let file {
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n")
        body.writeBytes(file.bytes)
        body.writeString("\r\n")
    }
    body.writeString("--\(boundary)--\r\n")
    return ("multipart/form-data; boundary=\(boundary)", body)
}

@Suite("Workbench")
struct WorkbenchTests {
    @Test("the pages show what the store holds within the caller's scope; the list filters, pages and exports CSV with a BOM")
    func pages() async throws {
        try await withWarnings { store, engine, all in
            let target = try #require(all.first { $0.agency != "-" })
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let staff = try await signIn(store, role: .internalSupervisor, agency: target.agency)
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let overview = try await sup.execute(uri: "/workbench", method: .get) { String(buffer: $0.body) }
                #expect(overview.contains("<title>驾驶舱 · 天平</title>"))
                #expect(overview.contains("<span class=\"n\">\(all.count)</span><a href=\"/workbench/warnings\">在办预警</a>"), "the open-warning total is the store's")
                let caseLate = all.filter { $0.overdueDays > 0 }.count
                #expect(overview.contains(">\(caseLate)</span><a href=\"/workbench/warnings?late=1&amp;open=1\">办案超期预警"),
                    "case-handling lateness is counted apart from workflow lateness")
                #expect(overview.components(separatedBy: "<svg role=\"img\"").count - 1 == 9, "nine charts, drawn on the server")
                let list = try await sup.execute(uri: "/workbench/warnings", method: .get) { String(buffer: $0.body) }
                #expect(list.contains("共 \(all.count) 条"))
                #expect(list.components(separatedBy: "name=\"ids\"").count - 1 == min(50, all.count), "50 rows a page")
                if all.count > 50 { #expect(list.contains("rel=\"next\"")) }
                let red = all.filter { $0.grade == .red }.count
                let redList = try await sup.execute(uri: "/workbench/warnings?grade=red", method: .get) { String(buffer: $0.body) }
                #expect(redList.contains("共 \(red) 条"))
                #expect(!redList.contains("class=\"grade-orange\""), "the grade filter holds")
                try await sup.execute(uri: "/workbench/warnings?state=nonsense", method: .get) { #expect($0.status == .badRequest) }

                let csv = try await sup.execute(uri: "/workbench/warnings.csv", method: .get) { $0 }
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark for Excel")
                let lines = String(buffer: csv.body).split(separator: "\r\n")
                #expect(lines.count == all.count + 1)
                #expect(lines[0].hasSuffix("预警编号,案号,统一案件编号,地区,责任单位代码,责任单位,等级,状态,核查结论,风险发现数,规则,风险类型,最长超期（天）,本环节期限,是否流转超期,升级次数,最近变化"))
                #expect(try await store.auditEntries(action: .exportList, limit: 10).contains { $0.target?.hasPrefix("warnings.csv") == true })

                // The agency sees its own cases only, and no push controls.
                let own = try await SignedInClient(base: client, session: staff).execute(uri: "/workbench/warnings", method: .get) { String(buffer: $0.body) }
                let visible = try await store.warningPage(WarningListQuery(), page: 1, pageSize: 1, scope: .agency(code: target.agency), now: 0).total
                #expect(own.contains("共 \(visible) 条") && visible < all.count)
                #expect(!own.contains("推送所选预警"))
                let queue = try await SignedInClient(base: client, session: staff).execute(uri: "/workbench/queue", method: .get) { String(buffer: $0.body) }
                #expect(queue.contains("共 0 条待办"), "nothing is pushed yet")
                #expect(queue.contains("<h2>\(WarningState.pushed.chineseName)（0 条）</h2>"), "each step says its true total")

                // A city procuratorate's supervisor: the overview counts its city only, findings included.
                let city = try #require(try await store.agencies().first { $0.kind == .procuratorate && $0.level == .city })
                let citySession = try await signIn(store, role: .procuratorialSupervisor, agency: city.code)
                let cityScope = DataScope.region(prefix: String(city.region.text.prefix(4)))
                let cityOverview = try await SignedInClient(base: client, session: citySession).execute(uri: "/workbench", method: .get) {
                    String(buffer: $0.body)
                }
                let cityWarnings = try await store.warningPage(WarningListQuery(openOnly: true), page: 1, pageSize: 1, scope: cityScope, now: 0).total
                let cityFindings = try await store.findings(FindingQuery(status: .open), page: 1, pageSize: 1, scope: cityScope).total
                #expect(cityOverview.contains("<span class=\"n\">\(cityWarnings)</span><a href=\"/workbench/warnings\">在办预警</a>"))
                #expect(cityOverview.contains("<span class=\"n\">\(cityFindings)</span>未销号风险发现"))
                #expect(cityWarnings < all.count)
                let rules = try await sup.execute(uri: "/workbench/rules", method: .get) { String(buffer: $0.body) }
                #expect(rules.contains(engine.pack.version) && rules.contains("M4") && rules.contains("《刑事诉讼法》"))
                let casePage = try await sup.execute(uri: "/cases/\(target.caseID)", method: .get) { String(buffer: $0.body) }
                #expect(casePage.contains("跨部门办案时间轴") && casePage.contains("<svg role=\"img\" aria-labelledby=\"timeline-caption\""))
                #expect(casePage.contains("/workbench/warnings/\(encodedID(target.id))"))
                // A reader without a session is sent to sign in; an out-of-scope warning is not found.
                try await client.execute(uri: "/workbench", method: .get, headers: [.accept: "text/html"]) { #expect($0.status == .seeOther || $0.status == .unauthorized) }
                var foreign: StoredWarning?
                for w in all where try await !store.caseVisible(w.caseID, scope: .agency(code: target.agency)) {
                    foreign = w
                    break
                }
                let other = try #require(foreign)
                try await SignedInClient(base: client, session: staff).execute(uri: "/workbench/warnings/\(encodedID(other.id))", method: .get) {
                    #expect($0.status == .notFound)
                }
                try await SignedInClient(base: client, session: staff).execute(uri: "/workbench/warnings.csv", method: .get) {
                    #expect(!String(buffer: $0.body).contains(other.id), "the export follows the scope too")
                }
            }
        }
    }

    @Test("the warning page's forms take each step, store an attachment with its digest, escape what users wrote, and refuse bad input")
    func forms() async throws {
        try await withWarnings { store, engine, all in
            let target = try #require(all.first { $0.agency != "-" })
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let staff = try await signIn(store, role: .internalSupervisor, agency: target.agency)
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let agency = SignedInClient(base: client, session: staff)
                let path = "/workbench/warnings/\(encodedID(target.id))"
                // Bulk push from the list form (urlencoded, repeated ids).
                try await sup.execute(uri: "/workbench/warnings/push", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "ids=\(target.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&ids=NO%7CSUCH&comment=%3Cscript%3E")) {
                    #expect($0.status == .seeOther)
                    #expect($0.headers[.location] == "/workbench/warnings?pushed=1&refused=1")
                }
                func act(_ c: SignedInClient, _ fields: [(String, String)], file: (name: String, filename: String, type: String, bytes: [UInt8])? = nil)
                    async throws -> TestResponse
                {
                    let (type, body) = multipart(fields, file: file)
                    return try await c.execute(uri: path + "/act", method: .post, headers: [.contentType: type], body: body) { $0 }
                }
                #expect(try await act(agency, [("action", "accept")]).status == .seeOther)
                let report = Array("核查报告：部分属实。".utf8)
                let refused = try await act(agency, [("action", "conclude"), ("conclusion", "partly_substantiated"), ("comment", "核查属实部分")],
                    file: ("attachment", "run.exe", "application/x-msdownload", [0x4D, 0x5A]))
                #expect(refused.status == .conflict)
                #expect(String(buffer: refused.body).contains("不受支持"))
                #expect(try await store.warning(target.id)?.state == .verifying, "a refused step changes nothing")
                #expect(try await act(agency, [("action", "conclude"), ("conclusion", "partly_substantiated")]).status == .badRequest, "a reason is required")
                let done = try await act(agency, [("action", "conclude"), ("conclusion", "partly_substantiated"), ("comment", "经核查部分属实")],
                    file: ("attachment", "核查报告.txt", "text/plain", report))
                #expect(done.status == .seeOther)
                #expect(done.headers[.location] == path + "?done=conclude")
                let stored = try #require(try await store.attachments(warningID: target.id).first)
                #expect(stored.filename == "核查报告.txt" && stored.size == report.count)
                #expect(stored.sha256 == SHA256.hash(data: report).map { String(format: "%02x", $0) }.joined())
                try await sup.execute(uri: "/workbench/attachments/\(stored.id)", method: .get) {
                    #expect(Array($0.body.readableBytesView) == report)
                    #expect($0.headers[.contentType] == "text/plain")
                }
                let outsider = try await signIn(store, role: .internalSupervisor, agency: try await agencyOutside(target.caseID, store))
                try await SignedInClient(base: client, session: outsider).execute(uri: "/workbench/attachments/\(stored.id)", method: .get) {
                    #expect($0.status == .notFound, "an attachment outside the scope is not found")
                }
                try await SignedInClient(base: client, session: outsider).execute(uri: path + "?done=%3Cb%3E", method: .get) {
                    #expect($0.status == .notFound)
                }
                let spoof = try await sup.execute(uri: path + "?done=%E4%BC%AA%E9%80%A0", method: .get) { String(buffer: $0.body) }
                #expect(!spoof.contains("伪造"), "only a known step's name is echoed")
                // Without the CSRF token the form is refused.
                let (type, body) = multipart([("action", "start_rectification")])
                try await client.execute(uri: path + "/act", method: .post,
                    headers: [.contentType: type, .cookie: "tianping_session=\(staff.token)"], body: body) { #expect($0.status == .forbidden) }
                #expect(try await act(sup, [("action", "start_rectification")]).status == .forbidden, "only the agency rectifies")
                #expect(try await act(agency, [("action", "start_rectification")]).status == .seeOther)
                #expect(try await act(agency, [("action", "report_rectified"), ("comment", "已整改")]).status == .seeOther)
                #expect(try await act(sup, [("action", "close"), ("comment", "<b>同意办结</b>")]).status == .seeOther)
                let page = try await sup.execute(uri: path, method: .get) { String(buffer: $0.body) }
                #expect(page.contains("已办结") && page.contains("核查报告.txt"))
                #expect(page.contains("&lt;script&gt;") && page.contains("&lt;b&gt;同意办结&lt;/b&gt;") && !page.contains("<b>同意办结"),
                    "comments are escaped")
                #expect(!page.contains("<legend>"), "a closed warning offers no more steps")
            }
        }
    }

    @Test("every change reaches the event stream and the agency's webhook: signed, retried after a failure, each attempt logged")
    func push() async throws {
        try await withWarnings { store, engine, all in
            let target = try #require(all.first { $0.agency != "-" })
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let received = Mutex<[(headers: HTTPFields, body: [UInt8])]>([])
            let receiverRouter = Router()
            receiverRouter.post("hook") { request, _ -> HTTPResponse.Status in
                let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
                let count = received.withLock {
                    $0.append((request.headers, body))
                    return $0.count
                }
                return count == 1 ? .internalServerError : .noContent
            }
            let receiver = Application(router: receiverRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await receiver.test(.live) { receiverClient in
                let port = try #require(receiverClient.port)
                let secret = "0123456789abcdef-secret"
                try await store.setWebhook(agency: target.agency, url: "http://127.0.0.1:\(port)/hook", secret: secret, now: 0)
                let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
                try await app.test(.router) { client in
                    let sup = SignedInClient(base: client, session: supervisor)
                    let start = try await store.latestWarningEventID()
                    try await sup.execute(uri: "/api/v1/warnings/\(encodedID(target.id))/transitions", method: .post,
                        headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"action":"push","comment":"请核查"}"#)) { #expect($0.status == .ok) }
                    let stream = try await sup.execute(uri: "/api/v1/events/warnings?timeout=1", method: .get,
                        headers: [HTTPField.Name("Last-Event-ID")!: String(start)]) { $0 }
                    #expect(stream.headers[.contentType] == "text/event-stream; charset=utf-8")
                    let text = String(buffer: stream.body)
                    #expect(text.contains("id: \(start + 1)\nevent: transition\ndata: "))
                    #expect(text.contains("\"warningID\":\"\(target.id)\"") && text.contains("\"state\":\"pushed\""))
                    // Staff of an agency with no part in the case see nothing of it on the stream.
                    let outsider = try await signIn(store, role: .internalSupervisor, agency: try await agencyOutside(target.caseID, store))
                    let theirs = try await SignedInClient(base: client, session: outsider).execute(uri: "/api/v1/events/warnings?timeout=1",
                        method: .get, headers: [HTTPField.Name("Last-Event-ID")!: String(start)]) { String(buffer: $0.body) }
                    #expect(theirs.hasPrefix("retry: 3000") && !theirs.contains(target.id))
                }
                let dispatcher = WebhookDispatcher(store: store)
                #expect(try await dispatcher.deliverDue() == 1)
                #expect(try await dispatcher.deliverDue() == 0, "the failed delivery waits for its backoff")
                let retryAt = Timestamp.now().secondsSinceEpoch + RetryPolicy().delay(afterAttempt: 1)
                #expect(try await dispatcher.deliverDue(now: retryAt) == 1)
                let log = try #require(try await store.deliveries(agency: target.agency).first)
                #expect(log.status == "delivered" && log.attempts.map(\.statusCode) == [500, 204])
                let requests = received.withLock { $0 }
                #expect(requests.count == 2)
                let last = try #require(requests.last)
                let timestamp = try #require(last.headers[HTTPField.Name("X-Tianping-Timestamp")!].flatMap { Int64($0) })
                let signature = try #require(last.headers[HTTPField.Name("X-Tianping-Signature")!])
                // Recomputed here from the documented recipe, not with the server's helper.
                let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + last.body, using: SymmetricKey(data: Array(secret.utf8)))
                #expect(signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
                #expect(!WebhookSignature.verify(secret: secret, timestamp: timestamp, body: last.body + [0x20], signature: signature,
                    now: timestamp), "a changed body fails")
                let event = try #require(try JSONSerialization.jsonObject(with: Data(last.body)) as? [String: Any])
                #expect(event["warningID"] as? String == target.id && event["kind"] as? String == "transition")
                #expect((event["id"] as? Int).map(String.init) == last.headers[HTTPField.Name("X-Tianping-Event-Id")!], "the body carries the event's id")
            }
        }
    }

    @Test("an overdue step raises the grade once, is recorded, survives re-aggregation, and the timeline replays the case's clocks")
    func escalation() async throws {
        try await withWarnings { store, engine, all in
            let target = try #require(all.first { $0.grade != .red })
            let later = target.stateEnteredAt + 3 * 86_400
            #expect(try await store.escalateOverdueWarnings(now: later) .contains(target.id))
            #expect(try await store.escalateOverdueWarnings(now: later + 60).isEmpty, "once per step")
            let raised = try #require(try await store.warning(target.id))
            #expect(raised.grade == target.grade.raised(by: 1) && raised.escalations == 1)
            #expect(try await store.warningTransitions(target.id).last?.action == "escalated")
            try await store.refreshWarnings(caseIDs: [target.caseID], now: later + 120)
            #expect(try await store.warning(target.id)?.grade == raised.grade, "re-aggregation keeps the escalated grade")
            let overdue = try await store.warningPage(WarningListQuery(overdueOnly: true), page: 1, pageSize: 500, scope: .everything, now: later)
            #expect(overdue.items.contains { $0.id == target.id })

            // Over every case with warnings: each late act the engine finds is a late bar ending when the act came,
            // and every late bar is such a finding (an extension's new deadline is the one drawn).
            let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
            var lateActs = 0
            for timeline in try await store.timelines(for: Array(Set(all.map(\.caseID))).sorted()) {
                let bars = engine.stageBars(timeline, asOf: asOf)
                let late = engine.evaluate(timeline, asOf: asOf).findings.filter { $0.dueAt != nil && $0.actualAt != nil }
                lateActs += late.count
                for f in late {
                    #expect(bars.contains { $0.ruleID == f.ruleID && $0.dueAt == f.dueAt && $0.status == .late && $0.endedAt == f.actualAt },
                        "\(timeline.caseID): the late act of \(f.ruleID) is a red bar ending when it came")
                }
                for bar in bars where bar.status == .late {
                    #expect(late.contains { $0.ruleID == bar.ruleID && $0.dueAt == bar.dueAt },
                        "\(timeline.caseID): the late bar of \(bar.ruleID) is one of the engine's findings")
                }
                #expect(engine.stageBars(timeline, asOf: asOf) == bars, "deterministic")
            }
            #expect(lateActs > 0, "the province has late acts to compare")
        }
    }
}
