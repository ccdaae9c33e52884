import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAnalysis
import TianpingAccess
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingServer
import TianpingRules
import TianpingStore

/// A temporary SQLite store holding a generated province (the generator's files stay in `directory` for the body),
/// closed and removed afterwards.
func withProvinceStore(cases: Int, seed: UInt64, _ body: (TianpingStore, URL) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-\(UUID().uuidString).sqlite").path
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-gen-\(UUID().uuidString)")
    defer {
        try? FileManager.default.removeItem(at: directory)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    let store = try await TianpingStore.open(.sqlite(path: path), readConnections: 2)
    do {
        let manifest = try await ProvinceGenerator(GeneratorConfiguration(cases: cases, seed: seed)).write(to: directory)
        let ingestor = Ingestor(store: store, options: IngestOptions(now: Timestamp("2026-07-01T00:00:00+08:00")!))
        for name in manifest.files {
            _ = try await ingestor.ingest(try LineReader(path: directory.appendingPathComponent(name).path), sourceName: name)
        }
        try await body(store, directory)
        try await store.close()
    } catch {
        try? await store.close()
        throw error
    }
}

/// A store with a small generated province, analysed and served in process to a signed-in province supervisor.
func withServedProvince(cases: Int = 150, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    try await withProvinceStore(cases: cases, seed: 9) { store, _ in
        let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
        let pipeline = try AnalysisPipeline.standard(clock: ManualClock(asOf))
        _ = try await pipeline.processQueue(store: store, asOf: asOf)
        let engine = pipeline.procedure
        let session = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
        let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
        try await app.test(.router) { client in try await body(SignedInClient(base: client, session: session)) }
    }
}

/// A province-level 政法委 in the generated province (prefix 52), for supervisors' accounts.
/// The first stored case (in id order) whose timeline gives a value, with that value.
func firstTimeline<T>(in store: TianpingStore, _ value: (CaseTimeline) -> T?) async throws -> (caseID: String, value: T)? {
    var next: String?
    while true {
        let ids = try await store.caseIDs(after: next, limit: 100)
        guard let last = ids.last else { return nil }
        next = last
        for t in try await store.timelines(for: ids) {
            if let v = value(t) { return (t.caseID, v) }
        }
    }
}

func committee(_ store: TianpingStore) async throws -> String {
    let code = "520000ZF01"
    try await store.registerAgency(Agency(code: code, kind: .politicalLegalCommittee, name: "天平省委政法委",
        region: RegionCode("520000")!, level: .province))
    return code
}

/// An account of a role at an agency, signed in: the session cookie secret and its CSRF token.
func signIn(_ store: TianpingStore, role: Role, agency: String, username: String? = nil) async throws -> (token: String, csrf: String) {
    let account = try await store.addAccount(username: username ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6))",
        displayName: role.chineseName, agency: agency, role: role, password: "correct horse battery", now: 1)
    return try await store.openSession(accountID: account.id, address: "127.0.0.1", now: Timestamp.now().secondsSinceEpoch)
}

/// A test client that sends a session cookie, and the CSRF token on state-changing requests, as a browser page would.
struct SignedInClient: TestClientProtocol {
    let base: any TestClientProtocol
    let session: (token: String, csrf: String)

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        headers[.cookie] = "tianping_session=\(session.token)"
        if method != .get && method != .head && headers[HTTPField.Name("X-CSRF-Token")!] == nil {
            headers[HTTPField.Name("X-CSRF-Token")!] = session.csrf
        }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
}

