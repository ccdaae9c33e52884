import Foundation
import Testing
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingStore

/// A fresh SQLite store in a temporary file, closed and removed after `body`.
func withTemporaryStore(_ body: (TianpingStore, String) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-\(UUID().uuidString).sqlite").path
    let store = try await TianpingStore.open(.sqlite(path: path), readConnections: 1)
    do {
        try await body(store, path)
        try await store.close()
    } catch {
        try? await store.close()
        throw error
    }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// Generates `cases` cases and ingests them into `store`.
func loadProvince(_ store: TianpingStore, cases: Int, seed: UInt64 = 3) async throws -> (IngestSummary, GenerationManifest) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-gen-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let manifest = try await ProvinceGenerator(GeneratorConfiguration(cases: cases, seed: seed)).write(to: directory)
    let ingestor = Ingestor(store: store, options: IngestOptions(now: Timestamp("2026-07-01T00:00:00+08:00")!, batchSize: 500))
    var summary = IngestSummary()
    for name in manifest.files {
        summary.merge(try await ingestor.ingest(try LineReader(path: directory.appendingPathComponent(name).path), sourceName: name))
    }
    return (summary, manifest)
}

@Suite("SQLite store")
struct StoreTests {
    @Test("a generated province loads, and lists, filters, dossiers and statistics agree with it")
    func loadAndQuery() async throws {
        try await withTemporaryStore { store, _ in
            let (summary, manifest) = try await loadProvince(store, cases: 400)
            #expect(summary.total(.quarantined) == 0)
            let stats = try await store.statistics(includeRecordCounts: true)
            #expect(stats.cases == 400)
            #expect(stats.casesByType.values.reduce(0, +) == 400)
            #expect((stats.recordsByKind?.values.reduce(0, +) ?? 0) + (stats.historicalVersions ?? -1) == manifest.records)
            #expect(try await store.caseCount() == 400)
            #expect(try await store.statistics().recordsByKind == nil, "record counts only when asked")
            #expect(stats.agencies == (try await store.agencies()).count)

            let all = try await store.cases(CaseQuery(), page: 1, pageSize: 50)
            #expect(all.total == 400)
            #expect(all.items.count == 50)
            #expect(zip(all.items, all.items.dropFirst()).allSatisfy { $0.acceptedAt >= $1.acceptedAt })
            let secondPage = try await store.cases(CaseQuery(), page: 2, pageSize: 50)
            #expect(Set(all.items.map(\.id)).isDisjoint(with: secondPage.items.map(\.id)))

            let criminal = try await store.cases(CaseQuery(type: .criminal), page: 1, pageSize: 500)
            #expect(criminal.total == stats.casesByType["criminal"])
            #expect(criminal.items.allSatisfy { $0.type == .criminal })

            let city = try #require(RegionCode("520100"))
            let inCity = try await store.cases(CaseQuery(region: city), page: 1, pageSize: 500)
            #expect(inCity.total == stats.casesByCity["520100"] ?? 0)
            #expect(inCity.items.allSatisfy { $0.region.hasPrefix("5201") })

            let theft = try await store.cases(CaseQuery(charge: "盗窃罪"), page: 1, pageSize: 500)
            #expect(theft.items.allSatisfy { $0.charges.contains("盗窃罪") })
            #expect(theft.total == stats.topCharges.first { $0.name == "盗窃罪" }?.count ?? 0)

            let someCase = try #require(criminal.items.first { $0.lastEvent == .released || $0.lastEvent == .admittedToPrison })
            let dossier = try #require(try await store.dossier(caseID: someCase.id))
            #expect(dossier.caseRecord.id == someCase.id)
            #expect(dossier.caseRecord.agencyNumbers.count == 3, "version 2 of the case record, with every agency's number")
            let events = dossier.records.compactMap { r -> CaseEvent? in
                if case .event(let e) = r.record.payload { return e } else { return nil }
            }
            #expect(events.first?.kind == .caseAccepted)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.occurredAt <= $1.occurredAt })
            #expect(try await store.dossier(caseID: "TP00000000000000000") == nil)
        }
    }

