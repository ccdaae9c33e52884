import ArgumentParser
import Foundation
import TianpingGenerator
import TianpingIngest
import TianpingStore

/// `tianping bench`: performance measurements with JSON output, recorded in BENCHMARKS.md.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "性能基准（输出 JSON）",
        subcommands: [GenerateBench.self, IngestBench.self])

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
