import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization
import TianpingCore

/// The platform's persistence: one implementation on sql-kit for SQLite and PostgreSQL.
///
/// ```swift
/// let store = try await TianpingStore.open(.sqlite(path: "tianping.sqlite"))
/// defer { Task { try await store.close() } }
/// let page = try await store.cases(CaseQuery(type: .criminal), page: 1, pageSize: 20)
/// ```
/// Call ``close()`` before the store is released: SQLiteNIO asserts on connections dropped unclosed.
public final class TianpingStore: Sendable {
    /// The connection that writes (and, for PostgreSQL or a single connection, reads).
    let writer: any SQLDatabase
    /// Connections used for reads, round-robin; SQLite in WAL mode lets them read while the writer writes.
    let readers: [any SQLDatabase]
    public let dialect: StoreDialect
    public let location: StoreLocation
    private let closers: [@Sendable () async throws -> Void]
    private let nextReader = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)
    let logger: Logger
    /// The platform's one clock, for the instants the store itself stamps (records received, migrations applied);
    /// tests pass a ``ManualClock`` as they do to the application and the jobs.
    public let clock: any PlatformClock
    /// The SQLite writer itself, for the one statement too hot for sql-kit's generic binding (record inserts).
    let sqliteWriter: SQLiteConnection?

    /// Held by a transaction on the writer; see ``GatedDatabase``.
    let writeGate = AsyncLock()
    /// Audit entries written together (see ``AuditGroupCommit``).
    let auditCommits = AuditGroupCommit()
    /// bcrypt runs against an account's hash and against the decoy (``passwordChecks``, ``decoyPasswordChecks``).
    let passwordCheckCount = Atomic<Int>(0)
    let decoyCheckCount = Atomic<Int>(0)

    private init(writer: any SQLDatabase, readers: [any SQLDatabase], dialect: StoreDialect, location: StoreLocation,
        closers: [@Sendable () async throws -> Void], logger: Logger, sqliteWriter: SQLiteConnection? = nil,
        publicStatementArguments: Bool, clock: any PlatformClock)
    {
        self.clock = clock
        func reporting(_ db: any SQLDatabase) -> any SQLDatabase {
            StatementReportingDatabase(base: db, publicArguments: publicStatementArguments)
        }
        let gated = GatedDatabase(base: reporting(writer), gate: writeGate)
        self.writer = gated
        self.sqliteWriter = sqliteWriter
        // PostgreSQL reads on the writer too, so its reads also wait for a running transaction (and never see one
        // half done).
        self.readers = readers.isEmpty ? [gated] : readers.map(reporting)
        self.dialect = dialect
        self.location = location
        self.closers = closers
        self.logger = logger
    }

    /// Opens (and migrates) a store.
    /// - Parameters:
    ///   - readConnections: extra SQLite connections for concurrent reads (the server uses a few).
    ///   - publicStatementArguments: whether a failed statement's error shows its arguments (off by default: they
    ///     carry personal data; turn on while debugging, as with GRDB's option of the same name).
    public static func open(_ location: StoreLocation, readConnections: Int = 0,
        logger: Logger = Logger(label: "tianping.store"), publicStatementArguments: Bool = false,
        clock: any PlatformClock = SystemClock()) async throws
        -> TianpingStore
    {
        let store: TianpingStore
        switch location {
        case .sqlite(let path):
            let writer = try await openSQLite(path: path, logger: logger)
            var readers: [SQLiteConnection] = []
            do {
                for _ in 0..<readConnections { readers.append(try await openSQLite(path: path, logger: logger)) }
            } catch {
                try? await writer.close()
                for r in readers { try? await r.close() }
                throw error
            }
            let all = [writer] + readers
            store = TianpingStore(
                writer: writer.sql(), readers: readers.map { $0.sql() }, dialect: .sqlite, location: location,
                closers: all.map { c in { try await c.close() } }, logger: logger, sqliteWriter: writer,
                publicStatementArguments: publicStatementArguments, clock: clock)
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(),
                configuration: configuration.coreConfiguration, id: 1, logger: logger)
            store = TianpingStore(
                writer: connection.sql(queryLogLevel: nil), readers: [], dialect: .postgres, location: location,
                closers: [{ try await connection.close() }], logger: logger,
                publicStatementArguments: publicStatementArguments, clock: clock)
        }
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    private static func openSQLite(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            // WAL lets readers proceed during writes; NORMAL sync is durable at each checkpoint and safe
            // against application crashes (kill -9) — only an OS crash can lose the last commits.
            _ = try await connection.query("PRAGMA journal_mode=WAL")
            _ = try await connection.query("PRAGMA synchronous=NORMAL")
            _ = try await connection.query("PRAGMA busy_timeout=30000")
            // 256 MiB of page cache and checkpoints every 40 MB of WAL: random inserts into the record index
            // are what bounds ingest on SQLite, and both cut the pages written twice.
            _ = try await connection.query("PRAGMA cache_size=-262144")
            _ = try await connection.query("PRAGMA wal_autocheckpoint=10000")
            _ = try await connection.query("PRAGMA temp_store=MEMORY")
        } catch {
            try? await connection.close()
            throw error
        }
        return connection
    }

    /// SQLite: fsync at every commit (`synchronous=FULL`), so that not even an operating-system crash loses a
    /// committed transaction. No-op on PostgreSQL, which is durable at commit by default.
    public func synchroniseEveryCommit() async throws {
        guard let sqliteWriter else { return }
        _ = try await sqliteWriter.query("PRAGMA synchronous=FULL")
    }

    /// Closes every connection. Safe to call more than once.
    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // After any running transaction: never close the writer under a commit.
        try await writeGate.withLock {
            for close in closers { try await close() }
        }
    }

    /// A connection for a read. With three or more read connections the last is kept for ``backgroundReader``.
    var reader: any SQLDatabase {
        let pool = readers.count >= 3 ? readers.count - 1 : readers.count
        return readers[nextReader.add(1, ordering: .relaxed).oldValue % pool]
    }

    /// A connection for long reads in the background (the overview's grouped scans), so that requests never queue
    /// behind them on the same connection (SQLite runs one statement at a time per connection).
    var backgroundReader: any SQLDatabase { readers.count >= 3 ? readers[readers.count - 1] : reader }

    /// Runs `body` in one transaction on the writer: all of it commits, or none of it.
    /// On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`): two processes can then never read
    /// the same state and both try to write (the second waits for `busy_timeout` instead of failing at commit).
    /// Within the process, transactions run one at a time (``GatedDatabase``); one begun inside another joins it
    /// (no savepoint: an inner failure that the outer body catches leaves the inner writes in the outer transaction).
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if GatedDatabase.holds(writeGate) { return try await body(writer) }
        return try await writeGate.withLock {
            try await GatedDatabase.$holder.withValue(ObjectIdentifier(writeGate)) {
                try await writer.raw(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
                do {
                    let result = try await body(writer)
                    try await writer.raw("COMMIT").run()
                    return result
                } catch {
                    try? await writer.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }
}