@Suite("HTTP API")
struct ServerTests {
    @Test("health, landing page and OpenAPI document answer")
    func basics() async throws {
        try await withServedProvince { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["status"] as? String == "ok")
                #expect(body["cases"] == nil, "an open route says nothing about the data")
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.contains("text/html") == true)
                let html = String(buffer: response.body)
                #expect(html.contains("执法司法制约监督平台"))
                #expect(html.contains("案件总数 <strong>150</strong>"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let doc = try json(response.body)
                #expect((doc["openapi"] as? String)?.hasPrefix("3.") == true)
                let paths = try #require(doc["paths"] as? [String: Any])
                #expect(Set(paths.keys).isSuperset(of: ["/health", "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/agencies", "/api/v1/stats",
                    "/api/v1/findings", "/api/v1/cases/{id}/findings", "/api/v1/rules"]))
            }
        }
    }

    @Test("case list pages and filters; the dossier shows a masked, ordered cross-agency timeline")
    func cases() async throws {
        try await withServedProvince { client in
            var firstID = ""
            try await client.execute(uri: "/api/v1/cases?type=criminal&pageSize=5", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.count == 5)
                #expect(items.allSatisfy { $0["type"] as? String == "criminal" && $0["typeName"] as? String == "刑事" })
                #expect((body["total"] as? Int ?? 0) > 5)
                firstID = try #require(items.first?["id"] as? String)
            }
            try await client.execute(uri: "/api/v1/cases/\(firstID)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                let timeline = try #require(body["timeline"] as? [[String: Any]])
                let times = timeline.compactMap { $0["occurredAt"] as? String }.compactMap(Timestamp.init)
                #expect(times.count == timeline.count && !times.isEmpty)
                #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
                #expect(Set(timeline.compactMap { $0["agency"] as? String }).count >= 2, "more than one agency")
                let persons = try #require(body["persons"] as? [[String: Any]])
                let suspect = try #require(persons.first { $0["role"] as? String == "suspect" })
                #expect((suspect["name"] as? String)?.contains("*") == true)
                #expect((suspect["idNumber"] as? String)?.contains("********") == true)
                #expect((suspect["address"] as? String)?.hasSuffix("****") == true)
            }
            try await client.execute(uri: "/api/v1/cases/TP00000000000000000", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try #require(try json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "case_not_found")
            }
            for bad in ["type=murder", "region=12", "page=0", "pageSize=9999", "from=yesterday"] {
                try await client.execute(uri: "/api/v1/cases?\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    let error = try #require(try json(response.body)["error"] as? [String: Any])
                    #expect(error["code"] as? String == "invalid_parameter")
                }
            }
        }
    }

    @Test("agencies and statistics")
    func agenciesAndStats() async throws {
        try await withServedProvince { client in
            try await client.execute(uri: "/api/v1/agencies", method: .get) { response in
                let body = try json(response.body)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.count == body["total"] as? Int)
                #expect(Set(items.compactMap { $0["kind"] as? String }) == Set(AgencyKind.allCases.map(\.rawValue)))
            }
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                let body = try json(response.body)
                #expect(body["cases"] as? Int == 150)
                let byType = try #require(body["casesByType"] as? [String: Int])
                #expect(byType.values.reduce(0, +) == 150)
            }
        }
    }

    @Test("rule catalogue, findings list with filters, a case's findings with history and live clocks")
    func findings() async throws {
        try await withServedProvince { client in
            try await client.execute(uri: "/api/v1/rules", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.count == body["total"] as? Int)
                #expect(items.count >= 60)
                let m6 = try #require(items.first { $0["id"] as? String == "M6" })
                #expect((m6["citation"] as? String)?.hasPrefix("《刑事诉讼法》第九十一条") == true)
                #expect(m6["grade"] as? String == "A")
                #expect(m6["form"] as? String == "deadline")
            }
            var caseWithFinding = ""
            try await client.execute(uri: "/api/v1/findings?kind=violation&pageSize=500", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.count == body["total"] as? Int)
                #expect(!items.isEmpty, "a generated province has planted violations")
                #expect(items.allSatisfy { ($0["explanation"] as? String)?.hasPrefix("依据《") == true })
                #expect(items.allSatisfy { $0["kind"] as? String == "violation" && $0["status"] as? String == "open" })
                caseWithFinding = try #require(items.first?["caseID"] as? String)
            }
            try await client.execute(uri: "/api/v1/findings?severity=urgent", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try json(response.body)
                let error = try #require(body["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_parameter")
                #expect((error["message"] as? String)?.contains("severity") == true)
            }
            try await client.execute(uri: "/api/v1/findings?rule=NOPE", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/cases/\(caseWithFinding)/findings", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                let findings = try #require(body["findings"] as? [[String: Any]])
                #expect(findings.allSatisfy { $0["caseID"] as? String == caseWithFinding })
                let history = try #require(findings.first?["history"] as? [[String: Any]])
                #expect(history.first?["change"] as? String == "opened")
                #expect(body["clocks"] is [Any])
            }
            try await client.execute(uri: "/api/v1/cases/TP000/findings", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
