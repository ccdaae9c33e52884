import ArgumentParser
import Foundation
import TianpingAnalysis
import TianpingGenerator
import TianpingCore
import TianpingIngest
import TianpingLedger
import TianpingRules
import TianpingStore

/// `tianping bench`: performance measurements with JSON output, recorded in BENCHMARKS.md.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "性能基准（输出 JSON）",
        subcommands: [GenerateBench.self, IngestBench.self, AnalyzeBench.self, LedgerBench.self, LibraryBench.self])

    /// Result of one benchmark run.
    struct Result: Encodable {
        var benchmark: String
        var cases: Int?
        var records: Int
        var bytes: Int?
        var seconds: Double
        var recordsPerSecond: Double
        var peakResidentBytes: Int?
        var processors: Int
        var command: String
    }

    struct GenerateBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "生成速度")
        @Option(help: "Number of cases.") var cases = 100_000
        @Option(help: "Seed.") var seed: UInt64 = 1
        @Option(help: "Output directory (kept).") var output: String

        func run() async throws {
            let started = Date()
            let manifest = try await ProvinceGeneratorRunner.generate(cases: cases, seed: seed, into: URL(fileURLWithPath: output))
            let seconds = Date().timeIntervalSince(started)
            let bytes = manifest.files.reduce(0) { sum, name in
                sum + ((try? FileManager.default.attributesOfItem(atPath: output + "/" + name)[.size] as? Int) ?? 0)
            }
            print(try jsonString(Result(benchmark: "generate", cases: cases, records: manifest.records, bytes: bytes,
                seconds: seconds, recordsPerSecond: Double(manifest.records) / seconds, peakResidentBytes: peakResidentBytes(),
                processors: ProcessInfo.processInfo.activeProcessorCount, command: CommandLine.arguments.joined(separator: " "))))
        }
    }

    struct IngestBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ingest", abstract: "导入速度（导入到新的数据库）")
        @Option(help: "A directory written by `tianping generate`.") var input: String
        @Option(help: "Database to create; must not exist.") var database: String
        @Option(help: "Lines per transaction.") var batchSize = 10_000

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: database) else {
                throw ValidationError("基准测试需要一个新的数据库文件：\(database) 已存在")
            }
            let store = try await TianpingStore.open(StoreLocation(argument: database), readConnections: 1)
            let started = Date()
            let summary: IngestSummaryCounts
            do {
                let s = try await Ingest.ingest(input: input, store: store, batchSize: batchSize, showProgress: false)
                summary = IngestSummaryCounts(lines: s.lines, bytes: s.bytes)
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            let seconds = Date().timeIntervalSince(started)
            print(try jsonString(Result(benchmark: "ingest", cases: nil, records: summary.lines, bytes: summary.bytes,
                seconds: seconds, recordsPerSecond: Double(summary.lines) / seconds, peakResidentBytes: peakResidentBytes(),
                processors: ProcessInfo.processInfo.activeProcessorCount, command: CommandLine.arguments.joined(separator: " "))))
        }
    }

    struct IngestSummaryCounts {
        var lines: Int
        var bytes: Int
    }
}

/// Peak resident set size of this process (VmHWM in /proc/self/status), in bytes.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return digits.map { $0 * 1024 }
    }
    return nil
}

