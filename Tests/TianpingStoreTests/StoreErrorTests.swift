import Foundation
import SQLKit
import Testing
import TianpingAccess
import TianpingCore
@testable import TianpingStore

@Suite("Store errors and the store's clock")
struct StoreErrorTests {
    private func withStore(publicArguments: Bool = false, clock: any PlatformClock = SystemClock(),
        _ body: (TianpingStore) async throws -> Void) async throws
    {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-\(UUID().uuidString).sqlite").path
        let store = try await TianpingStore.open(.sqlite(path: path), readConnections: 1,
            publicStatementArguments: publicArguments, clock: clock)
        do { try await body(store) } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A failing statement on the writer, with one argument that must not reach a log by default.
    private func failingInsert(_ store: TianpingStore) async throws {
        try await store.writer.insert(into: "no_such_table").columns("id_number")
            .values(SQLBind("110101199003071234")).run()
    }

    @Test("a failed statement names its SQL and hides its arguments unless they were made public")
    func failureNamesStatement() async throws {
        try await withStore { store in
            do {
                try await failingInsert(store)
                Issue.record("the insert into a missing table succeeded")
            } catch let StoreError.statement(failure) {
                #expect(failure.sql.contains("no_such_table"))
                #expect(failure.message.contains("no_such_table"))
                #expect(failure.argumentCount == 1)
                #expect(failure.arguments.isEmpty)
                #expect(!failure.description.contains("110101199003071234"))
                #expect(failure.description.contains("未显示"))
            }
        }
        try await withStore(publicArguments: true) { store in
            do {
                try await failingInsert(store)
                Issue.record("the insert into a missing table succeeded")
            } catch let StoreError.statement(failure) {
                #expect(failure.arguments.count == 1)
                #expect(failure.description.contains("110101199003071234"))
            }
        }
    }

    @Test("reads name their statement too, and a failure inside a transaction rolls it back")
    func readAndTransactionFailures() async throws {
        try await withStore { store in
            await #expect(throws: StoreError.self) {
                _ = try await store.reader.raw("SELECT missing_column FROM records").all()
            }
            await #expect(throws: StoreError.self) {
                try await store.transaction { db in
                    try await db.insert(into: "schema_migrations").columns("version", "name", "applied_at")
                        .values(SQLBind(9_999), SQLBind("test"), SQLBind(0)).run()
                    _ = try await db.raw("SELECT nothing FROM nowhere").all()
                }
            }
            let rows = try await store.reader.raw("SELECT version FROM schema_migrations WHERE version = 9999").all()
            #expect(rows.isEmpty)
        }
    }

    @Test("the store stamps migrations with its clock, not the machine's")
    func storeClock() async throws {
        let clock = ManualClock(Timestamp("2030-01-02T03:04:05+08:00")!)
        try await withStore(clock: clock) { store in
            let stamps = try await store.reader.raw("SELECT applied_at FROM schema_migrations").all()
                .map { try $0.decode(column: "applied_at", as: Int64.self) }
            #expect(!stamps.isEmpty)
            #expect(stamps.allSatisfy { $0 == clock.now().secondsSinceEpoch })
        }
    }
}

@Suite("Digests")
struct DigestTests {
    @Test("the secret digest is the lower-case hex SHA-256 (FIPS 180-2 test vectors), so stored sessions and tokens still match")
    func sha256Hex() {
        #expect(Secrets.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("a search term's stored form depends on its kind and normal form only")
    func searchTerm() {
        #expect(CaseSearchTerm.stored("（2023）黔0102刑初123号", kind: .number) == CaseSearchTerm.stored(" (2023)黔0102刑初123号", kind: .number))
        #expect(CaseSearchTerm.stored("52010119900307123x", kind: .idNumber) == CaseSearchTerm.stored("52010119900307123X", kind: .idNumber))
        #expect(CaseSearchTerm.stored("张三", kind: .name) != CaseSearchTerm.stored("张三", kind: .number))
        #expect(CaseSearchTerm.stored("张三", kind: .name).count == 16)
    }
}
