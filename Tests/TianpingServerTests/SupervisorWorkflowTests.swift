import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingRules
@testable import TianpingServer
import TianpingStore
import TianpingWorkflow

/// The province supervisor's daily task — find one city's red warnings and push them — and what surrounds it.
@Suite("Supervisor's workflow")
struct SupervisorWorkflowTests {
    static let html: HTTPFields = [.accept: "text/html,application/xhtml+xml"]

    @Test("a city filter gives the store's count for that city; agencies by name and cases by 案号 filter too; the overview links into it")
    func filters() async throws {
        try await withWarnings { store, engine, all in
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: try await committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            // The city with the most warnings.
            let byCity = Dictionary(grouping: all.compactMap { $0.region.map { String($0.prefix(4)) } }, by: { $0 })
            let city = try #require(byCity.max { $0.value.count < $1.value.count }?.key)
            let cityCount = try await store.warningCount(WarningListQuery(region: city), scope: .everything, now: 0)
            #expect(cityCount == all.filter { $0.region?.hasPrefix(city) == true }.count && cityCount > 0)
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let list = try await sup.execute(uri: "/workbench/warnings?region=\(city)00", method: .get) { String(buffer: $0.body) }
                #expect(list.contains("共 \(cityCount) 条"))
                #expect(list.contains("<option value=\"\(city)00\" selected>"), "the region menu shows the chosen city")
                try await sup.execute(uri: "/workbench/warnings?region=52", method: .get) { #expect($0.status == .badRequest) }
                let overview = try await sup.execute(uri: "/workbench", method: .get) { String(buffer: $0.body) }
                #expect(overview.contains("href=\"/workbench/warnings?region=\(city)00\""), "the city bars are links")
                #expect(overview.contains("数据范围：天平省全省的案件"), "the scope in words, not a code prefix")
                let quarterly = try await sup.execute(uri: "/workbench?period=quarter", method: .get) { String(buffer: $0.body) }
                #expect(quarterly.contains("<option value=\"quarter\" selected>") && quarterly.contains("上年同期"))
                try await sup.execute(uri: "/workbench?period=week", method: .get) { #expect($0.status == .badRequest) }
                // An agency by its full name or by a part only it has.
                let target = try #require(all.first { $0.agency != "-" })
                let agencyName = try #require(try await store.agencies().first { $0.code == target.agency }?.name)
                let byCode = try await store.warningCount(WarningListQuery(agency: target.agency), scope: .everything, now: 0)
                let named = try await sup.execute(uri: "/workbench/warnings?agency=" + agencyName.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                    method: .get) { String(buffer: $0.body) }
                #expect(named.contains("共 \(byCode) 条"))
                let vague = try await sup.execute(uri: "/workbench/warnings?agency=%E4%BA%BA%E6%B0%91", method: .get) { String(buffer: $0.body) }
                #expect(vague.contains("对应多个机关"), "人民 names many agencies: said, not guessed")
                // A case by its 案号.
                let numbered = try await store.caseNumbers(all.map(\.caseID))
                let (caseID, number) = try #require(numbered.first)
                let byNumber = try await sup.execute(uri: "/workbench/warnings?case=" + number.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                    method: .get) { String(buffer: $0.body) }
                #expect(byNumber.contains("共 \(all.filter { $0.caseID == caseID }.count) 条"))
                #expect(byNumber.contains(HTMLProbe.escape(number)), "lists show the 案号")
                #expect(byNumber.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:"#, options: .regularExpression) == nil, "no ISO timestamps on a page")
                // A rule's count in the catalogue leads to the warnings that hold its findings.
                let ruleCounts = Dictionary(all.flatMap { w in Set(w.findingIDs.map { String($0.split(separator: "|")[0]) }) }.map { ($0, 1) }, uniquingKeysWith: +)
                let (rule, withRule) = try #require(ruleCounts.max { $0.value < $1.value })
                let rules = try await sup.execute(uri: "/workbench/rules", method: .get) { String(buffer: $0.body) }
                #expect(rules.contains("href=\"/workbench/warnings?rule=\(rule)\""))
                let byRule = try await sup.execute(uri: "/workbench/warnings?rule=\(rule)", method: .get) { String(buffer: $0.body) }
                #expect(byRule.contains("共 \(withRule) 条"))
                // The CSV: 案号, rules by name, dates a spreadsheet sorts.
                let csv = try await sup.execute(uri: "/workbench/warnings.csv?region=\(city)00", method: .get) { String(buffer: $0.body) }
                let lines = csv.split(separator: "\r\n")
                #expect(lines.first?.contains("案号,统一案件编号,地区") == true)
                #expect(lines.count - 1 == cityCount)
                #expect(csv.range(of: #",\d{4}-\d{2}-\d{2} \d{2}:\d{2}"#, options: .regularExpression) != nil)
                #expect(csv.range(of: #"\d{4}-\d{2}-\d{2}T"#, options: .regularExpression) == nil)
                // The same as an Excel workbook: a ZIP of the OOXML parts (stored, so the sheet's XML is readable here).
                let xlsx = try await sup.execute(uri: "/workbench/warnings.xlsx?region=\(city)00", method: .get) { response in
                    #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                    return Array(response.body.readableBytesView)
                }
                #expect(xlsx.starts(with: [0x50, 0x4B, 0x03, 0x04]))
                let text = String(decoding: xlsx, as: UTF8.self)
                for part in ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"] { #expect(text.contains(part)) }
                #expect(text.components(separatedBy: "<row r=").count - 1 == cityCount + 1, "a header and one row per warning")
                #expect(text.contains("<t xml:space=\"preserve\">案号</t>"))
                #expect(text.range(of: #"<c r="Q2" s="2"><v>\d+\.\d+</v></c>"#, options: .regularExpression) != nil, "the last change as a date cell")
            }
        }
    }

    @Test("pushing keeps the list's filters; the page and the whole filter can be pushed (the latter after confirmation)")
    func bulkPush() async throws {
        try await withWarnings { store, engine, all in
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: try await committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            let byCity = Dictionary(grouping: all.compactMap { $0.region.map { String($0.prefix(4)) } }, by: { $0 })
            let city = try #require(byCity.max { $0.value.count < $1.value.count }?.key)
            let filter = WarningListQuery(state: .pendingPush, region: city)
            let waiting = try await store.warningCount(filter, scope: .everything, now: 0)
            #expect(waiting > 0)
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                func push(_ fields: String) async throws -> TestResponse {
                    try await sup.execute(uri: "/workbench/warnings/push", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .accept: "text/html"],
                        body: ByteBuffer(string: fields + "&_csrf=\(supervisor.csrf)")) { $0 }
                }
                let carried = "filter=" + "state=pending_push&region=\(city)00".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let unconfirmed = try await push(carried + "&mode=filter")
                #expect(unconfirmed.status == .badRequest)
                #expect(String(buffer: unconfirmed.body).contains("已核对筛选条件"))
                #expect(try await store.warningCount(filter, scope: .everything, now: 0) == waiting, "nothing moved without confirmation")
                let done = try await push(carried + "&mode=filter&confirm=1")
                #expect(done.status == .seeOther)
                #expect(done.headers[.location] == "/workbench/warnings?state=pending_push&region=\(city)00&pushed=\(waiting)&refused=0",
                    "back to the same filter")
                #expect(try await store.warningCount(filter, scope: .everything, now: 0) == 0)
                #expect(try await store.warningCount(WarningListQuery(state: .pushed, region: city), scope: .everything, now: 0) == waiting)
                // The page mode pushes exactly the pending warnings of the page as shown (a page of the whole list, every
                // state, worst first, that holds some), no other.
                var shownPage = 1
                var expected = Set<String>()
                for p in 1...4 {
                    let rows = try await store.warningPage(WarningListQuery(), page: p, pageSize: 50, scope: .everything, now: 0).items
                    expected = Set(rows.filter { $0.state == .pendingPush }.map(\.id))
                    shownPage = p
                    if !expected.isEmpty && rows.count > expected.count { break }
                }
                let before = Set(try await store.warningPage(WarningListQuery(state: .pendingPush), page: 1, pageSize: 10_000, scope: .everything, now: 0)
                    .items.map(\.id))
                _ = try await push("filter=page%3D\(shownPage)&mode=page")
                let after = Set(try await store.warningPage(WarningListQuery(state: .pendingPush), page: 1, pageSize: 10_000, scope: .everything, now: 0)
                    .items.map(\.id))
                #expect(before.subtracting(after) == expected && !expected.isEmpty, "the pushed are the page's pending rows")
                // A whole filter on another state pushes nothing.
                let refused = try await push("filter=state%3Dpushed&mode=filter&confirm=1")
                #expect(refused.status == .badRequest && String(buffer: refused.body).contains("其中没有待推送的预警"))
            }
        }
    }

    @Test("the supervisor's queue puts reviews first and tells true totals; errors are pages with a way back; deep links survive sign-in")
    func queueErrorsAndSignIn() async throws {
        try await withWarnings { store, engine, all in
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: try await committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let queue = try await sup.execute(uri: "/workbench/queue", method: .get) { String(buffer: $0.body) }
                let pending = all.filter { $0.state == .pendingPush }.count
                #expect(queue.contains("<h2>\(WarningState.pendingPush.chineseName)（\(pending) 条）</h2>"))
                let review = try #require(queue.range(of: "<h2>\(WarningState.concluded.chineseName)"))
                let push = try #require(queue.range(of: "<h2>\(WarningState.pendingPush.chineseName)"))
                #expect(review.lowerBound < push.lowerBound, "conclusions to review come before warnings to push")
                #expect(queue.contains("查看全部 \(pending) 条") == (pending > 50), "a link to the rest exactly when rows are cut")
                // Errors: a page for a browser, JSON for the API.
                let missing = try await sup.execute(uri: "/workbench/warnings/nope%7C1", method: .get, headers: Self.html) { $0 }
                #expect(missing.status == .notFound)
                let missingPage = String(buffer: missing.body)
                #expect(missingPage.contains("<!doctype html>") && missingPage.contains("href=\"/workbench\"") && missingPage.contains("未找到"))
                let badPage = try await sup.execute(uri: "/workbench/warnings?page=0", method: .get, headers: Self.html) { $0 }
                #expect(badPage.status == .badRequest)
                #expect(String(buffer: badPage.body).contains("请求有误"))
                let api = try await sup.execute(uri: "/api/v1/warnings/nope%7C1", method: .get, headers: Self.html) { $0 }
                #expect(api.status == .notFound)
                #expect((try? json(api.body))?["error"] != nil, "the API keeps its JSON")
                let admin = try await signIn(store, role: .systemAdministrator, agency: "system")
                let refused = try await SignedInClient(base: client, session: admin).execute(uri: "/workbench", method: .get, headers: Self.html) { $0 }
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.body).contains("无权访问"))
                let audit = try await SignedInClient(base: client, session: admin).execute(uri: "/admin/audit", method: .get) { String(buffer: $0.body) }
                #expect(audit.contains("<td>\(Role.committeeSupervisor.chineseName)</td>") && audit.contains("<td>允许</td>"),
                    "the audit page names roles and outcomes in Chinese")
                #expect(!audit.contains("<td>committee_supervisor</td>") && !audit.contains("<td>allowed</td>"))
                // 量刑测算: the theft's fields only, an amount as judgments write it, a term in whole months.
                let theft = try await sup.execute(uri: "/workbench/sentencing?crime=%E7%9B%97%E7%AA%83%E7%BD%AA&amount=2.68%E4%B8%87&actual=1%E5%B9%B48%E4%B8%AA%E6%9C%88&decided=2023%E5%B9%B45%E6%9C%886%E6%97%A5",
                    method: .get) { String(buffer: $0.body) }
                #expect(theft.contains("测算过程") && !theft.contains("class=\"error\""))
                #expect(!theft.contains("name=\"drugGrams\"") && !theft.contains("name=\"bloodAlcohol\""), "only the theft's facts are asked")
                #expect(theft.range(of: #"\d+\.\d个月"#, options: .regularExpression) == nil, "terms in whole months")
                #expect(!theft.contains("×"), "the adjustment in words, not a formula")
                // A deep link: the whole address goes to the sign-in page and back.
                let anonymous = try await client.execute(uri: "/workbench/warnings?grade=red&state=pending_push", method: .get, headers: Self.html) { $0 }
                #expect(anonymous.status == .seeOther)
                let location = try #require(anonymous.headers[.location])
                #expect(location == "/login?next=/workbench/warnings%3Fgrade%3Dred%26state%3Dpending_push")
                let login = try await client.execute(uri: location, method: .get) { String(buffer: $0.body) }
                #expect(login.contains("value=\"/workbench/warnings?grade=red&amp;state=pending_push\""))
            }
        }
    }
}

