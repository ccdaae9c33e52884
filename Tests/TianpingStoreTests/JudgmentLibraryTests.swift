import Foundation
import Testing
import TianpingAnalysis
import TianpingIngest
import TianpingLedger
import TianpingRetrieval
import TianpingStore
import TianpingText

@Suite("The similar-case library in the store")
struct JudgmentLibraryTests {
    @Test("import reads and keeps judgments; versions correct, repeat or are ignored; bad lines are quarantined; the index follows")
    func library() async throws {
        try await withTemporaryStore { store, path in
            let directory = URL(fileURLWithPath: path + ".library-index")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await Self.lifecycle(on: store, indexDirectory: directory)
        }
    }

    @Test("a report kept in a case's dossier: its bytes back unchanged, its leaf in the log and the case's sources, a changed file found by the self-audit")
    func keptReport() async throws {
        try await withTemporaryStore { store, _ in try await Self.keptReports(on: store) }
    }

    /// On any store (SQLite here; PostgreSQL in `PostgresTests`).
    static func keptReports(on store: TianpingStore) async throws {
        let bytes = Array("<!doctype html><h1>类案检索报告</h1>".utf8)
        let kept = try await store.keepCaseReport(caseID: "C-1", kind: "similar_case_report", title: "类案检索报告", keptBy: "tester",
            agency: "520000ZF01", at: 1_700_000_000, contentType: "text/html; charset=utf-8", bytes: bytes)
        #expect(kept.leafIndex != nil && kept.sha256 == LedgerDigest.sha256Hex(bytes))
        #expect(try await store.caseReportBytes(kept.id) == bytes)
        #expect(try await store.caseReports(caseID: "C-1") == [kept])
        #expect(try await store.caseReports(caseID: "C-2").isEmpty)
        #expect(try await store.dossierSources(caseID: "C-1").map(\.leafIndex) == [kept.leafIndex!])
        #expect(try await store.auditLedger().problems.isEmpty)
        await #expect(throws: StoreError.self) {
            _ = try await store.keepCaseReport(caseID: "C-1", kind: "similar_case_report", title: "空", keptBy: "tester", agency: "520000ZF01",
                at: 1, contentType: "text/html", bytes: [])
        }
        try await store.overwriteCaseReportForTests(kept.id, bytes: Array("changed".utf8))
        #expect(try await store.auditLedger().problems.contains { $0.message.contains("卷宗报告的文件与存证时的哈希不符") })
    }

    static func line(_ id: String, version: Int = 1, _ text: String) -> Data {
        try! JSONEncoder().encode(LibraryJudgment(id: id, version: version, source: "test", title: "\(id)刑事判决书", text: text))
    }

    static let theft = "安徽省涡阳县人民法院刑事判决书（2018）皖1621刑初101号。经审理查明，被告人张三撬开车库门盗窃电动车一辆。本院认为，被告人张三的行为已构成盗窃罪。依照《中华人民共和国刑法》第二百六十四条之规定，判决如下：被告人张三犯盗窃罪，判处有期徒刑八个月。"
    static let fraud = "江苏省南京市中级人民法院刑事判决书（2020）苏01刑初5号。经审理查明，被告人王五冒充银行工作人员骗取钱款。本院认为，其行为已构成诈骗罪。判决如下：被告人王五犯诈骗罪，判处有期徒刑四年。"

    /// On any store (SQLite here; PostgreSQL in `PostgresTests`).
    static func lifecycle(on store: TianpingStore, indexDirectory: URL) async throws {
        let first = try await store.importJudgments([
            (1, line("test:1", theft)), (2, Data("not json".utf8)), (3, line("test:2", fraud)), (4, Data(#"{"cid": "9", "qw": " "}"#.utf8)),
        ], sourceName: "fixture.jsonl")
        #expect(first.lines == 4 && first.added == 2 && first.quarantined == 2)
        let quarantined = try await store.quarantineEntries()
        #expect(quarantined.map(\.entry.code.rawValue).sorted() == ["E_INVALID_VALUE", "E_JSON_MALFORMED"])
        #expect(quarantined.allSatisfy { $0.entry.sourceName == "fixture.jsonl" && $0.entry.message.hasPrefix("文书库导入") })

        let stored = try #require(try await store.libraryJudgment(id: "test:1"))
        #expect(stored.reading.charges == ["盗窃罪"] && stored.reading.articles == [264] && stored.reading.year == 2018 && !stored.withdrawn)
        #expect(stored.reading.defendants.first?.termMonths == 8)

        var index = try JudgmentIndex(directory: indexDirectory)
        #expect(try await LibraryIndexer.catchUp(store, index: &index) == 2)
        #expect(index.snapshot.search(SimilarCaseQuery(text: "撬开车库门盗窃电动车")).first?.entry.id == "test:1")

        // The same lines again change nothing; a lower version is ignored; the same version with other content is a conflict.
        let again = try await store.importJudgments([(1, line("test:1", theft)), (3, line("test:2", fraud))], sourceName: "fixture.jsonl")
        #expect(again.unchanged == 2 && again.added == 0)
        let conflict = try await store.importJudgments([(1, line("test:1", theft + "另查明。"))], sourceName: "other.jsonl")
        #expect(conflict.quarantined == 1 && conflict.corrected == 0)
        #expect(try await store.quarantineEntries().contains { $0.entry.code.rawValue == "E_VERSION_CONFLICT" && $0.entry.sourceName == "other.jsonl" })
        #expect(try await LibraryIndexer.catchUp(store, index: &index) == 0, "nothing changed")

        // A correction (version 2) is found as corrected in the next query; a lower version afterwards is ignored.
        let corrected = theft.replacingOccurrences(of: "电动车", with: "摩托车")
        #expect(try await store.importJudgments([(1, line("test:1", version: 2, corrected))], sourceName: "fix.jsonl").corrected == 1)
        #expect(try await store.importJudgments([(1, line("test:1", theft))], sourceName: "old.jsonl").older == 1)
        #expect(try await LibraryIndexer.catchUp(store, index: &index) == 1)
        #expect(index.snapshot.search(SimilarCaseQuery(text: "摩托车")).map(\.entry.id) == ["test:1"])
        #expect(index.version(of: "test:1") == 2)

        // A withdrawal is gone from the next query, and a reopened index has caught up to the same revision.
        #expect(try await store.withdrawJudgments(["test:2", "test:unknown"]) == 1)
        #expect(try await store.withdrawJudgments(["test:2"]) == 0, "already withdrawn")
        #expect(try await LibraryIndexer.catchUp(store, index: &index) == 1)
        #expect(!index.snapshot.search(SimilarCaseQuery(text: "冒充银行工作人员")).contains { $0.entry.id == "test:2" })
        let counts = try await store.libraryCounts()
        #expect(counts.judgments == 1 && counts.revision == index.revision)
        #expect(try await store.libraryJudgment(id: "test:2")?.withdrawn == true)
        let reopened = try JudgmentIndex(directory: indexDirectory)
        #expect(reopened.revision == counts.revision && reopened.snapshot.liveCount == 1)
    }
}
