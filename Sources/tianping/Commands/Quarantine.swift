import ArgumentParser
import Foundation
import TianpingCore
import TianpingIngest
import TianpingStore

/// `tianping quarantine`: list, inspect, correct and replay rejected lines.
struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "查看、更正并重新导入隔离区中的数据",
        subcommands: [List.self, Show.self, Replay.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出隔离区条目（默认只列未处理的）")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Include resolved entries.") var all = false
        @Option(help: "At most this many entries.") var limit = 200
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withStore(db) { store in
                let entries = try await store.quarantineEntries(status: all ? nil : "open", limit: limit)
                if json { return print(try jsonString(entries)) }
                if entries.isEmpty { return print("隔离区为空。") }
                for e in entries {
                    let where_ = "\(e.entry.sourceName):\(e.entry.lineNumber)"
                    let state = e.status == "open" ? "待处理" : "已处理"
                    print("#\(e.id) [\(state)] \(e.entry.code.rawValue) \(e.entry.code.title) — \(where_)")
                    print("    \(e.entry.message)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示一个隔离条目的原文与原因")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Entry id.") var id: Int64

        func run() async throws {
            try await withStore(db) { store in
                guard let e = try await store.quarantineEntries(status: nil, ids: [id]).first else {
                    throw ValidationError("没有编号为 \(id) 的隔离条目")
                }
                print(try jsonString(e))
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "重新校验并导入隔离条目（在缺失数据到达或更正之后）",
            discussion: """
                Without ids, replays every open entry. With --corrected FILE and one id, the entry's line is first
                replaced by the first line of FILE (the corrected record), then replayed.
                """)
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Entry ids (default: all open entries).") var ids: [Int64] = []
        @Option(help: "A file whose first line is the corrected record for the single id given.") var corrected: String?

        func validate() throws {
            if corrected != nil, ids.count != 1 { throw ValidationError("--corrected 只能与一个条目编号一起使用") }
        }

        func run() async throws {
            try await withStore(db) { store in
                if let corrected, let id = ids.first {
                    let text = try String(contentsOfFile: corrected, encoding: .utf8)
                    guard let line = text.split(whereSeparator: \.isNewline).first else {
                        throw ValidationError("更正文件为空：\(corrected)")
                    }
                    try await store.correctQuarantineEntry(id: id, correctedLine: String(line))
                }
                let entries = try await store.quarantineEntries(status: "open", ids: ids.isEmpty ? nil : ids, limit: 1_000_000)
                let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
                let summary = try await Ingestor(store: store, options: IngestOptions(now: now))
                    .replay(entries.map { ($0.id, $0.entry) })
                print(summary.table())
                let resolved = summary.lines - summary.total(.quarantined)
                print("重新导入 \(entries.count) 条：\(resolved) 条已接收，\(summary.total(.quarantined)) 条仍在隔离区。")
            }
        }
    }
}

/// Opens the store, runs `body`, and closes the store whatever happens.
func withStore(_ db: DatabaseOptions, readConnections: Int = 0, _ body: (TianpingStore) async throws -> Void) async throws {
    let store = try await TianpingStore.open(StoreLocation(argument: db.location), readConnections: readConnections)
    do {
        try await body(store)
        try await store.close()
    } catch {
        try? await store.close()
        throw error
    }
}
