import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// 风险预警: the filtered list, its CSV and bulk push.
extension Workbench {
    struct Choice {
        var value: String
        var label: String
        var selected: Bool

        /// `<option>` elements built here, not by mustache: the rule and region menus hold over a hundred options, and
        /// mustache's per-tag reflection made them the costliest part of the list page. Escaped as mustache would.
        static func options(_ choices: [Choice]) -> String {
            var out = ""
            for c in choices {
                out += "<option value=\"\(HTMLText.escape(c.value))\"" + (c.selected ? " selected" : "") + ">\(HTMLText.escape(c.label))</option>"
            }
            return out
        }
    }

    struct ListPage {
        var frame: Frame
        var path: String
        var csrf: String
        var states: String
        var grades: String
        var sorts: String
        var regions: String
        var rules: String
        /// Stored, not computed: mustache reads properties by reflection.
        var hasRegions: Bool
        var agency: String
        var caseID: String
        var overdueOnly: Bool
        var caseLateOnly: Bool
        var openOnly: Bool
        var csvHref: String
        var xlsxHref: String
        var total: Int
        var page: Int
        var pages: Int
        var canPush: Bool
        /// The filter and page, carried by the push form so that the list comes back as it was.
        var filter: String
        var warningTable: String
        var previousHref: String?
        var nextHref: String?
    }

    static let pageSize = 50

    static func listQuery(_ request: Request) throws -> (WarningListQuery, Int) {
        let q = request.uri.formParameters
        return try listQuery { q[Substring($0)].map(String.init) }
    }

    /// The list's filters from any source of named values (the URL, or the filter a push form carries back).
    static func listQuery(_ value: (String) -> String?) throws -> (WarningListQuery, Int) {
        func text(_ key: String) -> String? { value(key).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        var query = WarningListQuery()
        query.state = try QueryParameters.choice(text("state").map { Substring($0) }, "state", as: WarningState.self)
        query.grade = try QueryParameters.choice(text("grade").map { Substring($0) }, "grade", as: WarningGrade.self)
        query.sort = try QueryParameters.choice(text("sort").map { Substring($0) }, "sort", as: WarningListQuery.Sort.self) ?? .grade
        query.agency = text("agency")
        query.caseID = text("case")
        query.overdueOnly = text("overdue") == "1"
        query.caseLateOnly = text("late") == "1"
        query.openOnly = text("open") == "1"
        query.rule = text("rule")
        if let region = text("region") {
            // A region code (`520100` a city, `520102` a county): the prefix its cases' codes share.
            guard let code = RegionCode(region) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 region 应为六位行政区划代码（如 520100），收到“\(region)”")
            }
            query.region = switch code.level {
            case .province: String(code.text.prefix(2))
            case .city: String(code.text.prefix(4))
            case .county: code.text
            }
        }
        let page = try QueryParameters.int(value("page").map { Substring($0) }, "page", default: 1, range: 1...100_000)
        return (query, page)
    }

    /// The 6-digit code a region prefix stands for (`5201` → `520100`), for links and the region menu.
    static func regionCode(_ prefix: String) -> String { prefix + String(repeating: "0", count: max(0, 6 - prefix.count)) }

