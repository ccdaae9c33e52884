import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingStore

/// 查找案件: the navigation's one search box. One hit opens the case; several are listed; the search is scoped and
/// audited like any list read, and a masked reader still finds a case by the full name or number they typed.
extension Workbench {
    struct SearchPage {
        /// Answers mustache's lookups with a switch instead of reflection: a common name lists 50 rows, and
        /// reflecting over each was a quarter of the page's time at a million cases.
        struct Hit: MustacheParent {
            var href: String
            var caseNumber: String
            var id: String
            var title: String
            var type: String
            var accepted: String
            var matchedBy: String

            func child(named name: String) -> Any? {
                switch name {
                case "href": return href
                case "caseNumber": return caseNumber
                case "id": return id
                case "title": return title
                case "type": return type
                case "accepted": return accepted
                case "matchedBy": return matchedBy
                default: return nil
                }
            }
        }

        var frame: Frame
        var query: String
        var hits: [Hit]
        var searched: Bool
        var count: Int
        /// Stored, not computed: mustache reads properties by reflection.
        var hasHits: Bool
    }

    func search(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        let typed = (request.uri.formParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard typed.count <= 100 else { throw APIFailure(.badRequest, code: "invalid_parameter", message: "查询内容过长（最多 100 个字）") }
        let hits = typed.isEmpty ? [] : try await store.searchCases(typed, scope: principal.scope)
        if !typed.isEmpty { try await AccessAudit.list(store, request, context, count: hits.count) }
        if hits.count == 1, let hit = hits.first {
            return Response(status: .seeOther, headers: [.location: "/cases/" + Self.pathComponent(hit.summary.id)])
        }
        // Only the titles are shown: each case's masker needs only what its title contains.
        let maskers = try await store.freeTextMaskers(forCases: hits.map(\.summary.id),
            texts: Dictionary(hits.map { ($0.summary.id, $0.summary.title) }, uniquingKeysWith: { first, _ in first }))
        let page = SearchPage(
            frame: Frame("查找案件", path: "/workbench/search", principal: principal, csrf: context.csrfToken),
            query: typed,
            hits: hits.map { hit in
                let s = hit.summary
                return SearchPage.Hit(href: "/cases/" + Self.pathComponent(s.id), caseNumber: s.caseNumber ?? "（无案号）", id: s.id,
                    title: (maskers[s.id] ?? .patterns)(s.title), type: s.type.chineseName,
                    accepted: ChineseDates.day(s.acceptedAt), matchedBy: hit.matchedBy)
            },
            searched: !typed.isEmpty, count: hits.count, hasHits: !hits.isEmpty)
        return try templates.render(page, "search").response(from: request, context: context)
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}
