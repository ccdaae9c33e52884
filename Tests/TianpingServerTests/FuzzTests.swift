import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingLedger
import TianpingRules
import TianpingServer
import TianpingStore

/// SplitMix64: a small seeded generator, so that every run sends the same requests and a failure replays.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
}

/// Hostile requests: malformed multipart bodies and boundaries, malformed headers, absurd query parameters and
/// path parameters, malformed JSON. Every value here has broken a web server somewhere.
enum Hostile {
    static let boundary = "----TianpingFuzzBoundary7MA4YWxkTrZu0gW"

    static let pathValues = [
        "0", "-1", "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "%00", "%FF%FE", "%E4%B8%AD%E6%96%87",
        "a%7Cb", "a%7C", "%7C", "%25", "..%2F..%2Fetc%2Fpasswd", String(repeating: "A", count: 4_000), "%20", "NaN", "1e9", "'",
        "%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%0D%0ASet-Cookie:%20x=y", "-0", "+1", "0x10", "%F0%9F%98%80",
    ]

    static let queryNames = [
        "page", "pageSize", "limit", "leaf", "size", "from", "to", "version", "source", "kind", "id", "after", "state", "grade", "sort",
        "agency", "case", "region", "type", "charge", "rule", "severity", "status", "reason", "next", "pushed", "refused", "done", "crime",
        "amount", "drugGrams", "bloodAlcohol", "actual", "decided", "c", "injury", "drug", "cues", "actor", "action", "overdue",
    ]

    static let queryValues = [
        "-1", "0", "1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e309", "nan", "inf", "-inf", "",
        "abc", "%E4%B8%AD%E6%96%87", "%FF", "%00", "1.5", "2026-02-30", "9999-12-31", "0000-01-01", "2026-13-01T25:61:61+99:99",
        "+1", "%201", String(repeating: "9", count: 400), String(repeating: "x", count: 3_000), "%E2%80%AE", "red", "open", "all",
        "criminal", "520000", "52", "%", "%ZZ", "a%7Cb", "1e308", "0.000001", "-0",
        "%E7%9B%97%E7%AA%83%E7%BD%AA", "%E6%95%85%E6%84%8F%E4%BC%A4%E5%AE%B3%E7%BD%AA", "%E5%8D%B1%E9%99%A9%E9%A9%BE%E9%A9%B6%E7%BD%AA",
    ]

    static let contentTypes: [String?] = [
        nil, "application/json", "application/x-www-form-urlencoded", "text/plain", "", "multipart/form-data",
        "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=\"",
        "multipart/form-data; boundary=" + String(repeating: "a", count: 71), "multipart/form-data; boundary=" + String(repeating: "b", count: 5_000),
        "multipart/form-data; boundary=\u{E9}t\u{E9}", "multipart/form-data; boundary=a; boundary=b", "MULTIPART/FORM-DATA; BOUNDARY=\(boundary)",
        "multipart/form-data; boundary=\"unterminated", "multipart/form-data; boundary=\(boundary)", "multipart/form-data; boundary=\(boundary)",
        "multipart/form-data;boundary=\" \"", "multipart/mixed; boundary=", "application/json; charset=utf-16", "multipart/form-data; boundary=;",
        "multipart/form-data; boundary=-", "multipart/form-data; boundary=\(String(repeating: "z", count: 70))",
    ]

    static func multipartBodies(_ csrf: String) -> [String] {
        let b = boundary
        return [
            "",
            "--\(b)--\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nconclude\r\n--\(b)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(b)--\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n核查需要，依法调阅\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4",
            "--\(b)\r\n\u{4E2D}\u{6587}: x\r\n\r\nbody\r\n--\(b)--\r\n",
            "--\(b)\r\n\u{FF}\u{FE}: x\r\n\r\nbody\r\n--\(b)--\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(b)\r\n\u{4E2D}: x\r\n\r\nv\r\n--\(b)--\r\n",
            "--\(b)\r\nno colon here\r\n\r\nbody\r\n--\(b)--\r\n",
            "--\(b)\r\n: empty name\r\n\r\nbody\r\n--\(b)--\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"comment\"\r\n",
            "--\(b)",
            "--\(b)\r",
            "\r\n--\(b)\r\n\r\n\r\n--\(b)--",
            "preamble\r\n--\(b)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(b)--",
            String(repeating: "--\(b)\r\nContent-Disposition: form-data; name=\"ids\"\r\n\r\nx|y\r\n", count: 1_200) + "--\(b)--\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"x\"; filename*=utf-8''%E0%A4%A\r\n\r\n\r\n--\(b)--\r\n",
            "--\(b)\r\nContent-Disposition: form-data; name=\"\(String(repeating: "n", count: 20_000))\"\r\n\r\nv\r\n--\(b)--\r\n",
            "--\(b)  \t\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n\r\n\r\n\r\n--\(b)--",
            String(repeating: "\r\n--\(b.prefix(20))", count: 2_000),
        ]
    }

