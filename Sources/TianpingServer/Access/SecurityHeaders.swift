import Crypto
import Foundation
import HTTPTypes
import Mustache
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Headers on every response, errors and unknown paths included: the pages may not be framed, run no script
/// and load nothing from elsewhere; no response is sniffed as another type, sends a referrer or is stored in a
/// cache. Every response of this server may carry personal data (there are no static assets), so `no-store` is
/// applied throughout.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }

    /// The `Content-Security-Policy` value (see ``ContentSecurityPolicy``).
    let contentSecurityPolicy: String
    /// Under TLS: tell browsers to come back over HTTPS only.
    let strictTransportSecurity: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[.cacheControl] = "no-store"
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

/// The pages' Content Security Policy: nothing by default; their one inline `<style>` block (the `styles` template)
/// allowed by its SHA-256, so that no injected style or script runs; forms post only to this site; never framed.
enum ContentSecurityPolicy {
    static func header(styleHash: String) -> String {
        "default-src 'none'; style-src 'sha256-\(styleHash)'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
    }

    /// The base64 SHA-256 of the text inside a rendered `<style>…</style>`, as a browser hashes it.
    static func styleHash(_ rendered: String) -> String? {
        guard let open = rendered.range(of: "<style>"), let close = rendered.range(of: "</style>", range: open.upperBound..<rendered.endIndex)
        else { return nil }
        return Data(SHA256.hash(data: Data(rendered[open.upperBound..<close.lowerBound].utf8))).base64EncodedString()
    }
}

/// Closes a connection whose request (head and body) has not fully arrived `limit` after its head did. The HTTP/1
/// idle timeout already closes a connection that sends nothing — or a head trickled byte by byte, which yields no
/// request part — but every body chunk counts as activity, so a body trickled slowly would hold a connection
/// forever without this.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let limit: TimeAmount
    private var pending: Scheduled<Void>?

    init(limit: TimeAmount) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            pending?.cancel()
            pending = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [weak self] in
                self?.pending = nil
                context.close(promise: nil)
            }
        case .end:
            pending?.cancel()
            pending = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.cancel()
        pending = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        pending?.cancel()
        pending = nil
    }
}

@available(*, unavailable)
extension RequestReadDeadline: Sendable {}

extension Templates {
    /// The hash of the `styles` template's `<style>` block as the pages carry it (for ``ContentSecurityPolicy``).
    func styleHash() throws -> String {
        guard let rendered = library.render([String: String](), withTemplate: "styles"), let hash = ContentSecurityPolicy.styleHash(rendered)
        else { throw TemplateError.missing("styles") }
        return hash
    }
}
