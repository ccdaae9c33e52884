import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import TianpingAccess
import TianpingCore
import TianpingStore

/// Every route is registered through this type with the access it requires; nothing else adds routes. The checks
/// happen here, before any handler runs, and every declaration is kept so that a test can walk the router's route
/// table and fail on any route without one.
public final class RouteDeclarations: Sendable {
    private let table = Mutex<[String: RouteAccess]>([:])

    func declare(_ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess) {
        table.withLock { $0["\(method.rawValue) \(Self.openAPIPath(path))"] = access }
    }

    /// A router path (`api/v1/cases/:id`) as OpenAPI writes it (`/api/v1/cases/{id}`).
    public static func openAPIPath(_ path: String) -> String {
        "/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{" + $0.dropFirst() + "}" : String($0) }.joined(separator: "/")
    }

    /// `"GET /api/v1/cases/{id}"` → its declared access.
    public var all: [String: RouteAccess] { table.withLock { $0 } }

    /// The access declared for a route as the router lists it (`/api/v1/cases/:id` or `{id}`).
    public func access(method: String, path: String) -> RouteAccess? {
        table.withLock { $0["\(method) \(Self.openAPIPath(path))"] }
    }
}

struct SecureRoutes {
    typealias Context = TianpingRequestContext
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    let router: Router<Context>
    let declarations: RouteDeclarations
    let store: TianpingStore
    let prefix: String

    func group(_ path: String) -> SecureRoutes {
        SecureRoutes(router: router, declarations: declarations, store: store, prefix: join(path))
    }

    func get(_ path: String, _ access: RouteAccess, _ handler: @escaping Handler) { on(.get, path, access, handler) }
    func post(_ path: String, _ access: RouteAccess, _ handler: @escaping Handler) { on(.post, path, access, handler) }

    func get<R: ResponseGenerator>(_ path: String, _ access: RouteAccess, _ handler: @escaping @Sendable (Request, Context) async throws -> R) {
        on(.get, path, access) { request, context in try await handler(request, context).response(from: request, context: context) }
    }

    func on(_ method: HTTPRequest.Method, _ path: String, _ access: RouteAccess, _ handler: @escaping Handler) {
        let full = join(path)
        declarations.declare(method, full, access)
        let store = store
        router.on(RouterPath(full), method: method) { request, context in
            guard Principal.admits(context.principal, access) else {
                if let principal = context.principal {
                    try? await store.audit(AuditEntry(principal, .accessDenied, at: context.now.secondsSinceEpoch,
                        target: "\(method.rawValue) \(request.uri.path)", address: context.address, outcome: "denied"))
                    throw APIFailure(.forbidden, code: "forbidden", message: "当前账户（\(principal.role?.chineseName ?? "接口令牌")）无权执行此操作")
                }
                if Self.wantsHTML(request) {
                    // The whole address, filters included, so that a deep link survives signing in.
                    let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                    let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
                    return Response(status: .seeOther, headers: [.location: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/")])
                }
                throw APIFailure(.unauthorized, code: "unauthenticated", message: "请先登录，或在 Authorization 头中提供接口令牌")
            }
            do {
                return try await handler(request, context)
            } catch {
                // Domain refusals become HTTP here, for every route in one place (the store's WarningError included).
                guard let failure = (error as? APIFailure) ?? (error as? WarningError).map(APIFailure.init) else { throw error }
                if failure.status == .notFound, let principal = context.principal, let asked = AccessAudit.asked(route: full, context) {
                    // A case or warning asked for by id that the caller cannot see (or that does not exist): still 404,
                    // but audited with the id, so that probing other regions leaves a trace.
                    await AccessAudit.miss(store, principal, asked, request: request, address: context.address, at: context.now)
                }
                throw failure
            }
        }
    }

    private func join(_ path: String) -> String {
        [prefix, path].filter { !$0.isEmpty }.joined(separator: "/")
    }

    static func wantsHTML(_ request: Request) -> Bool {
        !request.uri.path.hasPrefix("/api/") && (request.headers[.accept]?.contains("text/html") ?? false)
    }
}
