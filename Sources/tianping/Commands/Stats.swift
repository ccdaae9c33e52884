import ArgumentParser
import TianpingCore
import TianpingStore

/// `tianping stats`: what the store holds.
struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "显示数据库中的案件与数据统计")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print only a SHA-256 digest of all stored records, cases and quarantine (to compare two stores).")
    var checksum = false

    func run() async throws {
        try await withStore(db) { store in
            if checksum { return print(try await store.contentDigest()) }
            let s = try await store.statistics(includeRecordCounts: true)
            if json { return print(try jsonString(s)) }
            print("案件 \(s.cases) 件，机构 \(s.agencies) 个，历史版本 \(s.historicalVersions ?? 0) 条，待处理隔离 \(s.openQuarantineByCode.values.reduce(0, +)) 条")
            print("按类型：" + CaseType.allCases.map { "\($0.chineseName) \(s.casesByType[$0.rawValue] ?? 0)" }.joined(separator: "，"))
            print("按阶段：" + CaseStage.allCases.map { "\($0.chineseName) \(s.casesByStage[$0.rawValue] ?? 0)" }.joined(separator: "，"))
            print("按记录：" + RecordKind.allCases.map { "\($0.chineseName) \(s.recordsByKind?[$0.rawValue] ?? 0)" }.joined(separator: "，"))
            print("常见罪名：" + s.topCharges.prefix(10).map { "\($0.name) \($0.count)" }.joined(separator: "，"))
        }
    }
}