@Suite("Workbench views")
struct WorkbenchViewTests {
    @Test("the trend is the twelve months ending with the current one, labelled in Chinese, empty months as zero")
    func trendMonths() {
        let now = Timestamp("2026-12-07T10:00:00+08:00")!.secondsSinceEpoch
        let months = Workbench.lastTwelveMonths([.init(month: "2026-11", count: 5), .init(month: "2026-01", count: 2), .init(month: "2024-03", count: 9)], now: now)
        #expect(months.count == 12)
        #expect(months.first?.0 == "2026年1月" && months.first?.1 == 2)
        #expect(months.last?.0 == "12月" && months.last?.1 == 0)
        #expect(months[10].0 == "11月" && months[10].1 == 5)
        #expect(!months.contains { $0.1 == 9 }, "older months fall out")
    }

    @Test("the sentencing form reads amounts, terms and dates as people write them")
    func typedValues() {
        #expect(SentencingRoutes.quantity("2.68万") == 26_800)
        #expect(SentencingRoutes.quantity("26,800元") == 26_800)
        #expect(SentencingRoutes.quantity("人民币二万六千八百元") == 26_800)
        #expect(SentencingRoutes.quantity("约三四千") == nil)
        #expect(SentencingRoutes.quantity("-5") == nil && SentencingRoutes.quantity("0x10") == nil && SentencingRoutes.quantity("1e2") == nil)
        #expect(SentencingRoutes.termMonths("1年-3个月") == nil)
        #expect(SentencingRoutes.termMonths("1年8个月") == 20)
        #expect(SentencingRoutes.termMonths("一年八个月") == 20)
        #expect(SentencingRoutes.termMonths("20个月") == 20 && SentencingRoutes.termMonths("2年") == 24)
        #expect(ChineseDates.parseDay("2023年5月6日") == CalendarDate(year: 2023, month: 5, day: 6))
        #expect(ChineseDates.parseDay("2023-05-06") == CalendarDate(year: 2023, month: 5, day: 6))
        #expect(ChineseDates.parseDay("2023年13月6日") == nil && ChineseDates.parseDay("5月6日") == nil)
    }

