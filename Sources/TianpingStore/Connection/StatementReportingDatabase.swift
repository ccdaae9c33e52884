import Logging
import NIOCore
import PostgresKit
import SQLKit

/// A connection whose failures name their statement: the driver's error alone ("UNIQUE constraint failed",
/// "syntax error") does not say which of the store's hundreds of queries failed, or for which row.
/// Serialises the statement only when it has failed, so the success path costs nothing.
struct StatementReportingDatabase: WrappingDatabase {
    let base: any SQLDatabase
    /// Whether failures may show the statement's arguments (see ``StatementFailure``).
    let publicArguments: Bool

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let failure = { @Sendable (error: any Error) in self.failure(error, query) }
        return base.execute(sql: query, onRow).flatMapErrorThrowing { throw failure($0) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        do {
            try await base.execute(sql: query, onRow)
        } catch {
            throw failure(error, query)
        }
    }

    /// The driver's message. PostgresNIO describes its errors with a fixed placeholder (so that values never leak
    /// by accident): its SQLSTATE and the server's message are taken here; the server's detail, which can quote a
    /// row's values (`Key (id)=(…) already exists`), only when arguments are public.
    static func driverMessage(_ error: any Error, publicArguments: Bool) -> String {
        guard let pg = error as? PSQLError else { return String(describing: error) }
        var parts: [String] = []
        if let state = pg.serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
        if let message = pg.serverInfo?[.message] { parts.append(message) }
        if publicArguments, let detail = pg.serverInfo?[.detail] { parts.append(detail) }
        return parts.isEmpty ? "PostgreSQL: \(pg.code)" : parts.joined(separator: "：")
    }

    private func failure(_ error: any Error, _ query: any SQLExpression) -> any Error {
        // Already described by a nested wrapper, or not the database's (a cancelled task).
        if error is StoreError || error is CancellationError { return error }
        var serializer = SQLSerializer(database: base)
        query.serialize(to: &serializer)
        let arguments = publicArguments ? serializer.binds.map { String(String(describing: $0).prefix(80)) } : []
        return StoreError.statement(StatementFailure(
            message: Self.driverMessage(error, publicArguments: publicArguments), sql: serializer.sql, arguments: arguments,
            argumentCount: serializer.binds.count, underlying: error))
    }
}

/// A connection that wraps another and changes only how statements run: everything else is the base's.
protocol WrappingDatabase: SQLDatabase {
    var base: any SQLDatabase { get }
}

extension WrappingDatabase {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }
}
