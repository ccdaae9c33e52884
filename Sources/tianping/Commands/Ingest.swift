import ArgumentParser
import Foundation
import TianpingAnalysis
import TianpingCore
import TianpingIngest
import TianpingLedger
import TianpingRules
import TianpingStore

/// `tianping ingest`: validate and load exchange-format files; bad lines go to quarantine.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "导入数据交换格式文件（JSON Lines）；错误行进入隔离区，可重复执行",
        discussion: """
            INPUT is a .jsonl file, a directory, or - for standard input. For a directory, the files listed in its
            manifest.json are read in that order; without a manifest, every *.jsonl except ground-truth.jsonl, by name.
            Ingesting the same data again changes nothing. Exit status 0 even when lines were quarantined;
            see `tianping quarantine list`.
            """)

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var key: LedgerKeyOptions
    @Argument(help: "File, directory, or - for standard input.") var input: String
    @Option(help: "Lines per transaction.") var batchSize: Int = 10_000
    @Option(help: "Longest accepted line in bytes.") var maxLineBytes: Int = 16 << 20
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "Do not re-evaluate the changed cases afterwards (run `tianping analyze` later).") var noAnalyze = false

    func run() async throws {
        let store = try await TianpingStore.open(StoreLocation(argument: db.location), readConnections: 1)
        do {
            let summary = try await Self.ingest(input: input, store: store, batchSize: batchSize,
                maxLineBytes: maxLineBytes, showProgress: true)
            if json {
                print(try jsonString(summary))
            } else {
                print(summary.table())
                if summary.changedNothing {
                    print("数据已全部存在，本次导入未作任何改动。")
                }
                let q = summary.total(.quarantined)
                if q > 0 { print("\(q) 行进入隔离区，查看：tianping quarantine list") }
            }
            // Every accepted record is already a leaf of the dossier log; a signed checkpoint now covers them.
            let checkpoint = try await DossierLog(store: store)
                .checkpoint(signer: try await key.signer(database: db.location, store: store), now: Timestamp.now().secondsSinceEpoch)
            if !json { print("存证日志：\(checkpoint.checkpoint.size) 个叶子，已签署检查点") }
            if !noAnalyze {
                // Incremental: only the cases this ingest touched were queued (in the same transactions).
                let outcome = try await AnalysisPipeline.standard().processQueue(store: store, asOf: Timestamp.now())
                let s = outcome.sync
                if !json, s.cases > 0 {
                    print("风险分析：重新评估 \(s.cases) 件案件；新增 \(s.opened) 条，更新 \(s.updated) 条，自动销号 \(s.resolved) 条，重新打开 \(s.reopened) 条")
                }
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The files to read for an input argument, in order.
    static func files(for input: String) throws -> [String] {
        if input == "-" { return ["-"] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw ValidationError("找不到输入：\(input)")
        }
        guard isDirectory.boolValue else { return [input] }
        let directory = URL(fileURLWithPath: input)
        let manifestURL = directory.appendingPathComponent("manifest.json")
        if let data = try? Data(contentsOf: manifestURL),
            let manifest = try? JSONDecoder().decode(DirectoryManifest.self, from: data)
        {
            return manifest.files.map { directory.appendingPathComponent($0).path }
        }
        return try FileManager.default.contentsOfDirectory(atPath: input)
            .filter { $0.hasSuffix(".jsonl") && $0 != "ground-truth.jsonl" }.sorted()
            .map { directory.appendingPathComponent($0).path }
    }

    struct DirectoryManifest: Decodable {
        var files: [String]
    }

    /// Ingests every file of an input into a store, with a progress bar on a terminal.
    static func ingest(input: String, store: TianpingStore, batchSize: Int = 10_000, maxLineBytes: Int = 16 << 20,
        showProgress: Bool) async throws -> IngestSummary
    {
        let paths = try files(for: input)
        let totalBytes = paths.reduce(0) { sum, path in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        let ingestor = Ingestor(store: store, options: IngestOptions(now: now, batchSize: batchSize, maxLineBytes: maxLineBytes))
        let bar = ProgressBar(label: "导入", total: input == "-" ? nil : totalBytes / 1_048_576)
        var summary = IngestSummary()
        var doneBytes = 0
        for path in paths {
            let started = Date()
            let reader = path == "-"
                ? LineReader(fileDescriptor: FileHandle.standardInput.fileDescriptor, maxLineBytes: maxLineBytes)
                : try LineReader(path: path, maxLineBytes: maxLineBytes)
            let base = doneBytes
            let part = try await ingestor.ingest(reader, sourceName: path) { progress in
                if showProgress { bar.update((base + progress.bytes) / 1_048_576, unit: "MB") }
            }
            doneBytes += part.bytes
            try await store.recordIngestRun(sourceName: path, startedAt: started, summary: part)
            summary.merge(part)
        }
        if showProgress { bar.finish() }
        return summary
    }
}