    static func queryString(_ query: WarningListQuery, page: Int? = nil) -> String {
        var parts: [(String, String)] = []
        if let s = query.state { parts.append(("state", s.rawValue)) }
        if let g = query.grade { parts.append(("grade", g.rawValue)) }
        if let r = query.region { parts.append(("region", regionCode(r))) }
        if let a = query.agency { parts.append(("agency", a)) }
        if let c = query.caseID { parts.append(("case", c)) }
        if query.overdueOnly { parts.append(("overdue", "1")) }
        if query.caseLateOnly { parts.append(("late", "1")) }
        if query.openOnly { parts.append(("open", "1")) }
        if let r = query.rule { parts.append(("rule", r)) }
        if query.sort != .grade { parts.append(("sort", query.sort.rawValue)) }
        if let page { parts.append(("page", String(page))) }
        // ASCII letters and digits only (`alphanumerics` would let Chinese names through unencoded).
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return parts.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }.joined(separator: "&")
    }

    /// The list page, and how many warnings it shows (for the audit).
    func list(_ request: Request, _ context: TianpingRequestContext, notice: String? = nil, error: String? = nil) async throws
        -> (html: HTML, shown: Int)
    {
        let (typed, page) = try Self.listQuery(request)
        return try await list(typed, page: page, context, notice: notice, error: error)
    }

    func list(_ typed: WarningListQuery, page: Int, _ context: TianpingRequestContext, notice: String? = nil, error: String? = nil)
        async throws -> (html: HTML, shown: Int)
    {
        let principal = try signedIn(context)
        let now = context.now.secondsSinceEpoch
        let names = try await directory.names()
        var error = error
        let query = try await resolved(typed, names: names, principal: principal, error: &error)
        let total = try await caches.counts.count(query, scope: principal.scope, now: now)
        let result = try await store.warningPage(query, page: page, pageSize: Self.pageSize, scope: principal.scope, now: now, total: total)
        let pages = max(1, (result.total + Self.pageSize - 1) / Self.pageSize)
        let caseNumbers = try await store.caseNumbers(result.items.map(\.caseID))
        let regions = names.regions.filter { $0.level != .province && principal.scope.allowsRegion($0.code) }.map { r in
            Choice(value: r.code, label: (r.level == .county ? "　" : "") + r.name, selected: query.region.map(Self.regionCode) == r.code)
        }
        let canPush = principal.role.map { WarningAction.push.roles.contains($0) } ?? false
        let view = ListPage(
            frame: Frame("风险预警", path: "/workbench/warnings", principal: principal, csrf: context.csrfToken, notice: notice, error: error),
            path: "/workbench/warnings", csrf: context.csrfToken ?? "",
            states: Choice.options(WarningState.allCases.map { Choice(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.state) }),
            grades: Choice.options(WarningGrade.allCases.reversed().map { Choice(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.grade) }),
            sorts: Choice.options([(WarningListQuery.Sort.grade, "按等级（最严重在前）"), (.due, "按本环节期限"), (.updated, "按最近变化"), (.caseID, "按案件编号")]
                .map { Choice(value: $0.0.rawValue, label: $0.1, selected: $0.0 == query.sort) }),
            regions: Choice.options(regions),
            rules: Choice.options(catalogue.entries.map { Choice(value: $0.id, label: $0.name, selected: $0.id == query.rule) }),
            hasRegions: !regions.isEmpty,
            agency: typed.agency ?? "", caseID: typed.caseID ?? "", overdueOnly: query.overdueOnly, caseLateOnly: query.caseLateOnly, openOnly: query.openOnly,
            csvHref: "/workbench/warnings.csv?" + Self.queryString(typed), xlsxHref: "/workbench/warnings.xlsx?" + Self.queryString(typed), total: result.total, page: page, pages: pages,
            canPush: canPush, filter: Self.queryString(typed, page: page > 1 ? page : nil),
            warningTable: WarningTable.html(result.items.map { WarningRow($0, names: names, now: now, principal: principal, caseNumbers: caseNumbers) },
                caption: "预警列表（每页 \(Self.pageSize) 条）", selectable: canPush),
            previousHref: page > 1 ? "/workbench/warnings?" + Self.queryString(query, page: page - 1) : nil,
            nextHref: page < pages ? "/workbench/warnings?" + Self.queryString(query, page: page + 1) : nil)
        return (try templates.render(view, "warnings"), result.items.count)
    }

    /// The whole filtered list (up to 100,000 rows) as CSV with a byte-order mark, audited as an export.
    enum ExportFormat: String { case csv, xlsx }

    /// The whole filtered list (up to 100,000 rows) as CSV with a byte-order mark or as an Excel workbook, with the
    /// 案号, region, rules and risk kinds, and dates a spreadsheet sorts; audited as an export.
    func export(_ request: Request, _ context: TianpingRequestContext, as format: ExportFormat) async throws -> Response {
        let principal = try signedIn(context)
        let (typed, _) = try Self.listQuery(request)
        let now = context.now.secondsSinceEpoch
        let names = try await directory.names()
        var unresolved: String?
        let query = try await resolved(typed, names: names, principal: principal, error: &unresolved)
        let header = ["预警编号", "案号", "统一案件编号", "地区", "责任单位代码", "责任单位", "等级", "状态", "核查结论", "风险发现数",
            "规则", "风险类型", "最长超期（天）", "本环节期限", "是否流转超期", "升级次数", "最近变化"]
        var rows: [[XLSX.Cell]] = [header.map(XLSX.Cell.text)]
        var page = 1
        while rows.count <= 100_000 {
            let batch = try await store.warningPage(query, page: page, pageSize: 1_000, scope: principal.scope, now: now)
            let caseNumbers = try await store.caseNumbers(batch.items.map(\.caseID))
            for w in batch.items {
                let ruleIDs = Array(Set(w.findingIDs.map { String($0.split(separator: "|").first ?? "") })).sorted()
                let kinds = Set(ruleIDs.compactMap { catalogue.entry($0)?.kind.chineseName }).sorted()
                rows.append([.text(w.id), .text(caseNumbers[w.caseID] ?? ""), .text(w.caseID),
                    .text(w.region.map { names.region(Self.regionCode(String($0.prefix(6)))) } ?? ""),
                    .text(w.agency), .text(names.agency(w.agency)), .text(w.grade.chineseName), .text(w.state.chineseName),
                    .text(w.conclusion?.chineseName ?? ""), .number(Double(w.findingIDs.count)), .text(ruleIDs.map(catalogue.name).joined(separator: "；")),
                    .text(kinds.joined(separator: "、")), .number(Double(w.overdueDays)), w.dueAt.map(XLSX.Cell.dateTime) ?? .text(""),
                    .text((w.dueAt.map { $0 < now } ?? false) ? "是" : "否"), .number(Double(w.escalations)), .dateTime(w.updatedAt)])
            }
            if batch.items.count < 1_000 { break }
            page += 1
        }
        try await store.audit(AuditEntry(principal, .exportList, at: now, target: "warnings.\(format.rawValue)?" + Self.queryString(typed),
            address: context.address, itemCount: rows.count - 1))
        let name = "warnings-\(Timestamp(secondsSinceEpoch: now).localDate.description)"
        switch format {
        case .xlsx:
            return XLSX.response(rows, sheetName: "风险预警", filename: name + ".xlsx")
        case .csv:
            return CSV.response(rows.map { $0.map(CSV.text) }, filename: name + ".csv")
        }
    }

    /// The typed agency (a name or part of one) and case (a 案号) as the codes and ids the store filters by; what
    /// cannot be resolved is said in `error` and left as typed (it then matches nothing).
    func resolved(_ typed: WarningListQuery, names: AgencyDirectory.Names, principal: Principal, error: inout String?) async throws
        -> WarningListQuery
    {
        var query = typed
        if let agency = typed.agency {
            switch names.agencyCode(agency) {
            case .success(let code): query.agency = code
            case .failure(let failure): error = error ?? failure.message
            }
        }
        if let caseText = typed.caseID, !(try await store.caseVisible(caseText, scope: principal.scope)) {
            let hits = try await store.searchCases(caseText, scope: principal.scope, limit: 2)
            if hits.count == 1 { query.caseID = hits[0].summary.id }
        }
        return query
    }

    /// Pushes the chosen warnings (`mode=selected`), every pushable one on the page (`page`), or every one waiting
    /// under the filter up to the cap (`filter`, which needs `confirm`); then shows the list again with its filter.
    func bulkPush(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 1024 * 1024))
        let filterText = form["filter"] ?? ""
        let filterItems = URLComponents(string: "?" + filterText)?.queryItems ?? []
        let (typed, page) = try Self.listQuery { key in filterItems.first { $0.name == key }?.value }
        func back(_ error: String) async throws -> Response {
            try await list(typed, page: page, context, error: error).html.response(status: .badRequest)
        }
        var ids: [String]
        switch form["mode"] ?? "selected" {
        case "selected":
            ids = form.all("ids")
        case "page", "filter":
            var unused: String?
            var query = try await resolved(typed, names: try await directory.names(), principal: principal, error: &unused)
            let wholeFilter = form["mode"] == "filter"
            if wholeFilter, form["confirm"] != "1" {
                return try await back("推送本筛选条件下的全部预警前，请勾选“已核对筛选条件”")
            }
            if wholeFilter {
                // The filter as shown: a filter on another state holds nothing to push.
                if let state = query.state, state != .pendingPush { return try await back("当前筛选的状态为“\(state.chineseName)”，其中没有待推送的预警") }
                query.state = .pendingPush
                ids = try await store.warningPage(query, page: 1, pageSize: Self.pushCap, scope: principal.scope,
                    now: context.now.secondsSinceEpoch).items.map(\.id)
            } else {
                // Exactly the page the supervisor saw (same filter, order and page), its pushable rows only.
                ids = try await store.warningPage(query, page: page, pageSize: Self.pageSize, scope: principal.scope,
                    now: context.now.secondsSinceEpoch).items.filter { $0.state == .pendingPush }.map(\.id)
            }
        default:
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 mode 应为 selected、page 或 filter")
        }
        guard ids.count <= Self.pushCap else {
            return try await back("一次最多推送 1,000 条预警（本次选择了 \(ids.count) 条）")
        }
        var pushed = 0
        let renderer = NoticeComposer(catalogue: catalogue).renderer
        for id in ids {
            do {
                try await store.transitionWarning(id, action: .push, comment: form["comment"].flatMap { $0.isEmpty ? nil : $0 }, by: principal,
                    documents: renderer, now: context.now.secondsSinceEpoch)
                pushed += 1
            } catch let error as WarningError {
                if case .notFound = error { await AccessAudit.miss(store, principal, .warning(id), request: request, address: context.address, at: context.now) }
            }
        }
        await caches.invalidate()
        let filter = Self.queryString(typed, page: page > 1 ? page : nil)
        return Response(status: .seeOther, headers: [
            .location: "/workbench/warnings?" + (filter.isEmpty ? "" : filter + "&") + "pushed=\(pushed)&refused=\(ids.count - pushed)",
        ])
    }

    /// Most warnings one push request may move.
    static let pushCap = 1_000
}