    @Test("a case timeline compresses a long quiet stretch, so that one 2,097-day clock does not flatten a 24-hour one")
    func timelineScale() {
        let day: Int64 = 86_400
        // A 24-hour clock, a 10-day clock, then an execution clock that runs 2,097 days.
        let scale = TimelineScale([0, day, 2 * day, 12 * day, 12 * day, 2_109 * day])
        let oneDay = scale.position(day) - scale.position(0)
        #expect(oneDay > 0.015, "the 24-hour clock keeps a visible width (\(oneDay) of the axis; linear: 1/2109)")
        #expect(scale.breaks.count == 1 && scale.breaks[0].to - scale.breaks[0].from == 2_097 * day, "the break is marked with its true length")
        #expect(scale.position(0) == 0 && scale.position(2_109 * day) == 1)
        #expect(scale.position(5 * day) < scale.position(10 * day), "order is kept")
        // Without a long stretch the axis stays linear.
        let even = TimelineScale([0, 10 * day, 20 * day])
        #expect(even.breaks.isEmpty && abs(even.position(10 * day) - 0.5) < 1e-9)
    }

    @Test("同比 and 环比 compare the last complete period with the one before and with the same period a year earlier")
    func periodComparison() {
        let now = Timestamp("2026-12-07T10:00:00+08:00")!.secondsSinceEpoch
        let trend: [WorkbenchOverview.Month] = [.init(month: "2026-11", count: 30), .init(month: "2026-10", count: 20),
            .init(month: "2025-11", count: 40), .init(month: "2026-12", count: 99), .init(month: "2026-07", count: 5),
            .init(month: "2025-08", count: 10)]
        let month = Workbench.compare(trend, period: .month, now: now)
        #expect(month.period == "2026年11月" && month.current == 30 && month.previous == 20 && month.yearAgo == 40)
        #expect(month.chain == "+50%" && month.yearOnYear == "-25%")
        let quarter = Workbench.compare(trend, period: .quarter, now: now)
        #expect(quarter.period == "2026年第3季度" && quarter.current == 5 && quarter.previousLabel == "2026年第2季度" && quarter.yearAgo == 10)
        #expect(quarter.chain == "—", "no base, no percentage")
        let year = Workbench.compare(trend, period: .year, now: now)
        #expect(year.period == "2025年" && year.current == 50 && year.yearOnYear == "—")
    }