    @Test("re-ingesting changes nothing; corrections keep history; quarantine is kept once and replays")
    func idempotenceHistoryQuarantine() async throws {
        try await withTemporaryStore { store, _ in
            _ = try await loadProvince(store, cases: 120)
            let digest = try await store.contentDigest()
            let (again, _) = try await loadProvince(store, cases: 120)
            #expect(again.changedNothing)
            #expect(try await store.contentDigest() == digest)

            // A correction of one event: version 2 supersedes, version 1 stays as history.
            let someCase = try #require(try await store.cases(CaseQuery(type: .criminal), page: 1, pageSize: 1).items.first)
            let dossier = try #require(try await store.dossier(caseID: someCase.id))
            let original = try #require(dossier.records.first { $0.record.kind == .event })
            var corrected = original.record
            corrected.version = 2
            guard case .event(var e) = corrected.payload else { return }
            e.officer = nil
            corrected.payload = .event(e)
            let encoder = JSONEncoder()
            let line = String(decoding: try encoder.encode(corrected), as: UTF8.self)
            let orphan = line.replacingOccurrences(of: someCase.id, with: "TP52010220249999999")
                .replacingOccurrences(of: "\"version\":2", with: "\"version\":1")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fix-\(UUID().uuidString).jsonl").path
            _ = FileManager.default.createFile(atPath: path, contents: Data((line + "\n" + orphan + "\n{oops\n").utf8))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let historyBefore = try await store.statistics(includeRecordCounts: true).historicalVersions ?? -1
            let ingestor = Ingestor(store: store, options: IngestOptions(now: Timestamp("2026-07-01T00:00:00+08:00")!))
            var summary = try await ingestor.ingest(try LineReader(path: path), sourceName: path)
            #expect(summary.total(.superseded) == 1)
            #expect(summary.total(.quarantined) == 2)
            let after = try #require(try await store.dossier(caseID: someCase.id))
            let current = try #require(after.records.first { $0.record.id == original.record.id })
            #expect(current.record.version == 2)
            #expect(current.versionCount == 2)
            #expect(try await store.statistics(includeRecordCounts: true).historicalVersions == historyBefore + 1)

            // The same bad lines again: still two entries, not four.
            summary = try await ingestor.ingest(try LineReader(path: path), sourceName: path)
            var open = try await store.quarantineEntries()
            #expect(open.count == 2)
            #expect(Set(open.map(\.entry.code)) == [.unknownCase, .malformedJSON])
            #expect(open.first { $0.entry.code == .malformedJSON }?.entry.lineNumber == 3)

            // Correct the malformed line and replay everything: the correction is accepted, the orphan stays.
            let malformed = try #require(open.first { $0.entry.code == .malformedJSON })
            let fixedLine = line.replacingOccurrences(of: "\"version\":2", with: "\"version\":3")
            try await store.correctQuarantineEntry(id: malformed.id, correctedLine: fixedLine)
            let refreshed = try await store.quarantineEntries()
            summary = try await Ingestor(store: store, options: IngestOptions(now: Timestamp("2026-07-01T00:00:00+08:00")!))
                .replay(refreshed.map { ($0.id, $0.entry) })
            #expect(summary.total(.superseded) == 1)
            open = try await store.quarantineEntries()
            #expect(open.count == 1)
            #expect(open.first?.entry.code == .unknownCase)
            #expect(try await store.quarantineEntries(status: "resolved").count == 1)
        }
    }

    @Test("opening an existing store again applies no migration twice")
    func reopen() async throws {
        try await withTemporaryStore { store, path in
            _ = try await loadProvince(store, cases: 20)
            let again = try await TianpingStore.open(.sqlite(path: path))
            #expect(try await again.statistics().cases == 20)
            try await again.close()
        }
    }

    @Test("database arguments choose the backend")
    func locations() {
        #expect(StoreLocation(argument: "data/t.sqlite") == .sqlite(path: "data/t.sqlite"))
        #expect(StoreLocation(argument: "postgres://u:secret@localhost:5432/tp") == .postgres(url: "postgres://u:secret@localhost:5432/tp"))
        #expect(!StoreLocation.postgres(url: "postgres://u:secret@localhost:5432/tp").description.contains("secret"))
    }
}
