import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingServer
import TianpingStore

/// A case whose records carry personal data in every free-text field an agency can fill, sent by the fixture's county
/// police (so that every agency-scoped role and the police's token see it) in that county.
struct PlantedCase {
    static let id = "SWEEP-CASE-1"
    static let victim = "汪晓彤"
    static let suspect = "鲍国强"
    static let minor = "钱小二"
    static let witness = "蒋海鸥"
    static let victimPhone = "13912345678"
    static let suspectPhone = "13698765432"
    static let landline = "0851-86543210"
    static let bankCard = "6222021234567890123"
    static let plate = "贵A7K352"
    static let estate = "幸福小区3栋2单元501室"
    static let street = "中华北路88号"
    /// Accepted on 2024-03-01: the minor suspect is 16, the victim 33, the suspect 38.
    static let accepted = "2024-03-01T09:00:00+08:00"

    let region: String
    let police: String
    let court: String
    let detentionHouse: String
    let procuratorate: String
    let victimID: String
    let suspectID: String
    let minorID: String

    init(police: String) {
        self.police = police
        region = String(police.prefix(6))
        court = region + "FY01"
        detentionHouse = region + "KS01"
        procuratorate = region + "JC01"
        victimID = Self.idNumber(region, "19900307", sequence: "124")  // female: even sequence
        suspectID = Self.idNumber(region, "19851111", sequence: "035")
        minorID = Self.idNumber(region, "20080211", sequence: "017")  // no birth date is sent for the minor
    }

    static func idNumber(_ region: String, _ birth: String, sequence: String) -> String {
        let first17 = region + birth + sequence
        return first17 + String(ResidentIdentityNumber.checkCharacter(forFirst17: first17.compactMap(\.wholeNumberValue)))
    }

    /// What no masked response may contain: names and given names, identity numbers and their birth-date digits,
    /// phones, the bank card, the plate, and the address below the county.
    var secrets: [String] {
        [Self.victim, Self.suspect, Self.minor, Self.witness, "晓彤", "国强", "海鸥", victimID, suspectID, minorID, "19900307", "19851111",
            "20080211", Self.victimPhone, Self.suspectPhone, "86543210", Self.bankCard, "6222 0212", Self.plate, "7K352", "幸福小区",
            "501室", Self.street]
    }

    /// What an audited unmask shows in full.
    var shownWhenUnmasked: [String] { [Self.victim, Self.minor, victimID, minorID, Self.victimPhone, Self.bankCard, Self.plate, "幸福小区"] }

