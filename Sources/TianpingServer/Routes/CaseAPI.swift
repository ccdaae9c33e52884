import Hummingbird
import TianpingCore
import TianpingStore

/// `/api/v1`: agencies, cases (list and dossier) and statistics.
struct CaseAPI: Sendable {
    let store: TianpingStore

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("agencies") { _, _ in
            let agencies = try await store.agencies()
            return AgencyList(items: agencies.map(AgencyView.init), total: agencies.count)
        }
        group.get("cases") { request, _ in try await listCases(request) }
        group.get("cases/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let dossier = try await store.dossier(caseID: id) else {
                throw APIFailure(.notFound, code: "case_not_found", message: "案件 \(id) 不存在")
            }
            return CaseDetailView(dossier)
        }
        group.get("stats") { _, _ in try await store.statistics() }
    }

    func listCases(_ request: Request) async throws -> CasePage {
        let q = request.uri.queryParameters
        func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw = q[name[...]] else { return value }
            guard let n = Int(raw), range.contains(n) else {
                throw APIFailure(.badRequest, code: "invalid_parameter",
                    message: "参数 \(name) 应为 \(range.lowerBound) 到 \(range.upperBound) 之间的整数")
            }
            return n
        }
        var query = CaseQuery()
        if let t = q["type"] {
            guard let type = CaseType(rawValue: String(t)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter",
                    message: "参数 type 应为 \(CaseType.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
            query.type = type
        }
        if let r = q["region"] {
            guard let region = RegionCode(String(r)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 region 应为六位行政区划代码")
            }
            query.region = region
        }
        if let c = q["charge"], !c.isEmpty { query.charge = String(c) }
        for (name, keyPath) in [("from", \CaseQuery.acceptedFrom), ("to", \CaseQuery.acceptedBefore)] {
            guard let raw = q[name[...]] else { continue }
            if let date = CalendarDate(raw) {
                query[keyPath: keyPath] = Timestamp(year: date.year, month: date.month, day: date.day)
            } else if let t = Timestamp(raw) {
                query[keyPath: keyPath] = t
            } else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 \(name) 应为日期（yyyy-MM-dd）或带时区的时间")
            }
        }
        let page = try int("page", default: 1, range: 1...1_000_000)
        let size = try int("pageSize", default: 20, range: 1...500)
        let result = try await store.cases(query, page: page, pageSize: size)
        return CasePage(items: result.items.map(CaseSummaryView.init), page: result.page, pageSize: result.pageSize,
            total: result.total)
    }
}
