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
        query.acceptedFrom = try QueryParameters.moment(q["from"], "from")
        query.acceptedBefore = try QueryParameters.moment(q["to"], "to")
        let page = try QueryParameters.int(q["page"], "page", default: 1, range: 1...1_000_000)
        let size = try QueryParameters.int(q["pageSize"], "pageSize", default: 20, range: 1...500)
        let result = try await store.cases(query, page: page, pageSize: size)
        return CasePage(items: result.items.map(CaseSummaryView.init), page: result.page, pageSize: result.pageSize,
            total: result.total)
    }
}