    @Test("a long label wraps onto two lines and ends in an ellipsis beyond them; a short one stays whole")
    func wrap() {
        #expect(Charts.wrap("逮捕未经批准", perLine: 10) == ["逮捕未经批准"])
        #expect(Charts.wrap("一二三四五六七八九十甲乙丙", perLine: 10) == ["一二三四五六七八九十", "甲乙丙"])
        #expect(Charts.wrap(String(repeating: "长", count: 25), perLine: 10)[1] == String(repeating: "长", count: 9) + "…")
    }
}

enum HTMLProbe {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

@Suite("Excel writer")
struct XLSXTests {
    @Test("the ZIP's checksums are CRC-32 (ISO 3309), columns are named as Excel names them, and text is escaped for XML")
    func parts() {
        #expect(XLSX.crc32(Array("123456789".utf8)) == 0xCBF4_3926, "the CRC-32 check value")
        #expect([XLSX.column(0), XLSX.column(25), XLSX.column(26), XLSX.column(701)] == ["A", "Z", "AA", "ZZ"])
        #expect(XLSX.escape("<a&b>\u{01}\"'") == "&lt;a&amp;b&gt;&quot;&apos;")
        let sheet = XLSX.sheet([[.text("日期")], [.dateTime(Timestamp("2026-12-04T01:46:00+08:00")!.secondsSinceEpoch)]])
        // 2026-12-04 01:46 Beijing time is Excel serial 46360 + 106/1440.
        #expect(sheet.contains("<v>46360.07361111111</v>") || sheet.contains("<v>46360.0736111111"))
    }
}
