import Foundation
import Hummingbird
import Logging
import TianpingCore
import TianpingLedger
import TianpingRules
import TianpingStore

/// Settings of the HTTP server.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Witnesses whose cosignatures of the dossier log's checkpoints the server accepts.
    public var witnessKeys: [NoteVerifier]

    public init(host: String = "127.0.0.1", port: Int = 8080, witnessKeys: [NoteVerifier] = []) {
        self.host = host
        self.port = port
        self.witnessKeys = witnessKeys
    }
}

/// Builds the Hummingbird application over a store: the JSON API, the OpenAPI document and the landing page.
///
/// ```swift
/// let app = TianpingApplication.build(store: store, configuration: .init(port: 8080))
/// try await app.runService()
/// ```
public enum TianpingApplication {
    public static func build(store: TianpingStore, engine: RuleEngine, log: DossierLog, configuration: ServerConfiguration,
        logger: Logger = Logger(label: "tianping.server")) -> some ApplicationProtocol
    {
        Application(
            router: router(store: store, engine: engine, log: log, witnesses: configuration.witnessKeys),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Tianping"),
            logger: logger)
    }

    /// The routes, separate from the server so tests can drive them in process.
    public static func router(store: TianpingStore, engine: RuleEngine, log: DossierLog? = nil, witnesses: [NoteVerifier] = [])
        -> Router<BasicRequestContext>
    {
        let router = Router()
        router.middlewares.add(ErrorMiddleware())
        let api = CaseAPI(store: store)
        router.get("/") { _, _ in try await LandingPage.render(store: store) }
        router.get("/health") { _, _ in
            HealthResponse(status: "ok", database: store.dialect.rawValue, cases: try await store.caseCount())
        }
        router.get("/openapi.json") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
                let data = try? Data(contentsOf: url)
            else { throw HTTPError(.internalServerError) }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let v1 = router.group("api/v1")
        api.register(on: v1)
        FindingAPI(store: store, engine: engine).register(on: v1)
        LedgerAPI(store: store, log: log ?? DossierLog(store: store), witnesses: witnesses).register(on: v1)
        return router
    }
}

/// Turns thrown errors into the API's JSON error shape with a Chinese message.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIFailure {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            return try APIFailure(.notFound, code: "not_found", message: "未找到：\(request.uri.path)")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            throw error
        } catch {
            context.logger.error("request failed: \(String(reflecting: error))")
            return try APIFailure(.internalServerError, code: "internal_error", message: "服务器内部错误")
                .response(from: request, context: context)
        }
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

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIError(error: .init(code: code, message: message)).response(from: request, context: context)
        response.status = status
        return response
    }
}
