import ArgumentParser
import Foundation
import TianpingAnalysis
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingStore

/// Options shared by the commands that run the procedural risk engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Evaluate as of this moment (YYYY-MM-DD = end of that day, China time; or RFC 3339). Default: now.")
    var asOf: String?
    @Option(help: "A province configuration (JSON) adjusting rules within the national ranges.")
    var config: String?

    func moment() throws -> Timestamp { try Self.moment(asOf) }

    /// `YYYY-MM-DD` is the end of that day in China time; RFC 3339 is taken as it is; `nil` is now.
    static func moment(_ asOf: String?) throws -> Timestamp {
        guard let asOf else { return Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
        if let t = Timestamp(asOf) { return t }
        if let d = CalendarDate(asOf) { return d.lastInstantInChina }
        throw ValidationError("无法识别的时间：\(asOf)（应为 YYYY-MM-DD 或 RFC 3339）")
    }

    func engine() throws -> RuleEngine { try Self.engine(config: config) }

    /// Every engine the platform runs, the procedure pack configured by `--config`.
    func pipeline() throws -> AnalysisPipeline { try AnalysisPipeline.standard(procedure: engine()) }

    /// The bundled pack and calendar, with a province configuration applied when given.
    static func engine(config: String?) throws -> RuleEngine {
        var pack = try RulePack.bundled()
        var thresholds = ClockThresholds()
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else { throw ValidationError("找不到配置文件：\(config)") }
            let configuration = try ProvinceConfiguration(json: data)
            pack = try pack.applying(configuration)
            thresholds = configuration.clockThresholds ?? thresholds
        }
        return RuleEngine(pack: pack, calendar: try HolidayCalendar.bundled(), thresholds: thresholds)
    }
}

/// `tianping evaluate`: precision and recall of the engine against a generator's ground truth.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "以生成数据的植入违规（ground-truth.jsonl）评估程序风险引擎的精确率与召回率",
        discussion: """
            Reads the exchange files of DIR (written by `tianping generate`) directly, runs every rule and compares the
            violations found with ground-truth.jsonl, per planted class. Signals (risk leads) are counted apart.
            """)

    @Option(help: "Directory written by `tianping generate`.") var data: String
    @Option(help: "Ground truth file. Default: DIR/ground-truth.jsonl") var groundTruth: String?
    @OptionGroup var engineOptions: EngineOptions
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let pipeline = try engineOptions.pipeline()
        let asOf = try engineOptions.moment()
        let truthPath = groundTruth ?? data + "/ground-truth.jsonl"
        guard let truthData = FileManager.default.contents(atPath: truthPath) else {
            throw ValidationError("找不到 ground truth 文件：\(truthPath)")
        }
        let planted = try PlantedViolationRecord.read(jsonLines: truthData)
        // Generator output never splits a case across files.
        let loaded = try ExchangeFiles.loadParallel(input: data, wholeCasesPerFile: true)
        let evaluations = await pipeline.evaluate(loaded.timelines, asOf: asOf)
        let score = GroundTruthScore(planted: planted, findings: evaluations.flatMap(\.findings), cases: loaded.timelines.count)
        switch format {
        case .json: print(try jsonString(score))
        case .text: print(score.table())
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `tianping analyze`: run the procedural risk engine over every case and print a summary.
struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "程序性风险分析：对全部案件运行规则包，输出按规则、责任单位、严重程度的汇总",
        discussion: """
            With --data DIR, reads exchange files directly and stores nothing. Otherwise reads the database, stores the
            findings (new ones opened, cured ones resolved, history kept) and the running clocks.
            """)

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Read exchange files from this directory instead of the database (nothing is stored).") var data: String?
    @OptionGroup var engineOptions: EngineOptions
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text
    @Option(help: "Also print up to N findings with their explanations.") var list = 0
    @Option(help: "Only list findings of this rule.") var rule: String?

    func run() async throws {
        let pipeline = try engineOptions.pipeline()
        let asOf = try engineOptions.moment()
        var summary = FindingSummary()
        if let data {
            let loaded = try ExchangeFiles.loadParallel(input: data)
            var listed = 0
            for e in await pipeline.evaluate(loaded.timelines, asOf: asOf) {
                summary.add(e)
                for f in e.findings where listed < list && (rule == nil || f.ruleID == rule) {
                    listed += 1
                    print("[\(f.ruleID)] \(f.caseID) \(f.agency ?? "") \(f.explanation)")
                }
            }
            switch format {
            case .json: print(try jsonString(FileAnalysis(summary: summary, records: loaded.records, rejected: loaded.rejected)))
            case .text:
                print(summary.table(catalogue: pipeline.catalogue))
                print(Self.rejectionReport(loaded.rejected, records: loaded.records))
                // Each unusable line, on standard error so the summary stays readable: file, line, code, reason.
                for r in loaded.rejected.prefix(Self.rejectedLinesShown) {
                    printError("\(r.file):\(r.line): [\(r.code.rawValue)] \(r.message)")
                }
                if loaded.rejected.count > Self.rejectedLinesShown {
                    printError("……另有 \(loaded.rejected.count - Self.rejectedLinesShown) 条未列出（--format json 列出全部）")
                }
            }
            return
        } else {
            let store = try await TianpingStore.open(StoreLocation(argument: db.location), readConnections: 1)
            let outcome: AnalysisOutcome
            do {
                // A progress bar only for the text report: JSON output is read by programs.
                let bar = format == .text ? ProgressBar(label: "分析", total: try await store.caseCount()) : nil
                outcome = try await pipeline.run(store: store, asOf: asOf) { done, _ in bar?.update(done, unit: "件") }
                bar?.finish()
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            switch format {
            case .json: print(try jsonString(outcome))
            case .text:
                print(outcome.summary.table(catalogue: pipeline.catalogue))
                let s = outcome.sync
                print("入库：新增 \(s.opened)，更新 \(s.updated)，自动销号 \(s.resolved)，重新打开 \(s.reopened)，未变 \(s.unchanged)；运行中期限 \(s.clocks)")
                print(String(format: "用时：读取 %.1f 秒，分析 %.1f 秒，写入 %.1f 秒", outcome.loadSeconds, outcome.analysisSeconds, outcome.storeSeconds))
            }
        }
    }

    static let rejectedLinesShown = 200

    /// `--data --format json`: the findings' summary and every line that could not be used.
    struct FileAnalysis: Encodable {
        var summary: FindingSummary
        var records: Int
        var rejectedCount: Int
        var rejected: [ExchangeFiles.RejectedLine]

        init(summary: FindingSummary, records: Int, rejected: [ExchangeFiles.RejectedLine]) {
            self.summary = summary
            self.records = records
            self.rejectedCount = rejected.count
            self.rejected = rejected
        }
    }

    /// The summary line of unusable records, with a count per code, in the quarantine's words.
    static func rejectionReport(_ rejected: [ExchangeFiles.RejectedLine], records: Int) -> String {
        var text = "读取记录 \(records) 条；未能使用 \(rejected.count) 条（未分析，代码与入库隔离区相同）"
        let counts = Dictionary(grouping: rejected, by: \.code).mapValues(\.count).sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }
        for (code, count) in counts { text += "\n  \(code.rawValue) \(code.title)：\(count) 条" }
        return text
    }
}
