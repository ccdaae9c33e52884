import ArgumentParser
import Foundation
import TianpingCore
import TianpingRetrieval
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingText

/// Loads the bundled national graph, or a province's own file.
enum SentencingGraphOption {
    static func load(_ path: String?) throws -> SentencingGraph {
        guard let path else { return try SentencingGraph.bundled() }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("找不到量刑知识图谱文件：\(path)") }
        return try SentencingGraph.load(data)
    }
}

/// `tianping sentence`: the expected range of one crime, with every step and the rule it rests on.
struct Sentence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "量刑测算：依量刑知识图谱逐步计算量刑起点、基准刑、情节调节和拟宣告刑区间，并可测量实际刑期的偏离",
        discussion: """
            Example: tianping sentence --crime 盗窃罪 --amount 52000 --circumstances 自首,退赃退赔
                     tianping sentence --crime 故意伤害罪 --injury serious --circumstances 认罪认罚,赔偿,谅解 --actual 20 --format json
                     tianping sentence --list
            A circumstance may carry its ratio: 自首=-0.3. The result is a range and its centre, never "the" sentence.
            """)

    @Option(help: "The charge (盗窃罪, 盗窃, …).") var crime: String?
    @Option(help: "Crime amount in yuan.") var amount: Double?
    @Option(help: "Drug quantity in grams.") var drugGrams: Double?
    @Option(help: "Drug (海洛因, 甲基苯丙胺, 鸦片).") var drug: String?
    @Option(help: "Injury outcome: minor, serious or death.") var injury: Injury?
    @Option(help: "Blood alcohol in mg/100 ml (危险驾驶).") var bloodAlcohol: Double?
    @Option(help: "Phrases from the facts that select a band, comma-separated (逃逸, 入户抢劫, 数额巨大).") var cues: String?
    @Option(help: "Circumstances, comma-separated (自首,坦白,认罪认罚,退赃退赔,赔偿,谅解,累犯 …); name=ratio to give a ratio.")
    var circumstances: String?
    @Option(help: "Decision date (YYYY-MM-DD): the rules in force then apply.") var decided: String?
    @Option(help: "An actual term in months, to measure its deviation.") var actual: Double?
    @Option(help: "A province's sentencing graph (JSON); default: the bundled national graph.") var rules: String?
    @Option(help: "Output format: text or json.") var format = "text"
    @Flag(help: "List the crimes and circumstances in the graph.") var list = false
    @Option(help: "The case's facts: the sentences of the most similar judgments in the library are shown beside the range.")
    var factsText: String?
    @Option(help: "A UTF-8 file with the case's facts (as --facts-text).") var factsFile: String?
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var index: JudgmentsCommand.IndexOptions

    func run() async throws {
        let graph = try SentencingGraphOption.load(rules)
        if list {
            for c in graph.crimes { print("\(c.name)\t刑法第\(c.article)条\t\(c.statutoryOnly == true ? "仅法定刑" : "量刑指导意见")\t\(c.grade.rawValue)级") }
            print("")
            for c in graph.circumstances {
                print("\(c.id)\t\(c.name)\t\(c.min.map { "\(Int($0 * 100))%" } ?? "—")…\(c.max.map { "\(Int($0 * 100))%" } ?? "—")\t\(c.grade.rawValue)级")
            }
            return
        }
        guard let crime else { throw ValidationError("请用 --crime 指定罪名（--list 查看已收录罪名）") }
        var decidedOn: CalendarDate?
        if let decided {
            guard let d = CalendarDate(decided) else { throw ValidationError("--decided 应为 YYYY-MM-DD：\(decided)") }
            decidedOn = d
        }
        let split: (String?) -> [String] = { $0?.split(whereSeparator: { ",，、".contains($0) }).map { String($0).trimmingCharacters(in: .whitespaces) } ?? [] }
        let input = SentencingInput(crime: crime,
            facts: SentencingFacts(amountYuan: amount, drugGrams: drugGrams, drug: drug, injury: injury, bloodAlcohol: bloodAlcohol, cues: split(cues)),
            circumstances: split(circumstances), decidedOn: decidedOn)
        let calculator = SentencingCalculator(graph: graph)
        let estimate = try calculator.estimate(input)
        let deviation = actual.map { calculator.deviation(of: $0, from: estimate) }
        let caseFacts = try factsFile.map { String(decoding: try readFile($0), as: UTF8.self) } ?? factsText
        var comparison: (comparables: ComparableSentences, combined: CombinedEstimate?)?
        if let caseFacts {
            guard !caseFacts.allSatisfy(\.isWhitespace) else { throw ValidationError("案情文本为空") }
            guard caseFacts.utf8.count <= SimilarCaseSearch.maximumQueryBytes else {
                throw ValidationError("案情文本过长（\(caseFacts.utf8.count) 字节，最多 \(SimilarCaseSearch.maximumQueryBytes) 字节）：请只给出事实部分")
            }
            comparison = try await withStore(db) { store in
                var library = try JudgmentIndex(directory: index.url(for: db))
                try await LibraryIndexer.catchUp(store, index: &library)
                let similar = try await store.similarJudgments(ComparableSentencing.query(facts: caseFacts, charges: [estimate.crime]),
                                                               in: library.snapshot, limit: ComparableSentencing.searched)
                return ComparableSentencing(calculator: calculator).compare(estimate, facts: caseFacts, similar: similar)
            }
        }
        if format == "json" {
            struct Output: Encodable {
                var input: SentencingInput
                var estimate: SentencingEstimate
                var deviation: Deviation?
                var comparables: ComparableSentences?
                var combined: CombinedEstimate?
            }
            print(try jsonString(Output(input: input, estimate: estimate, deviation: deviation, comparables: comparison?.comparables,
                                        combined: comparison?.combined)))
            return
        }
        print(SentencingReport.text(estimate, deviation: deviation))
        if let comparison {
            print("")
            print("类案对照：" + comparison.comparables.summary)
            if let combined = comparison.combined { print("结合类案的中心：\(combined.outcome.chineseDescription)（\(combined.explanation)）") }
            for c in comparison.comparables.comparables {
                print("  \(c.rank). [\(c.id)] " + [c.court, c.caseNumber].compactMap { $0 }.joined(separator: " ") + "  \(c.outcome.chineseDescription)")
            }
        }
    }
}

