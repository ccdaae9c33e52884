import ArgumentParser
import Foundation
import TianpingText

/// `tianping extract`: the facts the rule-based reader finds in one judgment.
struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "从刑事判决书全文中抽取每名被告人的罪名、刑罚、刑期、缓刑、罚金和量刑情节，以及涉案金额（JSON）",
        discussion: "Example: tianping extract judgment.txt   (or - for standard input)")

    @Argument(help: "A UTF-8 text file with one judgment, or - for standard input.") var input: String

    func run() async throws {
        let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input))
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(input) 不是 UTF-8 文本") }
        print(try jsonString(JudgmentExtractor.extract(text)))
    }
}

/// `tianping evaluate-extraction`: the reader scored against hand-checked annotations (a benchmark, not a test).
struct EvaluateExtraction: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-extraction",
        abstract: "以人工核对的标注评估判决书抽取：各字段准确率，各量刑情节的精确率与召回率",
        discussion: """
            Example: tianping evaluate-extraction --gold ../shared/data/gold/judgments_dev.jsonl \\
                       --judgments ../shared/data/judge/judge_dev.jsonl
            The judgments file holds JuDGE records ({"text_id", "fd"}: the full document).
            """)

    @Option(help: "Gold annotations (JSON Lines).") var gold: String
    @Option(help: "Judgments with their full text (JSON Lines with text_id and fd).") var judgments: String
    @Option(help: "Output format: text or json.") var format = "text"

    struct Judgment: Decodable {
        var text_id: String
        var fd: String
    }

    func run() async throws {
        let goldRecords = try decodeJSONLines(GoldJudgment.self, path: gold)
        var texts: [String: String] = [:]
        for j in try decodeJSONLines(Judgment.self, path: judgments) { texts[j.text_id] = j.fd }
        let score = ExtractionScore(gold: goldRecords, texts: texts)
        if format == "json" {
            print(try jsonString(score))
        } else {
            print(score.table())
        }
    }
}
