import ArgumentParser
import Foundation
import TianpingRetrieval

/// `tianping evaluate-retrieval`: the similar-case ranking scored on a labelled benchmark (LeCaRD's form), with the
/// random floor, each part of the method on its own, and the speed of indexing and of queries. A benchmark, not a test.
struct EvaluateRetrieval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-retrieval",
        abstract: "以带相关性标注的类案检索评测集（LeCaRD 格式）评估类案检索：NDCG@10/20/30、随机排序下限、方法各部分的贡献、建索引和查询速度",
        discussion: """
            Example: tianping evaluate-retrieval --queries ../shared/data/lecard/queries_dev.jsonl \\
                       --labels ../shared/data/lecard/labels_dev.json --pools ../shared/data/lecard/pools_dev.json \\
                       --docs ../shared/data/lecard/docs_dev-0*.jsonl --format json
            Every judgment of --docs goes into one in-memory index (the library); each query's pool is ranked in it.
            A query's charges are its `crime` field (the charges of the case searched for, as the platform knows them).
            """)

    @Option(help: "Queries (JSON Lines: ridx, q, crime).") var queries: String
    @Option(help: "Relevance labels (JSON: {query: {document: grade}}).") var labels: String
    @Option(help: "Candidate pools (JSON: {query: [document]}).") var pools: String
    @Option(parsing: .upToNextOption, help: "Judgments (JSON Lines in any import form; several files allowed).") var docs: [String]
    @Option(help: "Output format: text or json.") var format = "text"

    struct LeCaRDQuery: Decodable {
        var ridx: Int
        var q: String
        var crime: [String]?
    }

    struct Part: Encodable {
        var name: String
        var description: String
        var score: RetrievalEvaluation.Score
    }

    struct Output: Encodable {
        var benchmark = "retrieval"
        var documents: Int
        var queries: Int
        var method: RetrievalEvaluation.Score
        var randomFloor: RetrievalEvaluation.Score
        var parts: [Part]
        var readSeconds: Double
        var indexSeconds: Double
        var judgmentsPerSecond: Double
        var indexBytesPerJudgment: Double
        var poolQueriesPerSecond: Double
        var libraryQueriesPerSecond: Double
        var processors: Int
    }

    func run() async throws {
        let queryList = try decodeJSONLines(LeCaRDQuery.self, path: queries).map {
            RetrievalEvaluation.Query(id: String($0.ridx), text: $0.q, charges: $0.crime ?? [])
        }
        let labelTable = try JSONDecoder().decode([String: [String: Int]].self, from: readFile(labels))
        let poolTable = try JSONDecoder().decode([String: [String]].self, from: readFile(pools))
        let judgments = try readLibraryFiles(docs)
        guard !judgments.isEmpty else { throw CLIError("--docs 中没有文书") }
        let clock = ContinuousClock()
        let readStart = clock.now
        let readings = await IndexedJudgment.prepare(judgments).map(\.indexed)
        let readTime = clock.now - readStart
        var segment: IndexSegment?
        var bytes = 0
        let indexTime = try clock.measure {
            var writer = SegmentWriter()
            readings.forEach { writer.add($0) }
            let data = try writer.encoded()
            bytes = data.count
            segment = try IndexSegment(data: data)
        }
        let snapshot = IndexSnapshot(segments: [segment!])
        // Pools name LeCaRD's document ids; the library prefixes them with their source.
        let prefix = judgments.first.map { $0.id.split(separator: ":").first.map { "\($0):" } ?? "" } ?? ""
        let idOf: (String) -> String = { prefix + $0 }
        let variants: [(String, String, RankingOptions)] = [
            ("bm25-whole", "BM25，全文一个字段（字二元组，查询词去重）", RankingOptions(chargesFirst: false, text: .wholeText, commonTermShare: 1)),
            ("bm25f-fields", "BM25F，法院查明事实与其余部分两个字段", RankingOptions(chargesFirst: false, text: .fields(facts: 1, other: 1), commonTermShare: 1)),
            ("charges-only", "只按罪名：判决认定了查询案件罪名的比例", RankingOptions(chargesFirst: true, text: .none)),
            ("charges-then-bm25", "先罪名，再全文 BM25", RankingOptions(chargesFirst: true, text: .wholeText, commonTermShare: 1)),
            ("charges-then-bm25f-all-terms", "先罪名，再 BM25F，常见词（超过半数文书含有）也计分", RankingOptions(commonTermShare: 1)),
            ("charges-then-bm25f", "先罪名，再 BM25F，不计常见词（默认方法）", RankingOptions()),
        ]
        let parts = variants.map { name, description, options in
            Part(name: name, description: description,
                 score: RetrievalEvaluation.score(RetrievalEvaluation.rankings(queryList, pools: poolTable, snapshot: snapshot, options: options, idOf: idOf),
                    labels: labelTable))
        }
        let method = RetrievalEvaluation.score(
            RetrievalEvaluation.rankings(queryList, pools: poolTable, snapshot: snapshot, options: RankingOptions(), idOf: idOf), labels: labelTable)
        let floor = RetrievalEvaluation.randomFloor(queryList, pools: poolTable, labels: labelTable)
        let poolRate = Self.rate(clock) {
            _ = RetrievalEvaluation.rankings(queryList, pools: poolTable, snapshot: snapshot, options: RankingOptions(), idOf: idOf)
        } * Double(queryList.count)
        let libraryRate = Self.rate(clock) {
            for query in queryList { _ = snapshot.search(SimilarCaseQuery(text: query.text, charges: query.charges), limit: 30) }
        } * Double(queryList.count)
        let output = Output(documents: judgments.count, queries: queryList.count, method: method, randomFloor: floor, parts: parts,
            readSeconds: readTime.seconds, indexSeconds: indexTime.seconds, judgmentsPerSecond: Double(judgments.count) / (readTime + indexTime).seconds,
            indexBytesPerJudgment: Double(bytes) / Double(judgments.count), poolQueriesPerSecond: poolRate, libraryQueriesPerSecond: libraryRate,
            processors: ProcessInfo.processInfo.activeProcessorCount)
        if format == "json" {
            print(try jsonString(output))
        } else {
            func row(_ name: String, _ s: RetrievalEvaluation.Score) -> String {
                name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%.4f   %.4f   %.4f", s.ndcg10, s.ndcg20, s.ndcg30)
            }
            print("\(judgments.count) 篇文书，\(queryList.count) 个查询")
            print("方法".padding(toLength: 28, withPad: " ", startingAt: 0) + "NDCG@10  NDCG@20  NDCG@30")
            print(row("random", floor))
            parts.forEach { print(row($0.name, $0.score)) }
            print(String(format: "建索引 %.0f 篇/秒；查询 %.0f 次/秒（候选池内排序），%.0f 次/秒（全库前 30）", output.judgmentsPerSecond, poolRate, libraryRate))
        }
    }

    /// Runs of `body` per second, repeated for at least a second.
    static func rate(_ clock: ContinuousClock, _ body: () -> Void) -> Double {
        var runs = 0
        let start = clock.now
        repeat {
            body()
            runs += 1
        } while clock.now - start < .seconds(1)
        return Double(runs) / (clock.now - start).seconds
    }
}

/// Judgments of JSON Lines files in any import form; a line that is not a judgment stops with its file and line.
func readLibraryFiles(_ paths: [String]) throws -> [LibraryJudgment] {
    var judgments: [LibraryJudgment] = []
    for path in paths {
        for (n, line) in try readFile(path).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do { judgments.append(try JudgmentImport.judgment(fromLine: Data(line))) } catch {
                throw CLIError("\(path) 第 \(n + 1) 行：\(error)")
            }
        }
    }
    return judgments
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
