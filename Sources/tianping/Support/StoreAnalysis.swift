import Foundation
import TianpingCore
import TianpingRules

/// Full analysis of a database (filled in with the store's findings tables).
enum StoreAnalysis {
    static func run(database: String, engine: RuleEngine, asOf: Timestamp, showProgress: Bool) async throws -> FindingSummary {
        throw CLIError("数据库分析尚未实现")
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
