import Foundation
import Hummingbird
import Logging
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL
import TianpingAccess
import TianpingCore
import TianpingExecution
import TianpingLedger
import TianpingRules
import TianpingSentencing
import TianpingStore

/// Settings of the HTTP server.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Witnesses whose cosignatures of the dossier log's checkpoints the server accepts.
    public var witnessKeys: [NoteVerifier]
    /// PEM certificate chain and private key: with both, the server speaks HTTPS only and cookies are Secure.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// A connection with no request in progress is closed after this long (also one whose head arrives byte by byte).
    public var idleTimeout: Duration
    /// A request's head and body must have arrived this long after the head began (a body trickled slowly).
    public var requestReadTimeout: Duration
    /// The similar-case index directory; nil for the default beside an SQLite file (``LibraryIndexer``).
    public var libraryIndex: URL?

    public init(host: String = "127.0.0.1", port: Int = 8080, witnessKeys: [NoteVerifier] = [], tlsCertificatePath: String? = nil,
        tlsKeyPath: String? = nil, idleTimeout: Duration = .seconds(30), requestReadTimeout: Duration = .seconds(120), libraryIndex: URL? = nil)
    {
        self.libraryIndex = libraryIndex
        self.host = host
        self.port = port
        self.witnessKeys = witnessKeys
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.idleTimeout = idleTimeout
        self.requestReadTimeout = requestReadTimeout
    }

    var usesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }
}

/// The routes and what each declares it needs (see ``RouteDeclarations``).
public struct TianpingRoutes {
    public let router: Router<TianpingRequestContext>
    public let declarations: RouteDeclarations
}

/// Builds the Hummingbird application over a store: the JSON API, the HTML pages, the OpenAPI document.
///
/// ```swift
/// let app = try TianpingApplication.build(store: store, engine: engine, log: DossierLog(store: store),
///     configuration: .init(port: 8080))
/// try await app.runService()
/// ```
public enum TianpingApplication {
    /// `catalogue` names every rule a finding can carry; by default the procedure pack's, the sentencing review's and
    /// the ledger audit's (an analysis pipeline with more engines passes its own).
    public static func build(store: TianpingStore, engine: RuleEngine, catalogue: RuleCatalogue? = nil, log: DossierLog,
        configuration: ServerConfiguration, clock: any PlatformClock = SystemClock(), logger: Logger = Logger(label: "tianping.server"))
        throws -> some ApplicationProtocol
    {
        let routes = try routes(store: store, engine: engine, catalogue: catalogue, log: log, witnesses: configuration.witnessKeys,
            secureCookies: configuration.usesTLS, clock: clock, libraryIndex: configuration.libraryIndex)
        let server: HTTPServerBuilder
        let readLimit = TimeAmount(configuration.requestReadTimeout)
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [RequestReadDeadline(limit: readLimit)],
            idleTimeout: TimeAmount(configuration.idleTimeout)))
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(http1, tlsConfiguration: tls)
        } else {
            server = http1
        }
        return Application(
            router: routes.router, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Tianping"),
            logger: logger)
    }

    /// Every route, registered through ``SecureRoutes`` so that each declares the access it needs.
    /// `clock` is where every handler reads "now" (a test passes a ``ManualClock`` to move time).
    /// `libraryIndex` is the similar-case index directory (default: beside an SQLite file, see ``LibraryIndexer``).
    public static func routes(store: TianpingStore, engine: RuleEngine, catalogue: RuleCatalogue? = nil, log: DossierLog? = nil,
        witnesses: [NoteVerifier] = [], secureCookies: Bool = false, throttle: SignInThrottle = SignInThrottle(),
        clock: any PlatformClock = SystemClock(), libraryIndex: URL? = nil) throws -> TianpingRoutes
    {
        let templates = try Templates.load()
        let router = Router(context: TianpingRequestContext.self)
        router.middlewares.add(SecurityHeadersMiddleware(contentSecurityPolicy: ContentSecurityPolicy.header(styleHash: try templates.styleHash()),
            strictTransportSecurity: secureCookies))
        router.middlewares.add(ErrorMiddleware(templates: templates))
        router.middlewares.add(AccessMiddleware(store: store, clock: clock))
        let declarations = RouteDeclarations()
        let routes = SecureRoutes(router: router, declarations: declarations, store: store, prefix: "")
        // Open to load balancers: says the server and its database answer, and nothing about the data.
        routes.get("health", .open) { _, _ in
            _ = try await store.caseCount()
            return HealthResponse(status: "ok", database: store.dialect.rawValue)
        }
        routes.get("openapi.json", .open) { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
                let data = try? Data(contentsOf: url)
            else { throw HTTPError(.internalServerError) }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let directory = AgencyDirectory(store: store)
        let commutation = CommutationCalculator(rules: try CommutationRules.bundled())
        // The pipeline's own catalogue when given; else the platform's, with the commutation review that always runs.
        let catalogue = catalogue ?? RuleCatalogue.platform(pack: engine.pack, more: [CommutationReview(calculator: commutation).rules])
        WebPages(store: store, engine: engine, catalogue: catalogue, templates: templates, directory: directory, throttle: throttle,
            secureCookies: secureCookies, commutation: CommutationReview(calculator: commutation))
            .register(on: routes)
        let v1 = routes.group("api/v1")
        CaseAPI(store: store).register(on: v1)
        FindingAPI(store: store, engine: engine, catalogue: catalogue).register(on: v1)
        let caches = WorkbenchCaches(store: store)
        WarningAPI(store: store, caches: caches, catalogue: catalogue).register(on: v1)
        WarningEventStream(store: store).register(on: v1)
        Workbench(store: store, engine: engine, catalogue: catalogue, templates: templates, caches: caches, directory: directory)
            .register(on: routes)
        let library = LibraryIndexHolder(directory: libraryIndex ?? LibraryIndexer.defaultDirectory(for: store.location))
        SentencingRoutes(store: store, templates: templates, calculator: SentencingCalculator(graph: try SentencingGraph.bundled()), library: library)
            .register(on: routes, v1: v1)
        CommutationRoutes(templates: templates, calculator: commutation)
            .register(on: routes, v1: v1)
        LedgerAPI(store: store, log: log ?? DossierLog(store: store), witnesses: witnesses).register(on: v1)
        JudgmentLibraryAPI(store: store, library: library).register(on: v1)
        SimilarCasePages(store: store, templates: templates, library: library).register(on: routes)
        return TianpingRoutes(router: router, declarations: declarations)
    }

    /// A sign-in redirect target made safe: a path on this site, never another host.
    public static func safeRedirect(_ next: String) -> String { WebPages.safeNext(next) }

    /// The router alone (tests drive it in process).
    public static func router(store: TianpingStore, engine: RuleEngine, catalogue: RuleCatalogue? = nil, log: DossierLog? = nil,
        witnesses: [NoteVerifier] = [], clock: any PlatformClock = SystemClock()) throws -> Router<TianpingRequestContext>
    {
        try routes(store: store, engine: engine, catalogue: catalogue, log: log, witnesses: witnesses, clock: clock).router
    }
}