    static let jsonBodies = [
        "{", "[", "null", "\"x\"", "{\"reason\":5}", "{\"reason\":\"\\n\\n\\n\\n\\n\"}", "{\"reason\":\"\\u0000\\u0000\\u0000\\u0000\"}",
        "{\"ids\":\"x\"}", "{\"ids\":[1,2,3]}", "{\"ids\":[\"\(String(repeating: "a|b\",\"", count: 1_500))\"]}",
        String(repeating: "[", count: 20_000), String(repeating: "{\"a\":", count: 10_000), "{\"size\":1e400,\"cosignature\":\"— a b\"}",
        "{\"size\":-1,\"cosignature\":\"— w AAAA\"}", "{\"size\":9223372036854775807,\"cosignature\":\"\"}",
        "{\"crime\":\"盗窃罪\",\"facts\":{\"amountYuan\":1e308},\"actualMonths\":1e308}",
        "{\"crime\":\"盗窃罪\",\"facts\":{\"amountYuan\":-1,\"drugGrams\":1e300,\"bloodAlcohol\":-1e300},\"circumstances\":[\"自首\",\"\",\"\(String(repeating: "x", count: 5_000))\"]}",
        "{\"crime\":\"\",\"decidedOn\":\"0000-00-00\"}", "{\"crime\":\"故意伤害罪\",\"facts\":{\"injury\":\"death\",\"cues\":[\"\\ud800\"]},\"decidedOn\":\"9999-12-31\"}",
        "{\"action\":\"conclude\",\"conclusion\":\"nope\",\"comment\":\"\(String(repeating: "长", count: 20_000))\"}",
        "{\"action\":\"\\u0000\"}", "\u{FEFF}{\"reason\":\"核查需要\"}", "{\"reason\":\"核查需要\"}",
    ]

    static let formBodies = [
        "", "%", "=&=&=", "reason=%ZZ", "reason=" + String(repeating: "%0A", count: 10), "reason=%E6%A0%B8%E6%9F%A5%0A%0A%E9%9C%80%E8%A6%81",
        "ids=" + String(repeating: "x&ids=", count: 1_500), "action=conclude&conclusion=substantiated&comment=%00%00",
        "username=%00&password=&_csrf=&next=%2F%2Fevil.example", "next=/%09/evil&_csrf=x", String(repeating: "a", count: 70_000),
    ]

    static func randomBytes(_ rng: inout SeededGenerator, count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }

    /// A path with its parameters (`:id`) replaced by odd values, or now and then by a real case.
    static func path(_ template: String, cases: [String], _ rng: inout SeededGenerator) -> String {
        "/" + template.split(separator: "/").map { segment -> String in
            guard segment.hasPrefix(":") || segment.hasPrefix("{") else { return String(segment) }
            return rng.chance(25) && !cases.isEmpty ? rng.pick(cases) : rng.pick(pathValues)
        }.joined(separator: "/")
    }

    static func query(_ rng: inout SeededGenerator) -> String {
        let count = Int(rng.next() % 5)
        guard count > 0 else { return "" }
        return "?" + (0..<count).map { _ in "\(rng.pick(queryNames))=\(rng.pick(queryValues))" }.joined(separator: "&")
    }

    /// A content type and a body that fit together — or deliberately do not.
    static func body(_ rng: inout SeededGenerator, csrf: String) -> (String?, ByteBuffer?) {
        let type = rng.pick(contentTypes)
        switch rng.next() % 10 {
        case 0: return (type, nil)
        case 1: return (type, randomBytes(&rng, count: Int(rng.next() % 4_096)))
        case 2, 3: return (type, ByteBuffer(string: rng.pick(jsonBodies)))
        case 4: return (type, ByteBuffer(string: rng.pick(formBodies)))
        default: return (type, ByteBuffer(string: rng.pick(multipartBodies(csrf))))
        }
    }

    static func headers(_ rng: inout SeededGenerator, contentType: String?) -> HTTPFields {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        if rng.chance(15) { headers[.authorization] = rng.pick(["Bearer ", "Bearer x", "Bearer " + String(repeating: "t", count: 4_000), "Basic YTpi", "bearer tp_x", "Bearer tp_\u{4E2D}"]) }
        if rng.chance(15) {
            headers[.cookie] = rng.pick(["tianping_session=", "tianping_session=\(String(repeating: "s", count: 4_000))", "a=b; ; ;=;", "tianping_session=%00", "=;="])
        }
        if rng.chance(20) {
            headers[HTTPField.Name("Last-Event-ID")!] = rng.pick(["-1", "18446744073709551616", "9223372036854775807", "9223372036854775806", "abc", "", "1e3"])
        }
        if rng.chance(30) { headers[.accept] = rng.pick(["text/html", "*/*", "text/html;q=0.1, application/json", ""]) }
        if rng.chance(10) { headers[HTTPField.Name("X-CSRF-Token")!] = rng.pick(["", "x", String(repeating: "c", count: 2_000)]) }
        return headers
    }
}