    var lines: [String] {
        let address = "天平省青石市东湖区" + Self.estate
        let free = "被害人\(Self.victim)（身份证号\(victimID)，手机\(Self.victimPhone)）住\(address)，银行卡6222 0212 3456 7890 123，"
            + "嫌疑人\(Self.suspect)驾驶\(Self.plate)逃离，联系电话\(Self.landline)"
        func record(_ kind: String, _ id: String, _ payload: [String: Any]) -> String {
            let envelope: [String: Any] = ["kind": kind, "source": police, "id": id, "version": 1, "case": Self.id, "payload": payload]
            return String(decoding: try! JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]), as: UTF8.self)
        }
        func event(_ n: Int, _ kind: String, _ at: String, person: String?, agency: String? = nil, _ attributes: [String: Any]) -> String {
            var payload: [String: Any] = ["kind": kind, "occurredAt": at, "agency": agency ?? police, "attributes": attributes]
            payload["person"] = person
            return record("event", "SWEEP-E\(n)", payload)
        }
        return [
            record("case", Self.id, ["id": Self.id, "type": "criminal", "title": "\(Self.suspect)、\(Self.minor)盗窃\(Self.victim)财物案（\(Self.plate)）",
                "charges": ["盗窃罪"], "region": region, "acceptedAt": Self.accepted, "agencyNumbers": [] as [Any], "flags": [] as [Any]]),
            record("person", "SWEEP-P1", ["id": "SWEEP-P1", "role": "victim", "name": Self.victim, "idNumber": victimID, "gender": "female",
                "birthDate": "1990-03-07", "phone": Self.victimPhone, "address": address]),
            record("person", "SWEEP-P2", ["id": "SWEEP-P2", "role": "suspect", "name": Self.suspect, "idNumber": suspectID, "gender": "male",
                "birthDate": "1985-11-11", "phone": Self.suspectPhone, "address": "天平省青石市东湖区" + Self.street]),
            record("person", "SWEEP-P3", ["id": "SWEEP-P3", "role": "suspect", "name": Self.minor, "idNumber": minorID, "gender": "male"]),
            record("person", "SWEEP-P4", ["id": "SWEEP-P4", "role": "witness", "name": Self.witness, "phone": Self.landline]),
            event(1, "case_accepted", Self.accepted, person: nil, ["reason": free]),
            event(2, "detained", "2024-03-02T10:00:00+08:00", person: "SWEEP-P2", ["reason": "\(Self.suspect)驾驶\(Self.plate)，手机\(Self.suspectPhone)"]),
            // Notified four days late, so that the case raises findings and a warning.
            event(3, "family_notified", "2024-03-06T10:00:00+08:00", person: "SWEEP-P2", [
                "recipient": "被害人\(Self.victim)（手机\(Self.victimPhone)）", "documentNumber": "\(Self.minor)\(minorID)",
                "reason": "已告知被害人\(Self.victim)，证人\(Self.witness)电话\(Self.landline)，车牌\(Self.plate)",
            ]),
            // A legal ground the rules do not know is quoted in the finding's explanation.
            event(4, "custody_extended", "2024-04-20T10:00:00+08:00", person: "SWEEP-P2", agency: procuratorate, [
                "approverAgency": procuratorate, "extensionMonths": 1, "legalGround": "被害人\(Self.victim)要求（\(Self.victimPhone)）",
            ]),
            record("document", "SWEEP-D1", ["type": "other", "title": "\(Self.victim)询问笔录（\(Self.victimPhone)）", "number": "\(Self.suspect)\(Self.bankCard)",
                "issuedAt": "2024-03-01T12:00:00+08:00", "issuer": police, "contentHash": String(repeating: "ab", count: 32)]),
            record("evidence", "SWEEP-V1", ["category": "victim_statement", "description": free, "collectedAt": "2024-03-01T11:00:00+08:00",
                "collectedBy": police, "collectors": [] as [Any]]),
            record("judgment", "SWEEP-J1", ["defendant": "SWEEP-P2", "caseNumber": "（2024）黔\(region.dropFirst(2))刑初9001号", "instance": 1,
                "court": court, "decidedAt": "2024-09-01T10:00:00+08:00", "charges": ["盗窃罪"], "principalPenalty": "fixed_term_imprisonment",
                "termMonths": 12, "circumstances": ["坦白", "取得被害人\(Self.victim)谅解（\(Self.victimPhone)）"]]),
            record("execution", "SWEEP-X1", ["convict": "SWEEP-P2", "facility": detentionHouse, "termStart": "2024-03-02",
                "commutations": [] as [Any], "status": "serving（家属电话\(Self.suspectPhone)）"]),
        ]
    }
}

