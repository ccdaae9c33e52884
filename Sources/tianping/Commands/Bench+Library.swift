import ArgumentParser
import Foundation
import TianpingGenerator
import TianpingRetrieval

extension Bench {
    /// `tianping bench library`: the similar-case index at a province's scale, on generated judgments: how fast they are
    /// read and indexed, how large the index is per judgment, and how long a query takes.
    struct LibraryBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "library",
            abstract: "类案检索索引：生成裁判文书，测量解读与建索引速度、索引大小和查询延迟",
            discussion: "Example: tianping bench library --judgments 1000000 --queries 1000")

        @Option(help: "Generated judgments in the library.") var judgments = 100_000
        @Option(help: "Queries timed (facts of other generated judgments, with their charges).") var queries = 1_000
        @Option(help: "Judgments per index batch (one segment each).") var batch = 50_000
        @Option(help: "Seed of the generated judgments.") var seed: UInt64 = 7
        @Option(help: "Index directory (kept); default a temporary one, removed afterwards.") var directory: String?
        @Flag(help: "Time queries only, on the index already in --directory (built by an earlier run with the same seed).")
        var queriesOnly = false
        @Option(help: "After building, merge segments as the store's catch-up does (small ones into segments of at most this many judgments) and time it.")
        var mergeTo: Int?

        struct Output: Encodable {
            var benchmark = "library"
            var judgments: Int
            var segments: Int
            var indexBytes: Int
            var indexBytesPerJudgment: Double
            var textBytesPerJudgment: Double
            var generateSeconds: Double
            var readSeconds: Double
            var termSeconds: Double
            var writeSeconds: Double
            var mergeSeconds: Double
            var segmentsMerged: Int
            /// Judgments per second through reading, term counting and segment writing (generation excluded).
            var buildPerSecond: Double
            /// Judgments per second through term counting and segment writing, from judgments already read (what a
            /// rebuild from the store does: the store keeps each judgment's reading).
            var indexPerSecond: Double
            var queries: Int
            var queryP50Milliseconds: Double
            var queryP99Milliseconds: Double
            var queryMaxMilliseconds: Double
            var processors: Int
            var command: String
        }

        func run() async throws {
            guard judgments > 0, queries > 0, batch > 0 else { throw ValidationError("--judgments、--queries 与 --batch 应为正数") }
            guard !queriesOnly || directory != nil else { throw ValidationError("--queries-only 需要 --directory") }
            let folder = directory.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("tianping-library-bench-\(UUID().uuidString)")
            defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
            var index = try JudgmentIndex(directory: folder)
            let generator = JudgmentTextGenerator(seed: seed)
            let clock = ContinuousClock()
            var generate = Duration.zero, read = Duration.zero, terms = Duration.zero, write = Duration.zero
            var textBytes = 0
            for start in stride(from: 0, to: queriesOnly ? 0 : judgments, by: batch) {
                let end = min(start + batch, judgments)
                var t = clock.now
                let batchJudgments = await concurrentMap(Array(start..<end)) { generator.judgment($0) }
                textBytes += batchJudgments.reduce(0) { $0 + $1.text.utf8.count }
                generate += clock.now - t
                t = clock.now
                let readings = await JudgmentReading.readAll(batchJudgments)
                read += clock.now - t
                t = clock.now
                let indexed = await concurrentMap(Array(zip(batchJudgments, readings))) { IndexedJudgment($0.0, reading: $0.1) }
                terms += clock.now - t
                t = clock.now
                try index.apply(adding: indexed, withdrawing: [], revision: end)
                write += clock.now - t
            }
            var mergeTime = Duration.zero
            var merged = 0
            if let mergeTo {
                guard mergeTo > 1 else { throw ValidationError("--merge-to 应大于 1") }
                let t = clock.now
                merged = try index.mergeIfNeeded(smallSegments: 2, maxDocuments: mergeTo)
                mergeTime = clock.now - t
            }
            // Queries: the facts of judgments of another seed, with the charges read from them.
            let other = JudgmentTextGenerator(seed: seed &+ 1)
            let asked = (0..<queries).map { other.judgment($0) }
            let readings = await JudgmentReading.readAll(asked)
            let snapshot = index.snapshot
            var latencies: [Double] = []
            for (judgment, reading) in zip(asked, readings) {
                let query = SimilarCaseQuery(text: JudgmentReading.section(reading.facts, of: judgment.text), charges: reading.charges)
                let t = clock.now
                _ = snapshot.search(query, limit: 30)
                latencies.append((clock.now - t).seconds * 1000)
            }
            latencies.sort()
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)] }
            let size = index.sizeOnDisk
            let built = queriesOnly ? 0 : judgments
            let output = Output(judgments: snapshot.liveCount, segments: snapshot.segments.count, indexBytes: size,
                indexBytesPerJudgment: Double(size) / Double(max(1, snapshot.liveCount)), textBytesPerJudgment: Double(textBytes) / Double(max(1, built)),
                generateSeconds: generate.seconds, readSeconds: read.seconds, termSeconds: terms.seconds, writeSeconds: write.seconds,
                mergeSeconds: mergeTime.seconds, segmentsMerged: merged,
                buildPerSecond: Double(built) / max(1e-9, (read + terms + write).seconds), indexPerSecond: Double(built) / max(1e-9, (terms + write).seconds),
                queries: queries, queryP50Milliseconds: percentile(0.5), queryP99Milliseconds: percentile(0.99), queryMaxMilliseconds: latencies.last ?? 0,
                processors: ProcessInfo.processInfo.activeProcessorCount, command: CommandLine.arguments.joined(separator: " "))
            print(try jsonString(output))
        }
    }
}