/// Turns thrown errors into the API's JSON error shape with a Chinese message — or, for a page a browser asked
/// for, into a Chinese page in the workbench's frame with the reason and a way back.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let templates: Templates?

    init(templates: Templates? = nil) { self.templates = templates }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let failure: APIFailure
        do {
            return try await next(request, context)
        } catch let error as APIFailure {
            failure = error
        } catch let error as HTTPError where error.status == .notFound {
            failure = APIFailure(.notFound, code: "not_found", message: "未找到：\(request.uri.path)")
        } catch let error as any HTTPResponseError {
            // Hummingbird's own refusals (a body over the limit, undecodable JSON, a bad path parameter) keep their
            // status and get the API's shape and a Chinese message; never a 500 for what the client sent.
            var refusal = APIFailure.client(error.status)
            if let detail = (error as? HTTPError)?.body, !detail.isEmpty { refusal.message += "（\(detail)）" }
            failure = refusal
        } catch {
            context.logger.error("request failed: \(String(reflecting: error))")
            failure = APIFailure(.internalServerError, code: "internal_error", message: "服务器内部错误")
        }
        if let templates, SecureRoutes.wantsHTML(request) {
            return try ErrorPage(failure, request: request).render(templates).response(status: failure.status)
        }
        return try failure.response(from: request, context: context)
    }
}

/// An error with an HTTP status, a stable code and a Chinese message.
struct APIFailure: Error, ResponseGenerator {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The one mapping of the warning loop's refusals to HTTP: 404 outside the scope, 403 not the caller's step,
    /// 409 a step the lifecycle or the policy does not allow now.
    init(_ error: WarningError) {
        switch error {
        case .notFound: self.init(.notFound, code: "not_found", message: error.description)
        case .forbidden: self.init(.forbidden, code: "forbidden", message: error.description)
        case .invalidTransition: self.init(.conflict, code: "invalid_transition", message: error.description)
        }
    }

    /// A refusal by status, for errors raised below the routes (Hummingbird, NIO).
    static func client(_ status: HTTPResponse.Status) -> APIFailure {
        switch status.code {
        case 413: return APIFailure(status, code: "body_too_large", message: "请求体过大，已拒绝")
        case 400: return APIFailure(status, code: "invalid_request", message: "请求格式错误（请求体、参数或路径无法解析）")
        case 405: return APIFailure(status, code: "method_not_allowed", message: "该路径不支持此请求方法")
        case 500...: return APIFailure(status, code: "internal_error", message: "服务器内部错误")
        default: return APIFailure(status, code: "request_refused", message: "请求被拒绝（HTTP \(status.code)）")
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIError(error: .init(code: code, message: message)).response(from: request, context: context)
        response.status = status
        return response
    }
}