@Suite("Masking sweep: every GET route, every role and a token, free text included", .serialized)
struct MaskingSweepTests {
    /// Ingests the planted case, analyses it (findings and a warning), assigns it to the officer and the reviewer, and
    /// runs `body` with the fixture.
    static func withPlantedCase(_ body: @Sendable (AccessFixture, PlantedCase, any TestClientProtocol) async throws -> Void) async throws {
        try await AccessFixture.with { fixture, client in
            let planted = PlantedCase(police: fixture.police)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try (planted.lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
            let summary = try await Ingestor(store: fixture.store, options: IngestOptions(now: asOf)).ingest(try LineReader(path: path), sourceName: "sweep.jsonl")
            #expect(summary.total(.accepted) == planted.lines.count, "every planted record is accepted: \(summary.counts)")
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            _ = try await fixture.store.sync(try await fixture.store.timelines(for: [PlantedCase.id]).map { engine.evaluate($0, asOf: asOf) },
                packVersion: engine.pack.version, now: asOf)
            try await fixture.store.refreshWarnings(caseIDs: [PlantedCase.id], now: asOf.secondsSinceEpoch)
            for (role, purpose) in [(Role.caseOfficer, AssignmentPurpose.handling), (.caseReviewer, .review)] {
                let account = try #require(try await fixture.store.account(username: "u-" + role.rawValue))
                try await fixture.store.assign(caseID: PlantedCase.id, to: account.id, purpose: purpose, now: 1)
            }
            try await body(fixture, planted, client)
        }
    }

    @Test("no masked response of any GET route, to any role or an agency token, carries a planted secret; an audited unmask shows them")
    func sweep() async throws {
        try await Self.withPlantedCase { fixture, planted, client in
            let warning = try #require(try await fixture.store.warnings(scope: .everything).first { $0.caseID == PlantedCase.id },
                "the planted case raises a warning")
            let warningID = warning.id.replacingOccurrences(of: "|", with: "%7C")
            let id = PlantedCase.id
            // Every GET route of the router's own table, its parameters filled with the planted case, and the filters
            // that narrow lists to it.
            var uris: [String] = []
            for (method, path) in fixture.routeTable where method == "GET" {
                var uri = path.hasPrefix("/") ? path : "/" + path
                if uri.contains("warnings/:id") || uri.contains("warnings/{id}") {
                    uri = uri.replacingOccurrences(of: ":id", with: warningID).replacingOccurrences(of: "{id}", with: warningID)
                }
                uri = uri.replacingOccurrences(of: ":id", with: id).replacingOccurrences(of: "{id}", with: id)
                    .replacingOccurrences(of: ":size", with: "1").replacingOccurrences(of: "{size}", with: "1")
                switch uri {
                case "/api/v1/cases", "/api/v1/findings", "/api/v1/warnings": uri += "?pageSize=500"
                case "/api/v1/events/warnings": uri += "?after=0&timeout=1"
                case "/api/v1/ledger/proof/inclusion": uri += "?leaf=0"
                case "/workbench/sentencing": uri += "?case=\(id)"
                case "/workbench/attachments/\(id)": uri = "/workbench/attachments/1"
                default: break
                }
                uris.append(uri)
            }
            uris += ["/api/v1/findings?case=\(id)&status=all", "/api/v1/warnings?case=\(id)", "/workbench/warnings?case=\(id)",
                "/workbench/warnings.csv?case=\(id)", "/api/v1/cases?region=\(planted.region)&pageSize=500"]
            #expect(uris.count >= 25, "the route table was walked")

            let token = try await fixture.store.issueToken(name: "执法办案系统", agency: fixture.police,
                permissions: [.readCases, .readFindings, .readStatistics, .exportDossiers], now: 1)
            var callers: [(String, any TestClientProtocol)] = Role.allCases.map { ($0.rawValue, SignedInClient(base: client, session: fixture.sessions[$0]!)) }
            callers.append(("token", BearerClient(base: client, token: token.secret)))
            var leaks: [String] = []
            var served = 0
            for (name, caller) in callers {
                for uri in uris {
                    let (status, body) = try await caller.execute(uri: uri, method: .get, headers: [.accept: "text/html,application/json"]) {
                        ($0.status, String(buffer: $0.body))
                    }
                    if status == .ok { served += 1 }
                    #expect(status != .internalServerError, "\(name) GET \(uri): 500")
                    for secret in planted.secrets where body.contains(secret) { leaks.append("\(name) GET \(uri) → \(status.code): \(secret)") }
                }
            }
            #expect(leaks.isEmpty, "masked responses leak:\n\(leaks.joined(separator: "\n"))")
            #expect(served > callers.count * 5, "the sweep read real pages, not only refusals (\(served) answered 200)")

            // The masked case page still says what happened, with the masked forms.
            let committee = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            let detail = try await committee.execute(uri: "/api/v1/cases/\(id)", method: .get) { String(buffer: $0.body) }
            for shown in ["汪某", "钱某", "蒋某", "鲍**", String(planted.victimID.prefix(6)) + "************", "139****5678", "贵A*****", "天平省青石市东湖区****"] {
                #expect(detail.contains(shown), "the masked case shows \(shown)")
            }

            // An audited unmask, by every role that may, shows the originals; the others are refused.
            for role in Role.allCases {
                let caller = SignedInClient(base: client, session: fixture.sessions[role]!)
                for uri in ["/api/v1/cases/\(id)/unmask", "/cases/\(id)/unmask"] {
                    let (status, body) = try await caller.execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"reason":"核查被害人身份信息"}"#)) { ($0.status, String(buffer: $0.body)) }
                    if role.permissions.contains(.unmask), role != .systemAdministrator {
                        #expect(status == .ok, "\(role.rawValue) POST \(uri)")
                        for secret in planted.shownWhenUnmasked { #expect(body.contains(secret), "\(role.rawValue) unmasked \(uri) shows \(secret)") }
                    } else {
                        #expect(status == .forbidden, "\(role.rawValue) POST \(uri)")
                        for secret in planted.secrets { #expect(!body.contains(secret), "\(role.rawValue) refused \(uri) leaks \(secret)") }
                    }
                }
            }
            let unmasks = try await fixture.store.auditEntries(caseID: id, limit: 200).filter { $0.action == .unmask }
            #expect(unmasks.count == 2 * Role.allCases.filter { $0.permissions.contains(.unmask) }.count)
            #expect(unmasks.allSatisfy { $0.reason == "核查被害人身份信息" })
        }
    }

    /// Item 10: everything a masked view shows about a person — the visible characters of the identity number, the
    /// sex, the age band, the case's acceptance date — must leave thousands of valid identity numbers (GB 11643).
    @Test("a masked view leaves thousands of candidate identity numbers (the old mask left about 33)")
    func identityCandidates() async throws {
        try await Self.withPlantedCase { fixture, planted, client in
            let committee = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            let detail = try await committee.execute(uri: "/api/v1/cases/\(PlantedCase.id)", method: .get) { try json($0.body) }
            let acceptedAt = try #require((detail["summary"] as? [String: Any])?["acceptedAt"] as? String)
            let accepted = try #require(CalendarDate(acceptedAt.prefix(10)))
            let persons = try #require(detail["persons"] as? [[String: Any]])
            let withNumbers = persons.filter { $0["idNumber"] != nil }
            #expect(withNumbers.count == 3)
            for p in withNumbers {
                let mask = try #require(p["idNumber"] as? String)
                let band = try #require(p["ageBand"] as? String)
                #expect(p["birthYear"] == nil && p["birthDate"] == nil, "a masked view gives an age band, not a birth date")
                let gender = (p["gender"] as? String).flatMap(Gender.init(rawValue:))
                let count = IdentityCandidates.count(mask: mask, gender: gender) { Masking.ageBand(born: $0, on: accepted) == band }
                #expect(count >= 5_000, "\(p["id"] ?? "") (\(mask), \(band)) leaves only \(count) candidates")
            }
            // The minor known only from the identity number is shown as a minor, in the publication form.
            let minor = try #require(persons.first { $0["id"] as? String == "SWEEP-P3" })
            #expect(minor["name"] as? String == "钱某")
            #expect(minor["ageBand"] as? String == "未成年")
            // The count is real: the old view (first 6 and last 4 shown, the birth year beside them) leaves a few dozen.
            let old = String(planted.victimID.prefix(6)) + "********" + String(planted.victimID.suffix(4))
            let oldCount = IdentityCandidates.count(mask: old, gender: .female) { $0.year == 1990 }
            #expect(oldCount > 0 && oldCount < 100, "the old mask left \(oldCount)")
        }
    }
}

/// Counts valid identity numbers (GB 11643: region, birth date, sequence with the sex in its parity, check character)
/// consistent with a mask (`*` hides a character) and what else a view shows.
enum IdentityCandidates {
    static func count(mask: String, gender: Gender?, birth consistent: (CalendarDate) -> Bool) -> Int {
        // Each position: the digit shown (0–9, 10 for X) or nil where the mask hides it.
        let visible: [Int?] = mask.map { $0 == "*" ? nil : $0 == "X" ? 10 : $0.wholeNumberValue }
        guard visible.count == 18, RegionCode(String(mask.prefix(6))) != nil, visible.prefix(6).allSatisfy({ $0 != nil }) else { return 0 }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        // Check values in the order of GB 11643's table (remainder 0 → 1, 1 → 0, 2 → X …), X as 10.
        let checks = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2]
        let regionSum = (0..<6).reduce(0) { $0 + visible[$1]! * weights[$1] }
        let parity: Int? = gender == .male ? 1 : gender == .female ? 0 : nil
        var total = 0
        var day = CalendarDate(year: 1900, month: 1, day: 1)!
        let last = CalendarDate(year: 2030, month: 12, day: 31)!
        while day <= last {
            defer { day = day.adding(days: 1) }
            guard consistent(day) else { continue }
            let birth = [day.year / 1000, day.year / 100 % 10, day.year / 10 % 10, day.year % 10, day.month / 10, day.month % 10,
                day.day / 10, day.day % 10]
            guard (0..<8).allSatisfy({ visible[6 + $0] == nil || visible[6 + $0] == birth[$0] }) else { continue }
            let birthSum = regionSum + (0..<8).reduce(0) { $0 + birth[$1] * weights[6 + $1] }
            for sequence in 0..<1000 {
                if let parity, sequence % 2 != parity { continue }
                let a = sequence / 100, b = sequence / 10 % 10, c = sequence % 10
                if let v = visible[14], v != a { continue }
                if let v = visible[15], v != b { continue }
                if let v = visible[16], v != c { continue }
                let check = checks[(birthSum + a * weights[14] + b * weights[15] + c * weights[16]) % 11]
                if visible[17] == nil || visible[17] == check { total += 1 }
            }
        }
        return total
    }
}

/// A client that sends an agency system's API token.
struct BearerClient: TestClientProtocol {
    let base: any TestClientProtocol
    let token: String

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        headers[.authorization] = "Bearer \(token)"
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}
