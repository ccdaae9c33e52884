import ArgumentParser
import Foundation
import TianpingAnalysis
import TianpingRetrieval
import TianpingStore
import TianpingText

/// `tianping judgments`: the similar-case library (import, withdraw, show) and its index.
struct JudgmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judgments",
        abstract: "类案检索文书库：导入、撤回、查看裁判文书，更新检索索引",
        subcommands: [Import.self, Withdraw.self, Show.self])

    /// The index directory option the library commands share.
    struct IndexOptions: ParsableArguments {
        @Option(name: .customLong("index"), help: "Index directory. Default: the SQLite path + .library-index, else ./tianping-library-index")
        var directory: String?

        func url(for db: DatabaseOptions) -> URL {
            directory.map { URL(fileURLWithPath: $0) } ?? LibraryIndexer.defaultDirectory(for: StoreLocation(argument: db.location))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入裁判文书（JSON Lines：LeCaRD 文书、CAIL2018 事实与标签，或天平文书库格式），逐篇解读后入库并更新索引；不合格的行进入隔离区",
            discussion: "Example: tianping judgments import ../shared/data/lecard/docs_dev-00.jsonl   (docs/retrieval.md describes the forms)")

        @Argument(help: "JSON Lines files (- for standard input).") var files: [String]
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var index: IndexOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withStore(db) { store in
                var total = LibraryImportSummary()
                for file in files {
                    let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try readFile(file)
                    var lines: [(number: Int, bytes: Data)] = []
                    var number = 0
                    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                        number += 1
                        let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
                        if trimmed.allSatisfy({ $0 == UInt8(ascii: " ") }) { continue }
                        lines.append((number, Data(trimmed)))
                        if lines.count == 2_000 {
                            total.add(try await store.importJudgments(lines, sourceName: file))
                            lines.removeAll(keepingCapacity: true)
                        }
                    }
                    if !lines.isEmpty { total.add(try await store.importJudgments(lines, sourceName: file)) }
                }
                var library = try JudgmentIndex(directory: index.url(for: db))
                let applied = try await LibraryIndexer.catchUp(store, index: &library)
                if json { return print(try jsonString(total)) }
                print("读取 \(total.lines) 行：新增 \(total.added) 篇，更正 \(total.corrected) 篇，未变 \(total.unchanged) 篇，旧版本忽略 \(total.older) 篇，隔离 \(total.quarantined) 行")
                print("索引已更新 \(applied) 处变更，现有 \(library.snapshot.liveCount) 篇（\(library.directory.path)）")
                if total.quarantined > 0 { print("隔离的行请用 tianping quarantine list 查看原因") }
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "从文书库撤回裁判文书（如撤销公开），检索中不再出现")
        @Argument(help: "Judgment ids (e.g. lecard:13).") var ids: [String]
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var index: IndexOptions

        func run() async throws {
            try await withStore(db) { store in
                let count = try await store.withdrawJudgments(ids)
                var library = try JudgmentIndex(directory: index.url(for: db))
                try await LibraryIndexer.catchUp(store, index: &library)
                print("已撤回 \(count) 篇（未找到或已撤回的 \(ids.count - count) 篇）")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示文书库中一篇裁判文书的解读结果（JSON）")
        @Argument(help: "Judgment id (e.g. lecard:13).") var id: String
        @OptionGroup var db: DatabaseOptions

        struct Output: Encodable {
            var id: String
            var version: Int
            var source: String
            var title: String?
            var withdrawn: Bool
            var reading: JudgmentReading
        }

        func run() async throws {
            try await withStore(db) { store in
                guard let found = try await store.libraryJudgment(id: id) else { throw CLIError("文书库中没有 \(id)") }
                print(try jsonString(Output(id: id, version: found.judgment.version, source: found.judgment.source, title: found.judgment.title,
                    withdrawn: found.withdrawn, reading: found.reading)))
            }
        }
    }
}

