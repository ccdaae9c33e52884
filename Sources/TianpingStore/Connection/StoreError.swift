/// Stored data that cannot be read back as written, a value the store refuses, or a statement the database failed.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case corrupt(String)
    /// A value the caller gave that the store refuses (the message says why, in Chinese).
    case invalid(String)
    /// The database refused or failed a statement; the failure names the statement, so a log line leads to the query.
    case statement(StatementFailure)

    public var description: String {
        switch self {
        case .corrupt(let what), .invalid(let what): return what
        case .statement(let failure): return failure.description
        }
    }
}

/// A statement the database failed, as GRDB's `DatabaseError` reports one: the driver's message, the SQL, and the
/// arguments — shown only when the store was opened with `publicStatementArguments`, because arguments carry
/// identity numbers, names and password hashes that must not reach a log by default.
public struct StatementFailure: Error, CustomStringConvertible, Sendable {
    /// The driver's own message (SQLite's or PostgreSQL's).
    public var message: String
    public var sql: String
    /// Each argument, described and cut to 80 characters; empty unless arguments are public.
    public var arguments: [String]
    public var argumentCount: Int
    /// The driver's error, for callers that need its code.
    public var underlying: any Error

    public var description: String {
        var text = "数据库语句执行失败：\(message)\n语句：\(sql)"
        if argumentCount > 0 {
            text += arguments.isEmpty
                ? "\n参数：\(argumentCount) 个（未显示；以 publicStatementArguments 打开存储可显示）"
                : "\n参数：[" + arguments.joined(separator: ", ") + "]"
        }
        return text
    }
}