extension Bench {
    /// `tianping bench analyze`: the procedural risk engine over a generated province held in memory.
    struct AnalyzeBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "analyze",
            abstract: "风险分析速度：读入、全量分析、单案增量重算，以及各附加引擎（减刑假释审查）单核耗时（内存中）")
        @Option(help: "A directory written by `tianping generate`.") var input: String
        @Option(help: "Evaluate as of (YYYY-MM-DD). Default: now.") var asOf: String?
        @Option(help: "Cases re-evaluated one at a time for the incremental figure.") var samples = 10_000

        struct Result: Encodable {
            var benchmark = "analyze"
            var cases: Int
            var events: Int
            var records: Int
            var loadSeconds: Double
            var analysisSeconds: Double
            var casesPerSecond: Double
            var findings: Int
            var clocks: Int
            var incrementalMedianMicroseconds: Double
            var incrementalP99Microseconds: Double
            /// Each further engine alone over every case, on one core (the commutation review: `commutation`).
            var engineSecondsOneCore: [String: Double]
            var executionRecords: Int
            var commutations: Int
            var peakResidentBytes: Int?
            var processors: Int
            var command: String
        }

        func run() async throws {
            let pipeline = try AnalysisPipeline.standard()
            let engine = pipeline.procedure
            let moment = try EngineOptions.moment(asOf)
            let t0 = Date()
            let loaded = try ExchangeFiles.loadParallel(input: input, wholeCasesPerFile: true)
            let loadSeconds = Date().timeIntervalSince(t0)
            let t1 = Date()
            let evaluations = await pipeline.evaluate(loaded.timelines, asOf: moment)
            let analysisSeconds = Date().timeIntervalSince(t1)
            // Incremental: one changed case is re-evaluated on its own (what ingest does per touched case).
            var durations: [Double] = []
            var generator = SystemRandomNumberGenerator()
            let count = loaded.timelines.count
            for _ in 0..<(count == 0 ? 0 : samples) {
                let timeline = loaded.timelines[Int.random(in: 0..<count, using: &generator)]
                let start = DispatchTime.now().uptimeNanoseconds
                let result = engine.evaluate(timeline, asOf: moment)
                durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
                precondition(result.caseID == timeline.caseID)
            }
            var engineSeconds: [String: Double] = [:]
            for further in pipeline.engines {
                let start = Date()
                var found = 0
                for timeline in loaded.timelines { found += further.findings(in: timeline, asOf: moment).count }
                engineSeconds[further.rules.first?.family.id ?? "engine", default: 0] += Date().timeIntervalSince(start)
                precondition(found >= 0)
            }
            durations.sort()
            let median = durations.isEmpty ? 0 : durations[durations.count / 2]
            let p99 = durations.isEmpty ? 0 : durations[min(durations.count - 1, durations.count * 99 / 100)]
            print(try jsonString(Result(cases: count, events: loaded.timelines.reduce(0) { $0 + $1.events.count },
                records: loaded.records, loadSeconds: loadSeconds, analysisSeconds: analysisSeconds,
                casesPerSecond: Double(count) / analysisSeconds, findings: evaluations.reduce(0) { $0 + $1.findings.count },
                clocks: evaluations.reduce(0) { $0 + $1.clocks.count }, incrementalMedianMicroseconds: median,
                incrementalP99Microseconds: p99, engineSecondsOneCore: engineSeconds,
                executionRecords: loaded.timelines.reduce(0) { $0 + $1.executions.count },
                commutations: loaded.timelines.reduce(0) { $0 + $1.executions.reduce(0) { $0 + $1.commutations.count } },
                peakResidentBytes: peakResidentBytes(),
                processors: ProcessInfo.processInfo.activeProcessorCount, command: CommandLine.arguments.joined(separator: " "))))
        }
    }
}

