import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingLedger
import TianpingRules
@testable import TianpingServer
import TianpingStore

/// The server's own defences (issue 14, items 7, 8 and 12): multipart input refused before parsing, no range or
/// index built from a request, errors with their real status, security headers, connection timeouts, the CSV
/// formula guard, the dossier's stated reason, quarantine counts by scope.
@Suite("Server hardening", .serialized)
struct HardeningTests {
    static let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    // MARK: Multipart (item 7)

    @Test("a multipart boundary must be 1–70 RFC 2046 characters, checked before any byte is parsed")
    func boundaryCheck() throws {
        for bad in ["multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"", "multipart/form-data",
            "multipart/form-data; boundary=" + String(repeating: "a", count: 71), "multipart/form-data; boundary=a b ",
            "multipart/form-data; boundary=\u{4E2D}", "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary=a\"b"]
        {
            #expect(throws: APIFailure.self, "\(bad)") { try FormFields.multipartBoundary(bad) }
        }
        #expect(try FormFields.multipartBoundary("multipart/form-data; boundary=" + String(repeating: "a", count: 70)) == String(repeating: "a", count: 70))
        #expect(try FormFields.multipartBoundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\"") == "a b:c")
        #expect(try FormFields.multipartBoundary("application/json") == nil)
        #expect(try FormFields.multipartBoundary(nil) == nil)
    }

