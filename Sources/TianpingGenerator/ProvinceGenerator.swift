import Foundation
import TianpingCore

/// What to generate.
public struct GeneratorConfiguration: Sendable, Equatable {
    public var cases: Int
    public var seed: UInt64
    /// Share of cases that carry one planted violation.
    public var violationRate: Double
    /// Cases per output file, rounded up to a whole number of generation chunks (2,000 cases).
    public var casesPerFile: Int

    public init(cases: Int, seed: UInt64 = 1, violationRate: Double = 0.05, casesPerFile: Int = 100_000) {
        self.cases = cases
        self.seed = seed
        self.violationRate = violationRate
        self.casesPerFile = casesPerFile
    }
}

/// What was written, as stored in `manifest.json`.
public struct GenerationManifest: Codable, Sendable, Equatable {
    public var generator: String
    public var province: String
    public var seed: UInt64
    public var cases: Int
    public var violationRate: Double
    /// Data files in the order they must be ingested (agencies first).
    public var files: [String]
    public var records: Int
    public var violations: [String: Int]
    public var groundTruth: String
}

/// Generates a deterministic synthetic province: its agencies and officials, and `cases` cases with
/// timelines, documents, judgments and execution records, plus the ground truth of planted violations.
///
/// ```swift
/// let manifest = try ProvinceGenerator(GeneratorConfiguration(cases: 20_000, seed: 7))
///     .write(to: URL(fileURLWithPath: "out"))
/// ```
/// The same configuration always produces byte-identical files: all randomness comes from `SplitMix64`
/// streams derived from the seed and the chunk number, and chunks are written in order.
public struct ProvinceGenerator: Sendable {
    public let configuration: GeneratorConfiguration
    /// Cases generated per parallel work unit.
    static let chunkSize = 2_000
    static let version = "tianping-generator/1"

    public init(_ configuration: GeneratorConfiguration) { self.configuration = configuration }

    /// Writes the data set into `directory` (created if needed) and returns its manifest.
    public func write(to directory: URL, progress: (@Sendable (Int) -> Void)? = nil) async throws -> GenerationManifest {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let layout = ProvinceLayout()
        var staffRNG = SplitMix64(seed: configuration.seed, stream: 0xA6E7C1E5)
        let (agencyLines, staff, agencyRecords) = Self.agencyFile(layout: layout, rng: &staffRNG)
        try Data(agencyLines).write(to: directory.appendingPathComponent("agencies.jsonl"))
        var files = ["agencies.jsonl"]
        var records = agencyRecords
        var violations: [PlantedViolation: Int] = [:]

        let truthHandle = try Self.create(directory.appendingPathComponent("ground-truth.jsonl"))
        defer { try? truthHandle.close() }
        var caseHandle: FileHandle?
        defer { try? caseHandle?.close() }

        let chunkCount = (configuration.cases + Self.chunkSize - 1) / Self.chunkSize
        let config = configuration
        let parallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        var nextChunk = 0
        var written = 0
        let chunksPerFile = max(1, (config.casesPerFile + Self.chunkSize - 1) / Self.chunkSize)
        try await withThrowingTaskGroup(of: (Int, ChunkOutput).self) { group in
            var pending: [Int: ChunkOutput] = [:]
            func submit() {
                guard nextChunk < chunkCount else { return }
                let index = nextChunk
                nextChunk += 1
                group.addTask { (index, Self.generateChunk(index, configuration: config, layout: layout, staff: staff)) }
            }
            for _ in 0..<(parallelism + 1) { submit() }
            var expected = 0
            while let (index, output) = try await group.next() {
                pending[index] = output
                while let ready = pending.removeValue(forKey: expected) {
                    if expected % chunksPerFile == 0 {
                        try caseHandle?.close()
                        let name = "cases-" + Self.pad5(expected / chunksPerFile + 1) + ".jsonl"
                        caseHandle = try Self.create(directory.appendingPathComponent(name))
                        files.append(name)
                    }
                    try caseHandle!.write(contentsOf: ready.lines)
                    try truthHandle.write(contentsOf: ready.truth)
                    records += ready.records
                    for (v, n) in ready.violations { violations[v, default: 0] += n }
                    written += ready.cases
                    progress?(written)
                    expected += 1
                    submit()
                }
            }
        }
        let manifest = GenerationManifest(
            generator: Self.version, province: ProvinceLayout.provinceName + "（虚构）", seed: configuration.seed,
            cases: configuration.cases, violationRate: configuration.violationRate, files: files, records: records,
            violations: Dictionary(uniqueKeysWithValues: violations.map { ($0.key.rawValue, $0.value) }),
            groundTruth: "ground-truth.jsonl")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"))
        return manifest
    }

    static func create(_ url: URL) throws -> FileHandle {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return try FileHandle(forWritingTo: url)
    }

    static func pad5(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    struct ChunkOutput: Sendable {
        var lines: Data
        var truth: Data
        var records: Int
        var cases: Int
        var violations: [PlantedViolation: Int]
    }

    static func generateChunk(_ index: Int, configuration: GeneratorConfiguration, layout: ProvinceLayout, staff: Staff)
        -> ChunkOutput
    {
        var builder = CaseBuilder(layout: layout, staff: staff, violationRate: configuration.violationRate,
            rng: SplitMix64(seed: configuration.seed, stream: UInt64(index) + 1))
        let first = index * chunkSize
        let last = min(configuration.cases, first + chunkSize)
        for serial in first..<last { builder.writeCase(serial: serial + 1) }
        return ChunkOutput(lines: Data(builder.out.bytes), truth: Data(builder.truth.bytes), records: builder.recordCount,
            cases: last - first, violations: builder.violationCounts)
    }

    /// The agencies file: every agency (parents first), then every official as a person record.
    static func agencyFile(layout: ProvinceLayout, rng: inout SplitMix64) -> ([UInt8], Staff, Int) {
        var out = JSONLineBuffer()
        var staff = Staff()
        var count = 0
        let agencies = layout.agencies()
        for a in agencies {
            out.beginObject()
            out.string("kind", "agency")
            out.string("source", a.code)
            out.string("id", a.code)
            out.int("version", 1)
            out.beginObject("payload")
            out.string("code", a.code)
            out.string("kind", a.kind.rawValue)
            out.string("name", a.name)
            out.string("region", a.region.text)
            out.string("level", a.level.rawValue)
            out.string("parentCode", a.parentCode)
            out.endObject()
            out.endObject()
            out.newline()
            count += 1
        }
        for a in agencies {
            guard let role = Staff.role(for: a.kind), let n = Staff.officialsPerAgency[a.kind] else { continue }
            var ids: [String] = []
            for i in 1...n {
                let id = a.code + "-U" + FixedDigits.two(i)
                ids.append(id)
                out.beginObject()
                out.string("kind", "person")
                out.string("source", a.code)
                out.string("id", id)
                out.int("version", 1)
                out.beginObject("payload")
                out.string("id", id)
                out.string("role", role.rawValue)
                out.string("name", Names.person(&rng))
                out.string("agency", a.code)
                out.endObject()
                out.endObject()
                out.newline()
                count += 1
            }
            staff.officials[a.code] = ids
        }
        return (out.bytes, staff, count)
    }
}
