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
    }

    struct ListPage {
        var frame: Frame
        var path: String
        var csrf: String
        var states: [Choice]
        var grades: [Choice]
        var sorts: [Choice]
        var agency: String
        var caseID: String
        var overdueOnly: Bool
        var csvHref: String
        var total: Int
        var page: Int
        var pages: Int
        var canPush: Bool
        var warningTable: String
        var previousHref: String?
        var nextHref: String?
    }

    static let pageSize = 50

    static func listQuery(_ request: Request) throws -> (WarningListQuery, Int) {
        let q = request.uri.queryParameters
        func text(_ key: String) -> String? { q[Substring(key)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var query = WarningListQuery()
        query.state = try QueryParameters.choice(text("state").map { Substring($0) }, "state", as: WarningState.self)
        query.grade = try QueryParameters.choice(text("grade").map { Substring($0) }, "grade", as: WarningGrade.self)
        query.sort = try QueryParameters.choice(text("sort").map { Substring($0) }, "sort", as: WarningListQuery.Sort.self) ?? .grade
        query.agency = text("agency")
        query.caseID = text("case")
        query.overdueOnly = text("overdue") == "1"
        let page = try QueryParameters.int(q["page"], "page", default: 1, range: 1...100_000)
        return (query, page)
    }

    static func queryString(_ query: WarningListQuery, page: Int? = nil) -> String {
        var parts: [(String, String)] = []
        if let s = query.state { parts.append(("state", s.rawValue)) }
        if let g = query.grade { parts.append(("grade", g.rawValue)) }
        if let a = query.agency { parts.append(("agency", a)) }
        if let c = query.caseID { parts.append(("case", c)) }
        if query.overdueOnly { parts.append(("overdue", "1")) }
        if query.sort != .grade { parts.append(("sort", query.sort.rawValue)) }
        if let page { parts.append(("page", String(page))) }
        return parts.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    /// The list page, and how many warnings it shows (for the audit).
    func list(_ request: Request, _ context: TianpingRequestContext, notice: String? = nil, error: String? = nil) async throws
        -> (html: HTML, shown: Int)
    {
        let principal = try signedIn(context)
        let (query, page) = try Self.listQuery(request)
        let now = context.now.secondsSinceEpoch
        let total = try await caches.counts.count(query, scope: principal.scope, now: now)
        let result = try await store.warningPage(query, page: page, pageSize: Self.pageSize, scope: principal.scope, now: now, total: total)
        let names = try await directory.names()
        let pages = max(1, (result.total + Self.pageSize - 1) / Self.pageSize)
        let canPush = principal.role.map { WarningAction.push.roles.contains($0) } ?? false
        let view = ListPage(
            frame: Frame("风险预警", path: "/workbench/warnings", principal: principal, csrf: context.csrfToken, notice: notice, error: error),
            path: "/workbench/warnings", csrf: context.csrfToken ?? "",
            states: WarningState.allCases.map { Choice(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.state) },
            grades: WarningGrade.allCases.reversed().map { Choice(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.grade) },
            sorts: [(WarningListQuery.Sort.grade, "按等级（最严重在前）"), (.due, "按本环节期限"), (.updated, "按最近变化"), (.caseID, "按案件编号")]
                .map { Choice(value: $0.0.rawValue, label: $0.1, selected: $0.0 == query.sort) },
            agency: query.agency ?? "", caseID: query.caseID ?? "", overdueOnly: query.overdueOnly,
            csvHref: "/workbench/warnings.csv?" + Self.queryString(query), total: result.total, page: page, pages: pages,
            canPush: canPush,
            warningTable: WarningTable.html(result.items.map { WarningRow($0, names: names, now: now, principal: principal) },
                caption: "预警列表（每页 \(Self.pageSize) 条）", selectable: canPush),
            previousHref: page > 1 ? "/workbench/warnings?" + Self.queryString(query, page: page - 1) : nil,
            nextHref: page < pages ? "/workbench/warnings?" + Self.queryString(query, page: page + 1) : nil)
        return (try templates.render(view, "warnings"), result.items.count)
    }

    /// The whole filtered list (up to 100,000 rows) as CSV with a byte-order mark, audited as an export.
    func csv(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        let (query, _) = try Self.listQuery(request)
        let now = context.now.secondsSinceEpoch
        let names = try await directory.names()
        var rows = [["预警编号", "案件编号", "责任单位代码", "责任单位", "等级", "状态", "核查结论", "风险发现数", "最长超期（天）", "本环节期限", "是否流转超期", "升级次数"]]
        var page = 1
        while rows.count <= 100_000 {
            let batch = try await store.warningPage(query, page: page, pageSize: 1_000, scope: principal.scope, now: now)
            for w in batch.items {
                rows.append([w.id, w.caseID, w.agency, names.agency(w.agency), w.grade.chineseName, w.state.chineseName,
                    w.conclusion?.chineseName ?? "", String(w.findingIDs.count), String(w.overdueDays),
                    w.dueAt.map { Timestamp(secondsSinceEpoch: $0).description } ?? "", (w.dueAt.map { $0 < now } ?? false) ? "是" : "否",
                    String(w.escalations)])
            }
            if batch.items.count < 1_000 { break }
            page += 1
        }
        try await store.audit(AuditEntry(principal, .exportList, at: now, target: "warnings.csv?" + Self.queryString(query),
            address: context.address, itemCount: rows.count - 1))
        return CSV.response(rows, filename: "warnings-\(Timestamp(secondsSinceEpoch: now).localDate.description).csv")
    }

    func bulkPush(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 1024 * 1024))
        let ids = form.all("ids")
        guard ids.count <= 1_000 else {
            return try await list(request, context, error: "一次最多推送 1,000 条预警（本次选择了 \(ids.count) 条）").html.response(status: .badRequest)
        }
        var pushed = 0
        var refused: [String] = []
        for id in ids {
            do {
                try await store.transitionWarning(id, action: .push, comment: form["comment"].flatMap { $0.isEmpty ? nil : $0 }, by: principal,
                    now: context.now.secondsSinceEpoch)
                pushed += 1
            } catch let error as WarningError {
                if case .notFound = error { await AccessAudit.miss(store, principal, .warning(id), request: request, address: context.address, at: context.now) }
                refused.append("\(id)：\(error.description)")
            }
        }
        await caches.invalidate()
        return Response(status: .seeOther, headers: [.location: "/workbench/warnings?pushed=\(pushed)&refused=\(ids.count - pushed)"])
    }
}