extension Injury: ExpressibleByArgument {}

/// `tianping evaluate-sentencing`: the calculator on real cases (a benchmark, not a test).
struct EvaluateSentencing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-sentencing",
        abstract: "以真实案件评估量刑测算：实际刑期落入拟宣告刑区间的比例，以及区间中心的 CAIL2018 刑期得分（分罪名与总体）",
        discussion: """
            Example: tianping evaluate-sentencing ../shared/data/cail2018/cail2018_dev.jsonl --format json
                     tianping evaluate-sentencing ../shared/data/cail2018/cail2018_dev.jsonl --library ../shared/data/cail2018/cail2018_dev.jsonl
            With --library, each case is also given the sentences of its most similar judgments of the same charges (and
            band) in the library, the case itself and any judgment with the same facts left out, and three centres are
            scored: the guideline's, the comparables' median, and the two combined by the fixed rule of docs/retrieval.md.
            """)

    @Argument(help: "CAIL2018 cases (JSON Lines: fact, meta.accusation, meta.term_of_imprisonment).") var file: String
    @Option(help: "A province's sentencing graph (JSON); default: the bundled national graph.") var rules: String?
    @Option(help: "Output format: text or json.") var format = "text"
    @Option(help: "Also write every case's prediction to this JSON Lines file.") var cases: String?
    @Option(help: "Assumption: where in the starting range the centre starts (0–1), to measure its effect.") var startPosition = 0.25
    @Option(help: "Assumption: share of the band's remaining room added at the next amount threshold (0–1).") var addShare = 0.5
    @Option(parsing: .upToNextOption, help: "A library of judgments (JSON Lines in any import form; several files allowed) to compare sentences with.")
    var library: [String] = []

    func run() async throws {
        let records = try decodeJSONLines(CAILCase.self, path: file)
        guard (0...1).contains(startPosition), (0...1).contains(addShare) else { throw ValidationError("--start-position 与 --add-share 应在 0 到 1 之间") }
        if !library.isEmpty {
            try await runWithLibrary(records)
            return
        }
        let evaluation = SentencingEvaluation(graph: try SentencingGraphOption.load(rules),
            weights: SentencingCalculator.Weights(startPosition: startPosition, addPenaltyShare: addShare))
        let (report, results) = evaluation.report(records)
        if let cases {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let lines = try results.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: cases, atomically: true, encoding: .utf8)
        }
        if format == "json" {
            print(try jsonString(report))
            return
        }
        func row(_ name: String, _ t: SentencingEvaluation.Tally) -> String {
            "\(name)\t\(t.cases)\t\(t.covered)\t\(String(format: "%.3f", t.score))\t\(String(format: "%.3f", t.coveredScore))\t\(String(format: "%.3f", t.inRangeShare))\t\(String(format: "%.2f", t.typicalWidth))\t\(t.deathOrLife)"
        }
        print("罪名\t案件\t可测算\t得分(全部)\t得分(可测算)\t落入区间\t区间宽度(上/下)\t死刑/无期")
        for (name, t) in report.byCharge.sorted(by: { $0.value.cases > $1.value.cases }) { print(row(name, t)) }
        print(row("指导意见23罪", report.guidelineCrimes))
        print(row("总体", report.overall))
    }

    /// Scores the three centres with comparables from `library`, each case left out of its own search.
    func runWithLibrary(_ records: [CAILCase]) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let judgments = try readLibraryFiles(library)
        let lib = try await InMemoryLibrary.build(judgments)
        let sameFacts = Dictionary(grouping: judgments, by: \.text).mapValues { $0.map(\.id) }
        let evaluation = LibrarySentencingEvaluation(graph: try SentencingGraphOption.load(rules),
            weights: SentencingCalculator.Weights(startPosition: startPosition, addPenaltyShare: addShare))
        let results = await concurrentMap(records) { c in
            let own = "cail2018:" + c.id.replacingOccurrences(of: "cail2018-", with: "")
            let query = SimilarCaseQuery(text: c.fact, charges: c.meta.accusation, filters: SearchFilters(charges: c.meta.accusation),
                                         excluded: Set(sameFacts[c.fact] ?? []).union([own, c.id]))
            return evaluation.evaluate(c, similar: lib.similar(query, limit: ComparableSentencing.searched))
        }
        let report = evaluation.report(results)
        if let cases {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let lines = try results.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: cases, atomically: true, encoding: .utf8)
        }
        struct Output: Encodable {
            var benchmark = "sentencing-with-library"
            var cases: Int
            var library: Int
            var seconds: Double
            var report: LibrarySentencingEvaluation.Report
        }
        if format == "json" {
            print(try jsonString(Output(cases: records.count, library: lib.items.count, seconds: (clock.now - start).seconds, report: report)))
            return
        }
        func row(_ name: String, _ t: LibrarySentencingEvaluation.Tally) -> String {
            "\(name)\t\(t.cases)\t\(t.predicted)\t\(String(format: "%.3f", t.score))"
        }
        print("\(records.count) 件案件，类案库 \(lib.items.count) 份文书（每件案件检索时排除自身及事实相同的文书）")
        print("中心\t案件\t有中心\t得分")
        print(row("量刑指导意见", report.guideline))
        print(row("可比判决中位数", report.comparables))
        print(row("两者结合", report.combined))
        print("")
        print("实际结果\t案件\t有中心\t两者结合得分")
        for (name, t) in report.combinedByOutcome.sorted(by: { $0.key < $1.key }) { print(row(name, t)) }
        print("可比范围：" + report.scopes.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: "，")
              + String(format: "；可比判决数中位数 %.0f", report.medianComparables))
    }
}