extension LibraryImportSummary {
    mutating func add(_ other: LibraryImportSummary) {
        lines += other.lines
        added += other.added
        corrected += other.corrected
        unchanged += other.unchanged
        older += other.older
        quarantined += other.quarantined
    }
}

/// `tianping search`: similar judgments for a case's facts, each with why it was retrieved and what it decided.
struct SimilarCaseSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "类案检索：按案情（事实文本）和罪名在文书库中查找相似裁判文书，列出共同罪名、法条、情节、匹配段落和判决结果",
        discussion: """
            Example: tianping search --charge 盗窃罪 "被告人深夜撬开车库门盗窃电动车一辆，价值三千余元。"
                     tianping search --file facts.txt --charge 诈骗罪 --court-level basic --from-year 2018 --format json
            """)

    @Argument(help: "The facts to search with (or use --file).") var text: String?
    @Option(help: "A UTF-8 text file with the facts.") var file: String?
    @Option(name: .customLong("charge"), help: "A charge of the case (repeat for several). Judgments deciding more of them rank first.")
    var charges: [String] = []
    @Option(name: .customLong("only-charge"), help: "Keep only judgments deciding this charge (repeat for any of several).")
    var onlyCharges: [String] = []
    @Option(help: "Court level (repeat for several).") var courtLevel: [CourtLevel] = []
    @Option(help: "Province as courts write it, e.g. 安徽省 (repeat for several).") var province: [String] = []
    @Option(help: "Earliest year of the case number.") var fromYear: Int?
    @Option(help: "Latest year of the case number.") var toYear: Int?
    @Option(help: "How many judgments (1–100).") var limit = 10
    @Option(help: "Output format: text or json.") var format = "text"
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var index: JudgmentsCommand.IndexOptions

    static let maximumQueryBytes = 100_000

    func run() async throws {
        let facts = try file.map { String(decoding: try readFile($0), as: UTF8.self) } ?? text ?? ""
        guard !facts.allSatisfy(\.isWhitespace) else { throw ValidationError("请给出案情文本（参数或 --file）") }
        guard facts.utf8.count <= Self.maximumQueryBytes else {
            throw ValidationError("案情文本过长（\(facts.utf8.count) 字节，最多 \(Self.maximumQueryBytes) 字节）：请只给出事实部分")
        }
        guard (1...100).contains(limit) else { throw ValidationError("--limit 应在 1 到 100 之间") }
        if let fromYear, let toYear, fromYear > toYear { throw ValidationError("--from-year 不能晚于 --to-year") }
        let years: ClosedRange<Int>? = fromYear != nil || toYear != nil ? (fromYear ?? 0)...(toYear ?? 9999) : nil
        let query = SimilarCaseQuery(text: facts, charges: charges,
            filters: SearchFilters(charges: onlyCharges, courtLevels: Set(courtLevel), provinces: Set(province), years: years))
        try await withStore(db) { store in
            var library = try JudgmentIndex(directory: index.url(for: db))
            try await LibraryIndexer.catchUp(store, index: &library)
            guard library.snapshot.liveCount > 0 else { throw CLIError("文书库为空：请先用 tianping judgments import 导入裁判文书") }
            let hits = try await store.retrieve(query, in: library.snapshot, limit: limit)
            if format == "json" { return print(try jsonString(hits)) }
            if hits.isEmpty { return print("没有找到相似的裁判文书（文书库 \(library.snapshot.liveCount) 篇；筛选条件可能过严）") }
            for hit in hits {
                print("\(hit.rank). \(hit.title ?? hit.id)  [\(hit.id)]")
                print("   " + [hit.court, hit.caseNumber].compactMap { $0 }.joined(separator: " "))
                let e = hit.explanation
                let shared = e.sharedDescriptions
                if !shared.isEmpty { print("   共同 " + shared.joined(separator: "；")) }
                for sentence in e.sentences { print("   判决 " + sentence) }
                for passage in e.passages {
                    print("   · " + passage.fragments.map { $0.matched ? "【\($0.text)】" : $0.text }.joined())
                }
            }
        }
    }
}

extension CourtLevel: ExpressibleByArgument {}
