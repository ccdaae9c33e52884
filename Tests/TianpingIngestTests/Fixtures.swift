import Foundation
import TianpingCore
import TianpingIngest

/// A small hand-made province slice for ingest tests: four agencies and one criminal case.
enum Fixture {
    static let police = "520102GA01"
    static let procuratorate = "520102JC01"
    static let court = "520102FY01"
    static let cityProcuratorate = "520100JC01"
    static let caseID = "TP52010220240000001"
    static let civilCaseID = "TP52010220240000002"
    static let now = Timestamp("2025-01-01T00:00:00+08:00")!

    static func t(_ text: String) -> Timestamp { Timestamp(text)! }

    static func line(_ record: ExchangeRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(record), as: UTF8.self)
    }

    static var agencies: [ExchangeRecord] {
        let county = RegionCode("520102")!
        let city = RegionCode("520100")!
        return [
            ExchangeRecord(source: cityProcuratorate, id: cityProcuratorate, payload: .agency(Agency(
                code: cityProcuratorate, kind: .procuratorate, name: "青石市人民检察院", region: city, level: .city))),
            ExchangeRecord(source: police, id: police, payload: .agency(Agency(
                code: police, kind: .publicSecurity, name: "青石市东湖区公安局", region: county, level: .county))),
            ExchangeRecord(source: procuratorate, id: procuratorate, payload: .agency(Agency(
                code: procuratorate, kind: .procuratorate, name: "青石市东湖区人民检察院", region: county, level: .county,
                parentCode: cityProcuratorate))),
            ExchangeRecord(source: court, id: court, payload: .agency(Agency(
                code: court, kind: .court, name: "青石市东湖区人民法院", region: county, level: .county))),
        ]
    }

    static var criminalCase: CaseRecord {
        CaseRecord(id: caseID, type: .criminal, title: "张某盗窃案", charges: ["盗窃罪"], region: RegionCode("520102")!,
            acceptedAt: t("2024-03-01T10:00:00+08:00"),
            agencyNumbers: [AgencyCaseNumber(agency: police, number: "黔青东公（刑）立字〔2024〕1号"),
                AgencyCaseNumber(agency: court, number: "（2024）黔0102刑初1号")])
    }

    static var civilCase: CaseRecord {
        CaseRecord(id: civilCaseID, type: .civil, title: "李某与王某民间借贷纠纷", cause: "民间借贷纠纷",
            region: RegionCode("520102")!, acceptedAt: t("2024-03-01T10:00:00+08:00"),
            agencyNumbers: [AgencyCaseNumber(agency: court, number: "（2024）黔0102民初2号")], procedure: .summary)
    }

    static func event(_ id: String, _ kind: EventKind, _ at: String, agency: String = police, version: Int = 1,
        caseID: String = caseID, attributes: EventAttributes = EventAttributes()) -> ExchangeRecord
    {
        ExchangeRecord(source: agency, id: id, version: version, caseID: caseID,
            payload: .event(CaseEvent(kind: kind, occurredAt: t(at), agency: agency, officer: police + "-U01",
                person: caseID + "-P1", attributes: attributes)))
    }

    static var suspect: Person {
        Person(id: caseID + "-P1", role: .suspect, name: "张三", idNumber: "520102199003071236", gender: .male,
            birthDate: CalendarDate(year: 1990, month: 3, day: 7), address: "天平省青石市东湖区某街道1号")
    }

    /// A clean file: agencies, the case, its suspect, a few events, a document, a judgment.
    static var cleanLines: [String] {
        let text = "拘留证正文"
        return agencies.map(line) + [
            line(ExchangeRecord(source: police, id: caseID, caseID: caseID, payload: .case(criminalCase))),
            line(ExchangeRecord(source: court, id: civilCaseID, caseID: civilCaseID, payload: .case(civilCase))),
            line(ExchangeRecord(source: police, id: caseID + "-P1", caseID: caseID, payload: .person(suspect))),
            line(ExchangeRecord(source: police, id: police + "-U01", payload: .person(
                Person(id: police + "-U01", role: .caseOfficer, name: "李警官", agency: police)))),
            line(event("E1", .caseAccepted, "2024-03-01T10:00:00+08:00")),
            line(event("E2", .detained, "2024-03-02T10:00:00+08:00")),
            line(event("E3", .familyNotified, "2024-03-02T18:00:00+08:00")),
            line(event("E4", .arrestRequested, "2024-03-04T10:00:00+08:00")),
            line(event("E5", .arrestApproved, "2024-03-08T10:00:00+08:00", agency: procuratorate)),
            line(ExchangeRecord(source: police, id: "D1", caseID: caseID, payload: .document(LegalDocument(
                type: .detentionWarrant, number: "黔青东公（刑）拘字〔2024〕1号", issuedAt: t("2024-03-02T10:00:00+08:00"),
                issuer: police, text: text, contentHash: ContentHash.sha256Hex(text))))),
            line(ExchangeRecord(source: police, id: "V1", caseID: caseID, payload: .evidence(EvidenceItem(
                category: .physical, description: "被盗手机一部", collectedAt: t("2024-03-02T12:00:00+08:00"),
                collectedBy: police, collectors: [police + "-U01", police + "-U02"])))),
            line(ExchangeRecord(source: court, id: "J1", caseID: caseID, payload: .judgment(Judgment(
                defendant: caseID + "-P1", caseNumber: "（2024）黔0102刑初1号", instance: 1, court: court,
                decidedAt: t("2024-05-10T10:00:00+08:00"), charges: ["盗窃罪"], principalPenalty: .fixedTermImprisonment,
                termMonths: 10, probationMonths: 12, fineYuan: 3000, circumstances: ["坦白", "认罪认罚"],
                facts: SentencingFacts(amountYuan: 5000, cues: ["入户盗窃"]))))),
            line(ExchangeRecord(source: court, id: "C1", caseID: civilCaseID, payload: .event(CaseEvent(
                kind: .courtAccepted, occurredAt: t("2024-03-01T10:00:00+08:00"), agency: court)))),
        ]
    }
}