/// Sends hostile requests to every route of a router's table as an anonymous caller and as signed-in low roles (with
/// and without the session's CSRF token), and collects every response of 500 or above.
struct FuzzSweep {
    enum Caller { case anonymous, session(Role, csrf: Bool) }

    let routes: [(method: String, path: String)]
    let sessions: [Role: (token: String, csrf: String)]
    let cases: [String]
    let rounds: Int
    let seed: UInt64

    struct Outcome {
        var requests = 0
        var failures: [String] = []
        var statuses: [Int: Int] = [:]
        /// State-changing requests with a session cookie and no CSRF header, so that the middleware reads the body as
        /// a form: with an empty boundary (MultipartKit's `precondition`), and with a valid boundary and a non-ASCII
        /// part header name (its table index). Both aborted the process before the fix.
        var emptyBoundaryForms = 0
        var nonASCIIHeaderForms = 0
    }

    func run(_ client: any TestClientProtocol) async throws -> Outcome {
        var rng = SeededGenerator(seed: seed)
        var outcome = Outcome()
        let callers: [Caller] = [.anonymous] + sessions.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { [Caller.session($0, csrf: false), .session($0, csrf: true)] }
        for route in routes.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
            // The event stream holds its response open for up to its timeout: a few short ones are enough.
            let streams = route.path.contains("events")
            for _ in 0..<(streams ? 1 : rounds) {
                for caller in callers {
                    let (contentType, generated) = Hostile.body(&rng, csrf: "")
                    var body = generated
                    var headers = Hostile.headers(&rng, contentType: contentType)
                    var uri = Hostile.path(route.path, cases: cases, &rng) + Hostile.query(&rng)
                    if streams { uri += (uri.contains("?") ? "&" : "?") + "timeout=1" }
                    if case .session(let role, let withCSRF) = caller, let session = sessions[role] {
                        // Signing out would end the session the rest of the sweep uses.
                        if withCSRF, route.path == "/logout" { continue }
                        headers[.cookie] = "tianping_session=\(session.token)"
                        if withCSRF {
                            headers[HTTPField.Name("X-CSRF-Token")!] = session.csrf
                        } else if rng.chance(50) {
                            // The form field path: the middleware parses the body to find `_csrf`, mostly under a valid boundary.
                            body = ByteBuffer(string: rng.pick(Hostile.multipartBodies(session.csrf)))
                            if rng.chance(60) { headers[.contentType] = "multipart/form-data; boundary=\(Hostile.boundary)" }
                        }
                    }
                    let method = HTTPRequest.Method(route.method) ?? .get
                    if case .session(_, false) = caller, method != .get, let type = headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
                        let text = body.map { String(buffer: $0) } ?? ""
                        let boundary = type.components(separatedBy: "boundary=").last ?? ""
                        if type.lowercased().contains("boundary="), boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).isEmpty {
                            outcome.emptyBoundaryForms += 1
                        } else if boundary == Hostile.boundary, text.contains("\r\n\u{4E2D}: x") || text.contains("\r\n\u{FF}\u{FE}: x") {
                            outcome.nonASCIIHeaderForms += 1
                        }
                    }
                    outcome.requests += 1
                    let status = try await client.execute(uri: uri, method: method, headers: headers, body: body) { $0.status }
                    outcome.statuses[Int(status.code), default: 0] += 1
                    if status.code >= 500 {
                        outcome.failures.append("\(status.code) \(caller) \(method.rawValue) \(uri.prefix(200)) \(headers[.contentType] ?? "-")")
                    }
                }
            }
        }
        return outcome
    }
}