extension Bench {
    /// `tianping bench ledger`: the Merkle log's in-memory rates; with `--durable`, appends committed to a store in
    /// batches, the tree rebuilt from the stored leaves, and proofs served from it.
    struct LedgerBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ledger",
            abstract: "电子卷宗存证日志：追加、包含证明生成与验证速度（内存中；--durable 为落盘批量提交）")
        @Option(help: "Leaves to append.") var leaves = 1_000_000
        @Option(help: "Inclusion and consistency proofs to generate and verify.") var proofs = 100_000
        @Flag(help: "Append to a store (one committed transaction per batch) instead of memory.") var durable = false
        @Option(help: "With --durable: a new SQLite file or a postgres:// URL (default: a temporary SQLite file).") var database: String?
        @Option(help: "With --durable: leaves per committed transaction.") var batch = 10_000
        @Flag(help: "With --durable on SQLite: fsync every commit (synchronous=FULL) instead of at WAL checkpoints.") var fullSync = false

        struct DurableResult: Encodable {
            var benchmark = "ledger-durable"
            var database: String
            var synchronous: String
            var leaves: Int
            var batch: Int
            var appendSeconds: Double
            var appendsPerSecond: Double
            var treeLoadSeconds: Double
            var proofs: Int
            var inclusionProofsPerSecond: Double
            var inclusionVerificationsPerSecond: Double
            var peakResidentBytes: Int?
            var processors: Int
            var command: String
        }

        func runDurable() async throws {
            let path = database ?? FileManager.default.temporaryDirectory.appendingPathComponent("tianping-ledger-bench-\(UUID().uuidString).sqlite").path
            defer { if database == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } } }
            let store = try await TianpingStore.open(StoreLocation(argument: path))
            do {
                if fullSync { try await store.synchroniseEveryCommit() }
                guard try await store.ledgerSize() == 0 else { throw CLIError("基准测试需要一个空的存证日志：\(path)") }
                // Entries as ingest writes them: identity, version, case, content hash, arrival time.
                @Sendable func entries(_ range: Range<Int>) -> [LedgerEntry] {
                    range.map { i in
                        LedgerEntry(subject: .record, kind: "event", source: "520102GA01", id: "TP52010220240\(i / 14)-E\(i % 14)",
                            version: 1, caseID: "TP52010220240\(i / 14)", sha256: LedgerDigest.sha256Hex(Array("\(i)".utf8)),
                            receivedAt: 1_764_300_000 + Int64(i / 10_000))
                    }
                }
                let t0 = Date()
                var appended = 0
                // The next batch is made while the current one commits, as an ingest decodes while it writes.
                var next = Task { entries(0..<min(batch, leaves)) }
                while appended < leaves {
                    let current = await next.value
                    let from = appended + current.count
                    next = Task { entries(from..<min(from + batch, leaves)) }
                    _ = try await store.appendLedgerEntries(current)
                    appended += current.count
                }
                let appendSeconds = Date().timeIntervalSince(t0)
                let log = DossierLog(store: store)
                let t1 = Date()
                let size = try await log.refresh()
                let treeLoadSeconds = Date().timeIntervalSince(t1)
                let root = try await log.root(size: size)
                var generator = SystemRandomNumberGenerator()
                let indices = (0..<proofs).map { _ in Int.random(in: 0..<size, using: &generator) }
                let t2 = Date()
                var paths: [[TreeHash]] = []
                paths.reserveCapacity(proofs)
                for i in indices { paths.append(try await log.inclusionProof(leaf: i, size: size)) }
                let t3 = Date()
                for (i, path) in zip(indices, paths) {
                    guard ProofVerification.verifyInclusion(leafHash: await log.leafHash(i), index: i, size: size, proof: path, root: root)
                    else { throw CLIError("包含证明验证失败：\(i)") }
                }
                let t4 = Date()
                print(try jsonString(DurableResult(database: store.dialect.rawValue, synchronous: fullSync ? "FULL" : "NORMAL (WAL)",
                    leaves: size, batch: batch, appendSeconds: appendSeconds, appendsPerSecond: Double(size) / appendSeconds,
                    treeLoadSeconds: treeLoadSeconds, proofs: proofs,
                    inclusionProofsPerSecond: Double(proofs) / t3.timeIntervalSince(t2),
                    inclusionVerificationsPerSecond: Double(proofs) / t4.timeIntervalSince(t3),
                    peakResidentBytes: peakResidentBytes(), processors: ProcessInfo.processInfo.activeProcessorCount,
                    command: CommandLine.arguments.joined(separator: " "))))
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
        }

        struct Result: Encodable {
            var benchmark = "ledger"
            var leaves: Int
            var appendSeconds: Double
            var appendsPerSecond: Double
            var proofs: Int
            var inclusionProofsPerSecond: Double
            var inclusionVerificationsPerSecond: Double
            var consistencyProofsPerSecond: Double
            var consistencyVerificationsPerSecond: Double
            var peakResidentBytes: Int?
            var processors: Int
            var command: String
        }

        func run() async throws {
            if durable { return try await runDurable() }
            var tree = MerkleTree()
            let t0 = Date()
            for i in 0..<leaves {
                // A leaf as ingest would log it: record identity, version and content hash.
                tree.append(MerkleHashing.leaf(Array("event|520102GA01|TP5201022024\(i)-E1|1|\(i)".utf8)))
            }
            let appendSeconds = Date().timeIntervalSince(t0)
            let size = tree.size
            let root = try tree.root()
            var generator = SystemRandomNumberGenerator()
            let indices = (0..<proofs).map { _ in Int.random(in: 0..<size, using: &generator) }
            let t1 = Date()
            let paths = try indices.map { try tree.inclusionProof(leaf: $0, size: size) }
            let t2 = Date()
            for (i, path) in zip(indices, paths) {
                guard ProofVerification.verifyInclusion(leafHash: tree.leafHash(i), index: i, size: size, proof: path, root: root)
                else { throw CLIError("包含证明验证失败：\(i)") }
            }
            let t3 = Date()
            let froms = indices.map { max(1, $0) }
            let consistency = try froms.map { try tree.consistencyProof(from: $0, to: size) }
            let t4 = Date()
            var heads: [Int: TreeHash] = [:]
            for f in froms where heads[f] == nil { heads[f] = try tree.root(size: f) }
            let t5 = Date()
            for (f, proof) in zip(froms, consistency) {
                guard ProofVerification.verifyConsistency(from: f, to: size, fromRoot: heads[f]!, toRoot: root, proof: proof)
                else { throw CLIError("一致性证明验证失败：\(f)") }
            }
            let t6 = Date()
            let n = Double(proofs)
            print(try jsonString(Result(leaves: size, appendSeconds: appendSeconds,
                appendsPerSecond: Double(size) / appendSeconds, proofs: proofs,
                inclusionProofsPerSecond: n / t2.timeIntervalSince(t1), inclusionVerificationsPerSecond: n / t3.timeIntervalSince(t2),
                consistencyProofsPerSecond: n / t4.timeIntervalSince(t3), consistencyVerificationsPerSecond: n / t6.timeIntervalSince(t5),
                peakResidentBytes: peakResidentBytes(), processors: ProcessInfo.processInfo.activeProcessorCount,
                command: CommandLine.arguments.joined(separator: " "))))
        }
    }
}
