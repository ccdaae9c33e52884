import Foundation
import SQLKit
import Testing
import TianpingCore

@testable import TianpingStore

@Suite("Search index backfill")
struct CaseSearchBackfillTests {
    @Test("a store that predates the search index gets every row and shown number back from its records")
    func backfill() async throws {
        try await withTemporaryStore { store, _ in
            _ = try await loadProvince(store, cases: 60)
            try await Self.rebuildMatches(on: store)
        }
    }

    /// Empties the index and the shown numbers, backfills them, and expects what ingest wrote.
    static func rebuildMatches(on store: TianpingStore) async throws {
        func snapshot() async throws -> (terms: [String], numbers: [String]) {
            let terms = try await store.reader.raw("SELECT term, case_id, kind FROM case_search ORDER BY term, case_id").all()
                .map {
                    try $0.decode(column: "term", as: String.self) + "|" + $0.decode(column: "case_id", as: String.self) + "|"
                        + $0.decode(column: "kind", as: String.self)
                }
            let numbers = try await store.reader.raw("SELECT case_id, case_number FROM cases ORDER BY case_id").all()
                .map { try $0.decode(column: "case_id", as: String.self) + "|" + ($0.decode(column: "case_number", as: String?.self) ?? "-") }
            return (terms, numbers)
        }
        let ingested = try await snapshot()
        #expect(ingested.terms.count > 60 * 2, "numbers and parties of 60 cases")
        #expect(ingested.numbers.contains { !$0.hasSuffix("|-") })
        try await store.transaction { db in
            try await db.raw("DELETE FROM case_search").run()
            try await db.raw("UPDATE cases SET case_number = NULL").run()
        }
        try await store.transaction { db in
            // Pages of 97 records: the key-order paging crosses many page boundaries, some inside one record id.
            try await TianpingStore.backfillCaseSearch(db: db, pageSize: 97)
        }
        let rebuilt = try await snapshot()
        #expect(rebuilt.terms == ingested.terms)
        #expect(rebuilt.numbers == ingested.numbers)
    }
}