@Suite("Hostile input to every route", .serialized)
struct FuzzTests {
    @Test("malformed multipart bodies, headers, query and path parameters and JSON to every route: never a 500, never a crash")
    func everyRoute() async throws {
        try await AccessFixture.with { fixture, client in
            let sweep = FuzzSweep(routes: fixture.routeTable.map { (method: $0.0, path: RouteDeclarations.openAPIPath($0.1)) },
                sessions: [.caseOfficer: fixture.sessions[.caseOfficer]!, .leader: fixture.sessions[.leader]!],
                cases: [fixture.inside, fixture.outside], rounds: 8, seed: 14)
            let outcome = try await sweep.run(client)
            #expect(outcome.requests >= 1_500 && outcome.requests <= 5_000, "bounded: \(outcome.requests) requests")
            #expect(outcome.failures.isEmpty, "\(outcome.failures.count) responses ≥ 500:\n\(outcome.failures.prefix(20).joined(separator: "\n"))")
            // The sweep reached the handlers (not only the checks in front of them) and the paths that crashed.
            #expect(Set(outcome.statuses.keys).isSuperset(of: [200, 400, 401, 403, 404]), "\(outcome.statuses.sorted { $0.key < $1.key })")
            #expect(outcome.emptyBoundaryForms > 0 && outcome.nonASCIIHeaderForms > 0,
                "crash paths exercised: \(outcome.emptyBoundaryForms) empty boundaries, \(outcome.nonASCIIHeaderForms) non-ASCII part header names")
            // Still up, and still itself for a real caller.
            #expect(try await client.execute(uri: "/health", method: .get) { $0.status } == .ok)
            let officer = SignedInClient(base: client, session: fixture.sessions[.caseOfficer]!)
            #expect(try await officer.execute(uri: "/api/v1/cases/\(fixture.inside)", method: .get) { $0.status } == .ok)
        }
    }

    @Test("the same sweep against an empty database, whose dossier log is empty")
    func emptyDatabase() async throws {
        try await withEmptyStore { store in
            try await DossierLog(store: store).checkpoint(signer: try NoteSigner(name: "test.example/dossiers"), now: 1)
            let session = try await signIn(store, role: .committeeSupervisor, agency: try await committee(store))
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let routes = try TianpingApplication.routes(store: store, engine: engine)
            let table = routes.router.routes.map { (method: $0.method.rawValue, path: RouteDeclarations.openAPIPath($0.path.description)) }
            try await Application(router: routes.router).test(.router) { client in
                let sweep = FuzzSweep(routes: table,
                    sessions: [.committeeSupervisor: session], cases: [], rounds: 3, seed: 8)
                let outcome = try await sweep.run(client)
                #expect(outcome.failures.isEmpty, "\(outcome.failures.count) responses ≥ 500:\n\(outcome.failures.prefix(20).joined(separator: "\n"))")
                #expect(try await client.execute(uri: "/health", method: .get) { $0.status } == .ok)
            }
        }
    }
}

/// A store with no data at all (not even agencies).
func withEmptyStore(_ body: (TianpingStore) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-empty-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let store = try await TianpingStore.open(.sqlite(path: path), readConnections: 2)
    do {
        try await body(store)
        try await store.close()
    } catch {
        try? await store.close()
        throw error
    }
}
