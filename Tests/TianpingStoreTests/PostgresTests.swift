import Foundation
import Testing
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingStore

/// The URL of a throwaway PostgreSQL database, set by `.ci/run` (which starts one).
let postgresURL = ProcessInfo.processInfo.environment["TIANPING_TEST_POSTGRES_URL"]

@Suite("PostgreSQL store", .serialized, .enabled(if: postgresURL != nil, "set TIANPING_TEST_POSTGRES_URL to run against PostgreSQL"))
struct PostgresTests {
    @Test("the same data ingested into PostgreSQL and SQLite gives the same content digest, lists and statistics")
    func sameAsSQLite() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            let (summary, _) = try await loadProvince(pg, cases: 150, seed: 8)
            #expect(summary.total(.quarantined) == 0)
            let (again, _) = try await loadProvince(pg, cases: 150, seed: 8)
            #expect(again.changedNothing)
            try await withTemporaryStore { sqlite, _ in
                _ = try await loadProvince(sqlite, cases: 150, seed: 8)
                #expect(try await pg.contentDigest() == (try await sqlite.contentDigest()))
                #expect(try await pg.statistics() == (try await sqlite.statistics()))
                let a = try await pg.cases(CaseQuery(type: .criminal), page: 2, pageSize: 10).items.map(\.id)
                let b = try await sqlite.cases(CaseQuery(type: .criminal), page: 2, pageSize: 10).items.map(\.id)
                #expect(a == b)
                let number = try #require(try await sqlite.cases(CaseQuery(type: .criminal), page: 1, pageSize: 50).items
                    .compactMap(\.caseNumber).first)
                #expect(try await pg.searchCases(number, scope: .everything).map(\.summary.id)
                    == (try await sqlite.searchCases(number, scope: .everything).map(\.summary.id)))
            }
            try await CaseSearchBackfillTests.rebuildMatches(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("a failed statement on PostgreSQL names its SQLSTATE, the server's message and the SQL")
    func statementFailure() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            _ = try await pg.searchCases("x", scope: .everything)  // a working statement first
            do {
                try await pg.failingStatementForTests()
                Issue.record("a statement on a missing table succeeded")
            } catch let StoreError.statement(failure) {
                #expect(failure.message.contains("SQLSTATE 42P01") && failure.message.contains("no_such_table"))
                #expect(failure.sql.contains("no_such_table"))
            }
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("findings open, stay unique, resolve on cure and reopen on PostgreSQL too")
    func findingsLifecycle() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await FindingStoreTests.lifecycle(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("sentencing measures and cohort leads on PostgreSQL")
    func sentencingMeasures() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await SentencingStoreTests.lifecycle(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("the dossier log, its proofs and the self-audit work the same on PostgreSQL")
    func dossierLog() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await LedgerStoreTests.lifecycle(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("accounts, lockout, sessions, tokens, scoped queries and the audit on PostgreSQL")
    func accounts() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await AccountStoreTests.lifecycle(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("warnings and their lifecycle on PostgreSQL")
    func warnings() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await WarningStoreTests.lifecycle(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("the access audit log detects a changed or deleted row, and sign-in attempts are reserved, on PostgreSQL")
    func accessAuditLog() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await AccessAuditLogTests.tamper(on: pg)
            try await pg.resetForTests()
            try await AccessAuditLogTests.reservation(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("the similar-case library and its index on PostgreSQL")
    func judgmentLibrary() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-pg-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try await pg.resetForTests()
            try await JudgmentLibraryTests.lifecycle(on: pg, indexDirectory: directory)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }

    @Test("a report kept in a case's dossier on PostgreSQL")
    func keptReport() async throws {
        let pg = try await TianpingStore.open(.postgres(url: try #require(postgresURL)))
        do {
            try await pg.resetForTests()
            try await JudgmentLibraryTests.keptReports(on: pg)
            try await pg.close()
        } catch {
            try? await pg.close()
            throw error
        }
    }
}
