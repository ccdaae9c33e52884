import Hummingbird
import NIOCore
import TianpingAccess
import TianpingCore

/// The request context of every route: who is asking (set by ``AccessMiddleware``) and from which address.
public struct TianpingRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The signed-in account or API token, if any.
    public var principal: Principal?
    /// The session's CSRF token, when signed in with a session cookie.
    public var csrfToken: String?
    /// The session secret from the cookie, to end the session on sign-out.
    public var sessionToken: String?
    /// The application's clock (set by ``AccessMiddleware``): every handler reads "now" from it.
    public var clock: any PlatformClock = SystemClock()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// A verification report's attachment (10 MiB) and its form fields fit.
    public var maxUploadSize: Int { 11 * 1024 * 1024 }

    /// The signed-in caller, or the API's 401: for handlers whose route admits only signed-in callers anyway.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIFailure(.unauthorized, code: "unauthenticated", message: "请先登录") }
        return principal
    }

    /// The current second on the application's clock.
    public var now: Timestamp { clock.now() }

    /// The caller's address as the audit log writes it.
    public var address: String? { remoteAddress?.ipAddress }
}
