import Foundation
import Testing
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingStore

/// Ingests records through the real pipeline (a temporary JSON Lines file), as agencies send them.
func ingest(_ records: [ExchangeRecord], into store: TianpingStore) async throws -> IngestSummary {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-lines-\(UUID().uuidString).jsonl").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let ingestor = Ingestor(store: store, options: IngestOptions(now: Timestamp("2025-01-01T00:00:00+08:00")!))
    return try await ingestor.ingest(try LineReader(path: path), sourceName: "test.jsonl")
}

/// What `tianping ingest` does after loading: evaluate the queued cases and store the result.
func analyzeQueue(_ store: TianpingStore, engine: RuleEngine, asOf: String) async throws -> FindingSyncSummary {
    let ids = try await store.queuedCaseIDs(limit: 10_000)
    let moment = Timestamp(asOf)!
    let evaluations = try await store.timelines(for: ids).map { engine.evaluate($0, asOf: moment) }
    return try await store.sync(evaluations, packVersion: engine.pack.version, now: moment)
}

@Suite("Findings in the store")
struct FindingStoreTests {
    static let police = "520102GA01"
    static let procuratorate = "520102JC01"
    static let caseID = "TP52010220240000001"

    static var agencies: [ExchangeRecord] {
        let county = RegionCode("520102")!
        return [
            ExchangeRecord(source: police, id: police, payload: .agency(Agency(code: police, kind: .publicSecurity,
                name: "青石市东湖区公安局", region: county, level: .county))),
            ExchangeRecord(source: procuratorate, id: procuratorate, payload: .agency(Agency(code: procuratorate,
                kind: .procuratorate, name: "青石市东湖区人民检察院", region: county, level: .county))),
        ]
    }

    static func event(_ id: String, _ kind: EventKind, _ at: String, agency: String = police, version: Int = 1)
        -> ExchangeRecord
    {
        ExchangeRecord(source: agency, id: id, version: version, caseID: caseID,
            payload: .event(CaseEvent(kind: kind, occurredAt: Timestamp(at + ":00+08:00")!, agency: agency,
                officer: agency + "-U01", person: caseID + "-P1")))
    }

    static var caseRecord: ExchangeRecord {
        ExchangeRecord(source: police, id: caseID, caseID: caseID, payload: .case(CaseRecord(id: caseID, type: .criminal,
            title: "张某盗窃案", charges: ["盗窃罪"], region: RegionCode("520102")!,
            acceptedAt: Timestamp("2024-03-01T10:00:00+08:00")!)))
    }

    @Test("an arrest without approval is found, stays one finding across runs, and is resolved when the approval arrives")
    func lifecycle() async throws {
        try await withTemporaryStore { store, _ in try await Self.lifecycle(on: store) }
    }

    /// The lifecycle scenario on any store (SQLite here; PostgreSQL in `PostgresTests`).
    static func lifecycle(on store: TianpingStore) async throws {
        let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
        do {
            _ = try await ingest(Self.agencies + [Self.caseRecord,
                Self.event("E1", .caseAccepted, "2024-03-01T10:00"),
                Self.event("E2", .caseFiled, "2024-03-01T11:00"),
                Self.event("E3", .arrestRequested, "2024-03-02T10:00"),
                Self.event("E4", .arrested, "2024-03-05T10:00"),
            ], into: store)
            #expect(try await store.queuedCaseIDs(limit: 10) == [Self.caseID])
            let first = try await analyzeQueue(store, engine: engine, asOf: "2024-03-06T12:00:00+08:00")
            #expect(first.cases == 1)
            #expect(try await store.queuedCaseCount() == 0)
            let open = try await store.findings(FindingQuery(rule: "CPL80"), page: 1, pageSize: 10)
            #expect(open.total == 1)
            let finding = try #require(open.items.first)
            #expect(finding.status == .open)
            #expect(finding.finding.agency == Self.police)
            #expect(finding.finding.explanation.contains("《刑事诉讼法》第八十条"))

            // The same data evaluated again: nothing new, nothing duplicated.
            let evaluations = try await store.timelines(for: [Self.caseID]).map {
                engine.evaluate($0, asOf: Timestamp("2024-03-06T12:00:00+08:00")!)
            }
            let again = try await store.sync(evaluations, packVersion: engine.pack.version, now: Timestamp("2024-03-06T13:00:00+08:00")!)
            #expect(again.opened == 0 && again.resolved == 0 && again.unchanged == first.opened)

            // The procuratorate's approval, dated before the arrest, arrives late: the finding is cured.
            _ = try await ingest([Self.event("E5", .arrestApproved, "2024-03-04T16:00", agency: Self.procuratorate)], into: store)
            let cured = try await analyzeQueue(store, engine: engine, asOf: "2024-03-07T12:00:00+08:00")
            #expect(cured.resolved >= 1)
            let resolved = try await store.findings(FindingQuery(rule: "CPL80", status: .resolved), page: 1, pageSize: 10)
            #expect(resolved.items.map(\.finding.id) == [finding.finding.id])
            #expect(resolved.items.first?.resolvedAt != nil)
            #expect(try await store.findings(FindingQuery(rule: "CPL80"), page: 1, pageSize: 10).total == 0)
            let history = try await store.findingHistory(finding.finding.id)
            #expect(history.map(\.change) == [.opened, .resolved])

            // A corrected version moves the approval after the arrest: the same finding reopens.
            _ = try await ingest([Self.event("E5", .arrestApproved, "2024-03-06T09:00", agency: Self.procuratorate, version: 2)],
                into: store)
            let reopened = try await analyzeQueue(store, engine: engine, asOf: "2024-03-07T12:00:00+08:00")
            #expect(reopened.reopened == 1)
            #expect(try await store.findingHistory(finding.finding.id).map(\.change) == [.opened, .resolved, .reopened])
        }
    }

    @Test("running clocks are stored per case and replaced on re-evaluation")
    func clocks() async throws {
        let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
        try await withTemporaryStore { store, _ in
            _ = try await ingest(Self.agencies + [Self.caseRecord, Self.event("E1", .detained, "2024-03-04T10:00")], into: store)
            _ = try await analyzeQueue(store, engine: engine, asOf: "2024-03-04T12:00:00+08:00")
            let rules = Set(try await store.storedClocks(caseID: Self.caseID).map(\.rule))
            #expect(rules.isSuperset(of: ["M3", "M4", "M5", "M6", "M8"]))
            _ = try await ingest([Self.event("E2", .familyNotified, "2024-03-04T15:00")], into: store)
            _ = try await analyzeQueue(store, engine: engine, asOf: "2024-03-04T16:00:00+08:00")
            let after = Set(try await store.storedClocks(caseID: Self.caseID).map(\.rule))
            #expect(!after.contains("M4"))
            #expect(after.contains("M6"))
        }
    }
}
