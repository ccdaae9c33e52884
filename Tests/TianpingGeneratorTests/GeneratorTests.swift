import Foundation
import Testing
import TianpingCore
import TianpingGenerator
import TianpingIngest

/// Generates a small province into a fresh temporary directory.
func generate(cases: Int, seed: UInt64, violationRate: Double = 0.05) async throws -> (URL, GenerationManifest) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-gen-\(UUID().uuidString)")
    let manifest = try await ProvinceGenerator(
        GeneratorConfiguration(cases: cases, seed: seed, violationRate: violationRate, casesPerFile: 2_000)
    ).write(to: directory)
    return (directory, manifest)
}

@Suite("Province generator")
struct GeneratorTests {
    @Test("the same seed and size give byte-identical files; another seed does not")
    func determinism() async throws {
        let (a, manifestA) = try await generate(cases: 2_500, seed: 42)
        let (b, _) = try await generate(cases: 2_500, seed: 42)
        let (c, _) = try await generate(cases: 2_500, seed: 43)
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        #expect(manifestA.files == ["agencies.jsonl", "cases-00001.jsonl", "cases-00002.jsonl"])
        for name in manifestA.files + ["ground-truth.jsonl", "manifest.json"] {
            let x = try Data(contentsOf: a.appendingPathComponent(name))
            let y = try Data(contentsOf: b.appendingPathComponent(name))
            #expect(x == y, "\(name) differs between two runs with the same seed")
        }
        let first = try Data(contentsOf: a.appendingPathComponent("cases-00001.jsonl"))
        let other = try Data(contentsOf: c.appendingPathComponent("cases-00001.jsonl"))
        #expect(first != other)
    }

    @Test("every generated line passes ingest validation")
    func validates() async throws {
        let (directory, manifest) = try await generate(cases: 600, seed: 5, violationRate: 0.3)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = GeneratedDataStore()
        let ingestor = Ingestor(store: store, options: IngestOptions(now: Timestamp("2026-07-01T00:00:00+08:00")!))
        var summary = IngestSummary()
        for name in manifest.files {
            summary.merge(try await ingestor.ingest(try LineReader(path: directory.appendingPathComponent(name).path),
                sourceName: name))
        }
        let rejected = await store.rejected
        #expect(rejected.isEmpty, "first rejections: \(rejected.prefix(3).map { "\($0.code.rawValue) \($0.message)" })")
        #expect(summary.lines == manifest.records)
        #expect(summary.total(.accepted) + summary.total(.superseded) == manifest.records)

        // Ingest's hand-written decoder and Foundation's JSONDecoder read every record identically.
        let decoder = RecordDecoder(now: Timestamp("2026-07-01T00:00:00+08:00")!)
        let text = try String(contentsOf: directory.appendingPathComponent(manifest.files[1]), encoding: .utf8)
        for line in text.split(separator: "\n").prefix(4000) {
            let fast = try decoder.decode(Array(line.utf8)).get().record
            #expect(fast == (try JSONDecoder().decode(ExchangeRecord.self, from: Data(line.utf8))))
        }
    }

    @Test("timelines respect the statutory limits except exactly where a violation was planted")
    func plantedViolationsOnly() async throws {
        let (directory, manifest) = try await generate(cases: 3_000, seed: 11, violationRate: 0.25)
        defer { try? FileManager.default.removeItem(at: directory) }
        let decoder = JSONDecoder()
        var byCase: [String: [ExchangeRecord]] = [:]
        for name in manifest.files.dropFirst() {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let record = try decoder.decode(ExchangeRecord.self, from: Data(line.utf8))
                byCase[record.caseID!, default: []].append(record)
            }
        }
        var found = Set<String>()
        for (caseID, records) in byCase {
            for code in TimelineChecker(records: records).violations() { found.insert(caseID + " " + code) }
        }
        var planted = Set<String>()
        var consequences = Set<String>()
        let truth = try String(contentsOf: directory.appendingPathComponent("ground-truth.jsonl"), encoding: .utf8)
        for line in truth.split(separator: "\n") {
            let entry = try decoder.decode(GroundTruthEntry.self, from: Data(line.utf8))
            #expect(!entry.legalBasis.isEmpty && entry.legalBasis.contains("《"))
            planted.insert(entry.case + " " + entry.code)
            if entry.consequences.contains("I1") { consequences.insert(entry.case + " INVESTIGATION_CUSTODY_OVERDUE") }
            if entry.consequences.contains("M7") { consequences.insert(entry.case + " ARREST_DECISION_MISSING") }
        }
        #expect(planted.count == manifest.violations.values.reduce(0, +))
        #expect(Set(manifest.violations.keys).count >= 14, "most violation kinds occur at this rate and size")
        let unexpected = found.subtracting(planted).subtracting(consequences)
        let missed = planted.subtracting(found)
        #expect(unexpected.isEmpty, "violations nobody planted: \(unexpected.sorted().prefix(5))")
        #expect(missed.isEmpty, "planted but not present in the data: \(missed.sorted().prefix(5))")
    }
}

struct GroundTruthEntry: Decodable {
    var code: String
    var `case`: String
    var rule: String
    var legalBasis: String
    var events: [String]
    var consequences: [String]
}

/// Ingest-state for generated data: agencies and cases remembered, rejections collected.
actor GeneratedDataStore: IngestStore {
    var agencies: [String: AgencyKind] = [:]
    var cases: [String: CaseContext] = [:]
    var versions: [RecordKey: [Int: String]] = [:]
    var rejected: [QuarantineEntry] = []

    func agencyKinds() async throws -> [String: AgencyKind] { agencies }
    func caseContexts(for ids: [String]) async throws -> [String: CaseContext] { cases.filter { ids.contains($0.key) } }
    func storedVersions(for keys: [RecordKey]) async throws -> [RecordKey: [Int: String]] {
        var result: [RecordKey: [Int: String]] = [:]
        for k in keys { if let v = versions[k] { result[k] = v } }
        return result
    }

    func commit(_ batch: IngestBatch) async throws {
        rejected += batch.quarantine
        for r in batch.records {
            versions[r.key, default: [:]][r.version] = r.contentHash
            switch r.payload {
            case .agency(let a): agencies[a.code] = a.kind
            case .case(let c): cases[c.id] = CaseContext(type: c.type, acceptedAt: c.acceptedAt)
            default: break
            }
        }
    }
}
