import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingStore

/// The audit entries that routes write for reads other than a case's own detail: lists (one entry per request,
/// naming the request with its filters and how many rows it showed), a warning's page, and requests for a case
/// or warning the caller cannot see (answered 404 all the same, so that existence does not leak; only the
/// audit tells an out-of-scope case from a missing one).
enum AccessAudit {
    /// The longest request text kept in `target`: filters are short, a crafted query need not fill the audit.
    static let maxTarget = 512

    /// `GET /api/v1/cases?type=criminal&page=2`, percent-decoded so that a filter in Chinese reads as such.
    static func requestText(_ request: Request) -> String {
        let query = request.uri.query.map { "?" + ($0.removingPercentEncoding ?? $0) } ?? ""
        return String("\(request.method.rawValue) \(request.uri.path)\(query)".prefix(maxTarget))
    }

    /// One list read: what was asked (filters) and how many rows it showed.
    static func list(_ store: TianpingStore, _ request: Request, _ context: TianpingRequestContext, count: Int?, caseID: String? = nil)
        async throws
    {
        guard let principal = context.principal else { return }
        try await store.audit(AuditEntry(principal, .readList, at: context.now.secondsSinceEpoch, target: requestText(request),
            caseID: caseID, address: context.address, itemCount: count))
    }

    /// A warning's page or JSON.
    static func warning(_ store: TianpingStore, _ context: TianpingRequestContext, _ warning: StoredWarning) async throws {
        guard let principal = context.principal else { return }
        try await store.audit(AuditEntry(principal, .readWarning, at: context.now.secondsSinceEpoch,
            target: "warning:\(warning.id)", caseID: warning.caseID, address: context.address))
    }

    /// What a route with an `:id` asks for, read from its path template: a case or a warning (whose id leads
    /// with its case: `case|agency`).
    enum Asked {
        case `case`(String)
        case warning(String)

        /// The case the id names.
        var caseID: String {
            switch self {
            case .case(let id): return id
            case .warning(let id): return String(id.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            }
        }
    }

    static func asked(route: String, _ context: TianpingRequestContext) -> Asked? {
        guard let raw = context.parameters.get("id") else { return nil }
        let id = raw.removingPercentEncoding ?? raw
        if route.contains("warnings/:id") { return .warning(id) }
        if route.contains("cases/:id") { return .case(id) }
        return nil
    }

    /// Records a request for a case or warning that was answered 404: `denied` when the object exists (outside
    /// the caller's scope), `failed` when it does not. ``TianpingStore/accessSignals(now:window:unassignedThreshold:exportThreshold:probeThreshold:)``
    /// raises a signal on repeated misses. Never throws: the caller answers 404 whatever happens here.
    static func miss(_ store: TianpingStore, _ principal: Principal, _ asked: Asked, request: Request, address: String?,
        at now: Timestamp) async
    {
        let exists: Bool
        switch asked {
        case .case(let id): exists = (try? await store.caseExists(id: id)) ?? false
        case .warning(let id): exists = (try? await store.warning(id)) != nil
        }
        try? await store.audit(AuditEntry(principal, .outOfScope, at: now.secondsSinceEpoch, target: requestText(request),
            caseID: String(asked.caseID.prefix(maxTarget)), address: address, outcome: exists ? "denied" : "failed"))
    }
}
