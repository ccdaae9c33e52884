import ArgumentParser
import Foundation
import TianpingGenerator
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingStore

/// `tianping bench`: performance measurements with JSON output, recorded in BENCHMARKS.md.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "性能基准（输出 JSON）",
        subcommands: [GenerateBench.self, IngestBench.self, AnalyzeBench.self])

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
            abstract: "程序性风险分析速度：读入、全量分析、单案增量重算（内存中）")
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
            var peakResidentBytes: Int?
            var processors: Int
            var command: String
        }

        func run() async throws {
            let engine = try EngineOptions.engine(config: nil)
            let moment = try EngineOptions.moment(asOf)
            let t0 = Date()
            let loaded = try ExchangeFiles.loadParallel(input: input, wholeCasesPerFile: true)
            let loadSeconds = Date().timeIntervalSince(t0)
            let t1 = Date()
            let evaluations = await ParallelAnalysis.run(loaded.timelines, engine: engine, asOf: moment)
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
            durations.sort()
            let median = durations.isEmpty ? 0 : durations[durations.count / 2]
            let p99 = durations.isEmpty ? 0 : durations[min(durations.count - 1, durations.count * 99 / 100)]
            print(try jsonString(Result(cases: count, events: loaded.timelines.reduce(0) { $0 + $1.events.count },
                records: loaded.records, loadSeconds: loadSeconds, analysisSeconds: analysisSeconds,
                casesPerSecond: Double(count) / analysisSeconds, findings: evaluations.reduce(0) { $0 + $1.findings.count },
                clocks: evaluations.reduce(0) { $0 + $1.clocks.count }, incrementalMedianMicroseconds: median,
                incrementalP99Microseconds: p99, peakResidentBytes: peakResidentBytes(),
                processors: ProcessInfo.processInfo.activeProcessorCount, command: CommandLine.arguments.joined(separator: " "))))
        }
    }
}