/// An in-memory `IngestStore`, so ingest logic is tested without a database.
actor MemoryIngestStore: IngestStore {
    var agencies: [String: AgencyKind] = [:]
    var cases: [String: CaseContext] = [:]
    var versions: [RecordKey: [Int: String]] = [:]
    var current: [RecordKey: Int] = [:]
    var quarantine: [QuarantineEntry] = []
    var resolved: [Int64] = []
    var commits = 0

    func agencyKinds() async throws -> [String: AgencyKind] { agencies }

    func caseContexts(for ids: [String]) async throws -> [String: CaseContext] {
        cases.filter { ids.contains($0.key) }
    }

    func storedVersions(for keys: [RecordKey]) async throws -> [RecordKey: [Int: String]] {
        versions.filter { keys.contains($0.key) }
    }

    func commit(_ batch: IngestBatch) async throws {
        commits += 1
        for r in batch.records {
            versions[r.key, default: [:]][r.version] = r.contentHash
            if r.isCurrent {
                current[r.key] = r.version
                switch r.payload {
                case .agency(let a): agencies[a.code] = a.kind
                case .case(let c): cases[c.id] = CaseContext(type: c.type, acceptedAt: c.acceptedAt)
                default: break
                }
            }
        }
        // Like the SQL store, the same line quarantined twice is one entry.
        for q in batch.quarantine where !quarantine.contains(where: {
            $0.sourceName == q.sourceName && $0.lineNumber == q.lineNumber && $0.rawSHA256 == q.rawSHA256
        }) {
            quarantine.append(q)
        }
        resolved += batch.resolvedQuarantineIDs
    }
}

/// Writes lines to a temporary file and ingests it.
func ingestLines(_ lines: [String], into store: MemoryIngestStore, name: String = "test.jsonl",
    maxLineBytes: Int = 16 << 20) async throws -> IngestSummary
{
    try await ingestBytes(Array((lines.joined(separator: "\n") + "\n").utf8), into: store, name: name,
        maxLineBytes: maxLineBytes)
}

func ingestBytes(_ bytes: [UInt8], into store: MemoryIngestStore, name: String = "test.jsonl",
    maxLineBytes: Int = 16 << 20) async throws -> IngestSummary
{
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-\(UUID().uuidString).jsonl").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try LineReader(path: path, maxLineBytes: maxLineBytes)
    let ingestor = Ingestor(store: store, options: IngestOptions(now: Fixture.now, batchSize: 7, maxLineBytes: maxLineBytes))
    return try await ingestor.ingest(reader, sourceName: name)
}
