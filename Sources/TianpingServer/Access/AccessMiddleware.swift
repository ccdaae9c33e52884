import Foundation
import HTTPTypes
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingStore

/// Resolves the caller — a session cookie or an `Authorization: Bearer` token — and refuses a state-changing
/// request made with a session cookie unless it carries the session's CSRF token (header `X-CSRF-Token` or form
/// field `_csrf`). Bearer requests need no CSRF token: a browser never adds that header by itself. A multipart
/// `Content-Type` with a missing or invalid boundary is refused (400) first, whoever sends it.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = TianpingRequestContext
    static let sessionCookie = "tianping_session"

    let store: TianpingStore
    /// The application's clock, handed to every handler through the context.
    let clock: any PlatformClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        context.clock = clock
        // A multipart form's boundary is checked before anything reads the body (a bad one is a 400, for every caller).
        _ = try FormFields.multipartBoundary(request.headers[.contentType])
        let now = clock.now().secondsSinceEpoch
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            guard let principal = try await store.tokenPrincipal(secret: String(header.dropFirst(7)), now: now) else {
                throw APIFailure(.unauthorized, code: "invalid_token", message: "接口令牌无效或已吊销")
            }
            context.principal = principal
        } else if let token = request.cookies[Self.sessionCookie]?.value,
            let session = try await store.session(token: token, now: now)
        {
            context.principal = try await store.principal(for: session.account)
            context.csrfToken = session.csrf
            context.sessionToken = token
            if ![.get, .head, .options].contains(request.method) {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let supplied = try request.headers[HTTPField.Name("X-CSRF-Token")!] ?? FormFields(body, contentType: request.headers[.contentType])["_csrf"]
                guard let supplied, supplied == session.csrf else {
                    throw APIFailure(.forbidden, code: "csrf_rejected", message: "请求缺少有效的 CSRF 令牌，已拒绝（请刷新页面后重试）")
                }
            }
        }
        return try await next(request, context)
    }
}