    @Test("a browser's multipart form is read; malformed ones are errors, never traps")
    func multipartParser() throws {
        let b = Self.boundary
        let body = "--\(b)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nconclude\r\n"
            + "--\(b)\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n第一行\r\n第二行\r\n"
            + "--\(b)\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"核查;报告.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--x\r\n"
            + "--\(b)--\r\n"
        let form = try FormFields(ByteBuffer(string: body), contentType: "multipart/form-data; boundary=\(b)")
        #expect(form["action"] == "conclude")
        #expect(form["comment"] == "第一行\r\n第二行")
        let file = try #require(form.file("attachment"))
        #expect(file.filename == "核查;报告.pdf")
        #expect(file.contentType == "application/pdf")
        #expect(file.data == Array("%PDF\r\n--x".utf8))
        for malformed in [
            "", "--\(b)", "--\(b)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter",
            // A byte ≥ 0x80 in a header name: MultipartKit indexes a 128-entry table with it and traps.
            "--\(b)\r\n\u{4E2D}: x\r\n\r\nv\r\n--\(b)--", "--\(b)\r\nno colon\r\n\r\nv\r\n--\(b)--", "--\(b)\r\n: x\r\n\r\nv\r\n--\(b)--",
            "--\(b)X\r\n\r\nv\r\n--\(b)--", "--\(b)\r\nA: b\r\nno blank line\r\n--\(b)--",
            String(repeating: "--\(b)\r\n\r\nv\r\n", count: MultipartBody.maximumParts + 1) + "--\(b)--",
        ] {
            #expect(throws: APIFailure.self, "\(malformed.prefix(80))") {
                try FormFields(ByteBuffer(string: malformed), contentType: "multipart/form-data; boundary=\(b)")
            }
        }
    }

    @Test("an empty or invalid boundary is a 400 for the lowest role, with or without the CSRF header, and the server stays up")
    func emptyBoundaryOverHTTP() async throws {
        try await AccessFixture.with { fixture, client in
            let officer = fixture.sessions[.caseOfficer]!
            // Refused in the middleware, before the route looks the warning up.
            let act = "/workbench/warnings/\(fixture.inside)%7C\(fixture.police)/act"
            for uri in ["/cases/\(fixture.inside)/unmask", act, "/logout", "/api/v1/warnings/push", "/login"] {
                for contentType in ["multipart/form-data; boundary=", "multipart/form-data; boundary=" + String(repeating: "b", count: 500)] {
                    for withCSRF in [false, true] {
                        var headers: HTTPFields = [.cookie: "tianping_session=\(officer.token)", .contentType: contentType]
                        if withCSRF { headers[HTTPField.Name("X-CSRF-Token")!] = officer.csrf }
                        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: "--\r\n\r\n")) { response in
                            #expect(response.status == .badRequest, "\(uri) \(contentType.prefix(40)) csrf=\(withCSRF)")
                            let error = try json(response.body)["error"] as? [String: Any]
                            #expect(error?["code"] as? String == "invalid_multipart")
                            #expect(String(buffer: response.body).contains("分隔符"))
                        }
                    }
                }
            }
            #expect(try await client.execute(uri: "/health", method: .get) { $0.status } == .ok)
            // A well-formed multipart form still carries its CSRF token and fields.
            let form = "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(officer.csrf)\r\n"
                + "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n核查当事人身份\r\n--\(Self.boundary)--\r\n"
            try await client.execute(uri: "/cases/\(fixture.inside)/unmask", method: .post,
                headers: [.cookie: "tianping_session=\(officer.token)", .contentType: "multipart/form-data; boundary=\(Self.boundary)"],
                body: ByteBuffer(string: form)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    // MARK: Ranges and indices from requests (item 8)

    @Test("an inclusion proof on an empty dossier log is a 404, not 1...0")
    func emptyLog() async throws {
        try await withEmptyStore { store in
            try await DossierLog(store: store).checkpoint(signer: try NoteSigner(name: "test.example/dossiers"), now: 1)
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            try await Application(router: try TianpingApplication.router(store: store, engine: engine)).test(.router) { client in
                for query in ["leaf=0", "leaf=0&size=0", "leaf=-1", "size=1", "source=a&kind=case&id=x"] {
                    try await client.execute(uri: "/api/v1/ledger/proof/inclusion?\(query)", method: .get) { response in
                        #expect(response.status == .notFound, "\(query)")
                        #expect(String(buffer: response.body).contains("empty_log"))
                    }
                }
                #expect(try await client.execute(uri: "/api/v1/ledger/proof/consistency?from=0&to=0", method: .get) { $0.status } == .ok)
                #expect(try await client.execute(uri: "/api/v1/ledger/checkpoints/-1", method: .get) { $0.status } == .notFound)
                #expect(try await client.execute(uri: "/health", method: .get) { $0.status } == .ok)
            }
        }
    }

    @Test("a Last-Event-ID near Int64.max neither overflows nor skips: the stream starts at the newest event")
    func eventCursor() async throws {
        try await AccessFixture.with { fixture, client in
            let leader = SignedInClient(base: client, session: fixture.sessions[.leader]!)
            for id in ["9223372036854775807", "9223372036854775806", "9223372036854775300"] {
                try await leader.execute(uri: "/api/v1/events/warnings?timeout=1", method: .get,
                    headers: [HTTPField.Name("Last-Event-ID")!: id]) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).hasPrefix("retry: 3000"))
                }
            }
            #expect(try await leader.execute(uri: "/api/v1/events/warnings?timeout=1&after=-5", method: .get) { $0.status } == .badRequest)
        }
    }

    // MARK: Errors keep their status (item 12)

    @Test("a body over a route's limit is 413, an undecodable body or path 400, with the API's shape and a Chinese message")
    func errorStatuses() async throws {
        try await AccessFixture.with { fixture, client in
            let supervisor = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            try await supervisor.execute(uri: "/api/v1/cases/\(fixture.inside)/unmask", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"reason\":\"" + String(repeating: "长", count: 30_000) + "\"}")) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("body_too_large"))
                #expect(String(buffer: response.body).contains("请求体过大"))
            }
            try await supervisor.execute(uri: "/api/v1/warnings/push", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"ids\": 5")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("请求格式错误"))
            }
            #expect(try await client.execute(uri: "/api/v1/ledger/checkpoints/abc", method: .get) { $0.status } == .badRequest)
            // JSON nested far deeper than any client sends is refused, not a stack overflow.
            try await supervisor.execute(uri: "/api/v1/cases/\(fixture.inside)/unmask", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: String(repeating: "[", count: 60_000))) { response in
                #expect(response.status == .badRequest)
            }
            try await supervisor.execute(uri: "/api/v1/sentencing/estimate", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: String(repeating: "{\"crime\":", count: 50_000))) { response in
                #expect(response.status == .badRequest)
            }
            // Numbers no court sees (infinite, past Double, NaN) are refused on the page too, not turned into an Int.
            for numbers in ["amount=inf", "amount=1e309", "drugGrams=nan", "bloodAlcohol=1e300", "actual=inf", "actual=-1e308", "amount=1e300&actual=1e300"] {
                try await supervisor.execute(uri: "/workbench/sentencing?crime=%E7%9B%97%E7%AA%83%E7%BD%AA&\(numbers)", method: .get) { response in
                    #expect(response.status == .ok, "\(numbers)")
                    #expect(String(buffer: response.body).contains("class=\"error\"") || String(buffer: response.body).contains("应为"), "\(numbers)")
                }
            }
        }
    }

    // MARK: Security headers (item 12)

    @Test("every response carries CSP, frame-ancestors, nosniff, no-referrer and no-store; the CSP admits the pages' own style block")
    func securityHeaders() async throws {
        try await AccessFixture.with { fixture, client in
            let supervisor = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            var page = ""
            for (uri, signedIn) in [("/", false), ("/login", false), ("/health", false), ("/no/such/path", false), ("/api/v1/cases", false),
                ("/cases/\(fixture.inside)", true), ("/api/v1/cases/\(fixture.inside)", true), ("/workbench", true),
                ("/api/v1/cases/\(fixture.inside)/persons.csv", true), ("/api/v1/ledger/checkpoint", false)]
            {
                let response = try await (signedIn ? supervisor : client).execute(uri: uri, method: .get, headers: [.accept: "text/html"]) { $0 }
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"))
                #expect(!csp.contains("unsafe-inline") && !csp.contains("script-src"), "no script at all, no inline style but the known one")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
                #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
                #expect(response.headers[.strictTransportSecurity] == nil, "HSTS only under TLS")
                if uri == "/cases/\(fixture.inside)" {
                    #expect(response.status == .ok)
                    page = String(buffer: response.body)
                    // The hash in the policy is the hash of the style block the page carries, as a browser computes it.
                    let open = try #require(page.range(of: "<style>"))
                    let close = try #require(page.range(of: "</style>"))
                    let digest = Data(SHA256.hash(data: Data(page[open.upperBound..<close.lowerBound].utf8))).base64EncodedString()
                    #expect(csp.contains("style-src 'sha256-\(digest)'"))
                }
            }
            #expect(!page.isEmpty)
            #expect(!page.contains("<script") && !page.contains(" style=\""), "the pages use neither scripts nor style attributes")
        }
    }

    // MARK: Timeouts (item 12)

    @Test("idle connections, heads trickled byte by byte and bodies trickled slowly are closed")
    func connectionTimeouts() async throws {
        try await withEmptyStore { store in
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let app = try TianpingApplication.build(store: store, engine: engine, log: DossierLog(store: store),
                configuration: ServerConfiguration(host: "127.0.0.1", port: 0, idleTimeout: .seconds(1), requestReadTimeout: .seconds(2)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                // Says nothing.
                #expect(try await Self.closedWithin(.seconds(4), port: port, sending: []))
                // A head, one byte every 300 ms: never complete, never a request part.
                #expect(try await Self.closedWithin(.seconds(4), port: port, sending: Array("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 30)))
                // A complete head, then the body one byte every 300 ms: each byte is activity, so only the read deadline stops it.
                let head = Array("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n".utf8)
                #expect(try await Self.closedWithin(.seconds(5), port: port, sending: Array(repeating: UInt8(ascii: "a"), count: 30), after: head))
                // A prompt request is answered as ever (on a new connection: the test client's own has idled out meanwhile).
                let answer = try await Self.exchange(port: port, Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(80))")
            }
        }
    }

    /// Connects, writes `after` at once and then `bytes` one every 300 ms, and reports whether the server closed the
    /// connection within `limit`.
    static func closedWithin(_ limit: Duration, port: Int, sending bytes: [UInt8], after head: [UInt8] = []) async throws -> Bool {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
        let start = ContinuousClock.now
        if !head.isEmpty { try await channel.writeAndFlush(ByteBuffer(bytes: head)).get() }
        let trickle = Task {
            for byte in bytes {
                try await Task.sleep(for: .milliseconds(300))
                try await channel.writeAndFlush(ByteBuffer(bytes: [byte])).get()
            }
        }
        defer { trickle.cancel() }
        while ContinuousClock.now - start < limit {
            if !channel.isActive { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        try? await channel.close()
        return false
    }

    /// Sends a request on a new connection and returns everything the server wrote until it closed.
    static func exchange(port: Int, _ request: [UInt8]) async throws -> String {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: request)).get()
        try await channel.closeFuture.get()
        return collector.text
    }

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private var received = ByteBuffer()
        /// Read after the channel closed, when the event loop no longer writes it.
        var text: String { String(buffer: received) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            received.writeBuffer(&buffer)
        }
    }

    // MARK: CSV, the dossier's reason, quarantine counts (item 12)

    @Test("a CSV cell that a spreadsheet would read as a formula stays text, also after a leading tab or carriage return")
    func csvFormulaGuard() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\r\n=1+1"] {
            let quoted = CSV.quote(cell)
            #expect(quoted.hasPrefix("'") || quoted.hasPrefix("\"'"), "\(cell.debugDescription) → \(quoted.debugDescription)")
        }
        #expect(CSV.quote("张某盗窃案") == "张某盗窃案")
        #expect(CSV.quote("a,b") == "\"a,b\"")
    }

    @Test("the dossier export takes its reason in a POST body, collapses line breaks and refuses a blank one")
    func dossierReason() async throws {
        try await AccessFixture.with { fixture, client in
            let supervisor = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            let uri = "/api/v1/cases/\(fixture.inside)/dossier"
            #expect(try await supervisor.execute(uri: uri + "?reason=%E7%A7%BB%E9%80%81%E5%AE%A1%E6%9F%A5", method: .get) { $0.status } != .ok,
                "no export by GET with the reason in the URL")
            for blank in [#"{"reason":"\n\n\n\n\n\n"}"#, #"{"reason":"\r\n \t\r\n  \u0000\u0007"}"#, #"{"reason":"a\n\n\nb"}"#, #"{}"#, "",
                #"{"reason":"\#(String(repeating: "理", count: 501))"}"#]
            {
                try await supervisor.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: blank)) { response in
                    #expect(response.status == .badRequest, "\(blank.prefix(40))")
                    #expect(String(buffer: response.body).contains("reason_required"))
                }
            }
            try await supervisor.execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"reason":"  移送\n\n审查\r\n需要  "}"#)) { response in
                #expect(response.status == .ok)
            }
            let form = "reason=%E5%A4%8D%E6%A0%B8%0A%0A%E6%A1%88%E5%8D%B7"
            #expect(try await supervisor.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form)) { $0.status } == .ok)
            let reasons = try await fixture.store.auditEntries(action: .exportDossier, caseID: fixture.inside, limit: 10).compactMap(\.reason)
            #expect(Set(reasons).isSuperset(of: ["移送 审查 需要", "复核 案卷"]), "\(reasons)")
            #expect(!reasons.contains { $0.contains("\n") || $0.contains("\r") })
        }
    }

    @Test("quarantine counts only for the whole province and administrators")
    func quarantineCounts() async throws {
        try await AccessFixture.with { fixture, client in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-bad-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data("not json at all\n{\"kind\":\"case\"}\n".utf8).write(to: file)
            let summary = try await Ingestor(store: fixture.store, options: IngestOptions(now: Timestamp("2026-07-01T00:00:00+08:00")!))
                .ingest(try LineReader(path: file.path), sourceName: "bad.jsonl")
            #expect(summary.total(.quarantined) == 2)
            for role in [Role.committeeSupervisor, .systemAdministrator, .procuratorialSupervisor, .leader, .internalSupervisor] {
                let caller = SignedInClient(base: client, session: fixture.sessions[role]!)
                let stats = try await caller.execute(uri: "/api/v1/stats", method: .get) { try json($0.body) }
                let counts = try #require(stats["openQuarantineByCode"] as? [String: Int], "\(role)")
                let whole = role == .committeeSupervisor || role == .systemAdministrator
                #expect(counts.values.reduce(0, +) == (whole ? 2 : 0), "\(role.rawValue): \(counts)")
                let home = try await caller.execute(uri: "/", method: .get) { String(buffer: $0.body) }
                #expect(home.contains("待处理隔离数据") == whole, "\(role.rawValue) home page")
            }
        }
    }
}
