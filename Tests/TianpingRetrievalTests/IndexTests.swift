import Foundation
import Testing
import TianpingRetrieval

@Suite("The on-disk similar-case index")
struct IndexTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tianping-index-\(UUID().uuidString)")
    }

    @Test("a segment written and read back holds every judgment, term count and length")
    func segmentRoundTrip() throws {
        var writer = SegmentWriter()
        let indexed = Fixtures.indexed(Fixtures.all)
        indexed.forEach { writer.add($0) }
        let data = try writer.encoded()
        #expect(try writer.encoded() == data, "the same judgments in the same order give the same bytes")
        let segment = try IndexSegment(data: data)
        #expect(segment.documentCount == 4)
        #expect(segment.entries.map(\.id) == Fixtures.all.map(\.id))
        let theft = TermEncoder.terms(of: "盗窃")[0]
        #expect(segment.documentFrequency(of: theft) == 2)
        #expect(segment.documentFrequency(of: TermEncoder.terms(of: "冒充")[0]) == 1)
        #expect(segment.documentFrequency(of: TermEncoder.terms(of: "鲸鱼")[0]) == 0)
        #expect(segment.lengths(of: 0).facts == indexed[0].factLength && segment.lengths(of: 0).other == indexed[0].otherLength)
        #expect(throws: IndexSegment.ReadError.self) { try IndexSegment(data: data.prefix(data.count - 1)) }
        #expect(throws: IndexSegment.ReadError.self) { try IndexSegment(data: Data("TPIX".utf8) + data.dropFirst(4)) }
    }

    @Test("the most similar judgment comes first; charges rank before text; ties are broken by id")
    func ranking() {
        var writer = SegmentWriter()
        Fixtures.indexed(Fixtures.all).forEach { writer.add($0) }
        let snapshot = IndexSnapshot(segments: [try! IndexSegment(data: try! writer.encoded())])
        let query = SimilarCaseQuery(text: "被告人深夜撬开车库门盗窃电动车一辆，价值三千余元。", charges: ["盗窃罪"])
        let hits = snapshot.search(query)
        #expect(hits.map(\.entry.id).prefix(2) == ["test:theft", "test:theft-two"])
        #expect(hits[0].chargeShare == 1 && hits[0].textScore > hits[1].textScore)
        // A fraud text searched for as a theft: the theft judgments still come first (charges first) …
        let fraudText = SimilarCaseQuery(text: "冒充银行工作人员以办理贷款为名骗取钱款", charges: ["盗窃罪"])
        #expect(snapshot.search(fraudText).first?.entry.id.hasPrefix("test:theft") == true)
        // … and without charges first the fraud judgment does.
        #expect(snapshot.search(fraudText, options: RankingOptions(chargesFirst: false)).first?.entry.id == "test:fraud")
        // Filters, exclusions and candidate sets.
        #expect(snapshot.search(query, limit: 10).count == 4)
        #expect(snapshot.search(SimilarCaseQuery(text: query.text, filters: SearchFilters(courtLevels: [.intermediate]))).map(\.entry.id) == ["test:fraud"])
        #expect(snapshot.search(SimilarCaseQuery(text: query.text, filters: SearchFilters(years: 2019...2019))).map(\.entry.id) == ["test:theft-two"])
        #expect(snapshot.search(SimilarCaseQuery(text: query.text, filters: SearchFilters(charges: ["走私、贩卖、运输、制造毒品罪"]))).map(\.entry.id) == ["test:drugs"])
        #expect(snapshot.search(SimilarCaseQuery(text: query.text, filters: SearchFilters(provinces: ["江苏省"]))).map(\.entry.id) == ["test:fraud"])
        #expect(!snapshot.search(SimilarCaseQuery(text: query.text, excluded: ["test:theft"])).contains { $0.entry.id == "test:theft" })
        let pool = snapshot.search(SimilarCaseQuery(text: "鲸鱼", candidates: ["test:drugs", "test:fraud"]))
        #expect(pool.map(\.entry.id) == ["test:drugs", "test:fraud"], "a pool is ranked whole, even without a shared term")
        #expect(snapshot.search(SimilarCaseQuery(text: "")).isEmpty)
        #expect(snapshot.search(query, limit: 0).isEmpty)
    }

    @Test("an added judgment is found, a corrected one is found as corrected, a withdrawn one is gone — also after reopening")
    func consistency() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var index = try JudgmentIndex(directory: directory)
        #expect(index.snapshot.liveCount == 0)
        #expect(index.snapshot.search(SimilarCaseQuery(text: "盗窃")).isEmpty)
        try index.apply(adding: Fixtures.indexed([Fixtures.theft, Fixtures.fraud]), withdrawing: [], revision: 2)
        let query = SimilarCaseQuery(text: "盗窃电动车")
        #expect(index.snapshot.search(query).first?.entry.id == "test:theft")

        // Added: the second theft judgment appears in the next query.
        try index.apply(adding: Fixtures.indexed([Fixtures.theftTwo]), withdrawing: [], revision: 3)
        #expect(index.snapshot.search(SimilarCaseQuery(text: "超市内趁人不备盗窃手机")).first?.entry.id == "test:theft-two")

        // Corrected: a new version replaces the old one (its new text is found, its old text no longer).
        var corrected = Fixtures.theft
        corrected.version = 2
        corrected.text = corrected.text.replacingOccurrences(of: "电动车", with: "摩托车")
        try index.apply(adding: Fixtures.indexed([corrected]), withdrawing: [], revision: 4)
        #expect(index.version(of: "test:theft") == 2)
        let motorbike = index.snapshot.search(SimilarCaseQuery(text: "摩托车"))
        #expect(motorbike.map(\.entry.id) == ["test:theft"] && motorbike[0].entry.version == 2)
        #expect(!index.snapshot.search(SimilarCaseQuery(text: "电动车")).contains { $0.entry.id == "test:theft" })
        #expect(index.snapshot.liveCount == 3)

        // Withdrawn: gone from every query.
        try index.apply(adding: [], withdrawing: ["test:fraud"], revision: 5)
        #expect(!index.snapshot.search(SimilarCaseQuery(text: "冒充银行工作人员")).contains { $0.entry.id == "test:fraud" })
        #expect(index.version(of: "test:fraud") == nil)

        // Reopened from disk: the same state and revision.
        let reopened = try JudgmentIndex(directory: directory)
        #expect(reopened.revision == 5)
        #expect(reopened.snapshot.liveCount == 2)
        #expect(reopened.version(of: "test:theft") == 2)
        #expect(reopened.snapshot.search(SimilarCaseQuery(text: "摩托车")).map(\.entry.id) == ["test:theft"])
        #expect(reopened.sizeOnDisk > 0)
    }

    @Test("merging segments keeps exactly the live judgments: the merged file is the one a single batch of them writes, and old files are gone")
    func merging() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var index = try JudgmentIndex(directory: directory)
        for (n, judgment) in [Fixtures.theft, Fixtures.theftTwo, Fixtures.fraud, Fixtures.drugs].enumerated() {
            try index.apply(adding: Fixtures.indexed([judgment]), withdrawing: [], revision: n + 1)
        }
        var corrected = Fixtures.theft
        corrected.version = 2
        corrected.text = corrected.text.replacingOccurrences(of: "电动车", with: "摩托车")
        try index.apply(adding: Fixtures.indexed([corrected]), withdrawing: ["test:fraud"], revision: 6)
        #expect(index.snapshot.segments.count == 5 && index.snapshot.liveCount == 3)
        // Two segments hold only removed judgments: the small segments are merged with them, the removed ones left out.
        #expect(try index.mergeIfNeeded() == 5)
        #expect(try index.mergeIfNeeded() == 0, "one segment, nothing removed: nothing to do")
        #expect(index.snapshot.segments.count == 1 && index.snapshot.liveCount == 3 && index.revision == 6)

        // The same live judgments written as one batch, in the same order, give the same bytes.
        var writer = SegmentWriter()
        Fixtures.indexed([Fixtures.theftTwo, Fixtures.drugs, corrected]).forEach { writer.add($0) }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tpis") }
        #expect(files.count == 1, "\(files)")
        let merged = try Data(contentsOf: directory.appendingPathComponent(try #require(files.first)))
        #expect(merged == (try writer.encoded()))

        let reopened = try JudgmentIndex(directory: directory)
        #expect(reopened.snapshot.search(SimilarCaseQuery(text: "摩托车")).map(\.entry.id) == ["test:theft"])
        #expect(!reopened.snapshot.search(SimilarCaseQuery(text: "冒充银行工作人员")).contains { $0.entry.id == "test:fraud" })
        #expect(reopened.version(of: "test:theft") == 2 && reopened.snapshot.liveCount == 3)
    }

    @Test("many small segments (one per catch-up) become few, none above the size cap; every judgment stays findable")
    func smallSegments() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var index = try JudgmentIndex(directory: directory)
        for n in 1...12 {
            var judgment = Fixtures.theft
            judgment.id = "test:theft-\(n)"
            try index.apply(adding: Fixtures.indexed([judgment]), withdrawing: [], revision: n)
        }
        #expect(try index.mergeIfNeeded(smallSegments: 13) == 0, "twelve small segments, fewer than asked")
        #expect(try index.mergeIfNeeded(smallSegments: 10, maxDocuments: 8) == 12)
        #expect(index.snapshot.segments.map(\.documentCount).sorted() == [4, 8], "groups of at most eight")
        #expect(index.snapshot.search(SimilarCaseQuery(text: "盗窃电动车"), limit: 20).count == 12)
        #expect(try JudgmentIndex(directory: directory).snapshot.liveCount == 12)
    }

    @Test("two processes sharing an index: one merges and deletes files, the other reloads before it writes, and the index still opens")
    func sharedIndex() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var cli = try JudgmentIndex(directory: directory)
        var server = try JudgmentIndex(directory: directory)
        for n in 1...10 {
            var judgment = Fixtures.theft
            judgment.id = "test:theft-\(n)"
            try cli.apply(adding: Fixtures.indexed([judgment]), withdrawing: [], revision: n)
        }
        #expect(try cli.mergeIfNeeded() == 10)
        do {
            let lock = try JudgmentIndex.lock(directory: directory)
            defer { lock.release() }
            try server.reloadIfChanged()
            #expect(server.revision == 10 && server.snapshot.liveCount == 10)
            try server.apply(adding: Fixtures.indexed([Fixtures.fraud]), withdrawing: [], revision: 11)
        }
        let reopened = try JudgmentIndex(directory: directory)
        #expect(reopened.snapshot.liveCount == 11 && reopened.revision == 11)
    }

    @Test("a damaged manifest is reported with its path, not taken for an empty index")
    func damagedManifest() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("{".utf8).write(to: directory.appendingPathComponent("manifest.json"))
        #expect(throws: JudgmentIndex.IndexError.self) { try JudgmentIndex(directory: directory) }
    }
}

@Suite("NDCG as LeCaRD computes it")
struct EvaluationTests {
    @Test("NDCG of a known ranking, of the ideal ranking and of a pool with nothing relevant")
    func ndcg() {
        let grades = ["a": 3, "b": 1]
        #expect(RetrievalEvaluation.ndcg(["a", "b", "c"], grades: grades, at: 30) == 1)
        // Reversed: DCG = 1/log2(3) + 7/log2(4) = 0.6309 + 3.5; IDCG = 7 + 1/log2(3) = 7.6309.
        let reversed = RetrievalEvaluation.ndcg(["c", "b", "a"], grades: grades, at: 30)
        #expect(abs(reversed - (1 / log2(3) + 3.5) / (7 + 1 / log2(3))) < 1e-12)
        // At 1 only the first place counts.
        #expect(RetrievalEvaluation.ndcg(["b", "a"], grades: grades, at: 1) == 1.0 / 7.0)
        #expect(RetrievalEvaluation.ndcg(["x", "y"], grades: [:], at: 10) == 0)
    }

    @Test("the random floor is reproducible and lies between the worst and the best order")
    func randomFloor() {
        let queries = [RetrievalEvaluation.Query(id: "1", text: "", charges: [])]
        let pool = ["1": (0..<30).map { "d\($0)" }]
        let labels = ["1": Dictionary(uniqueKeysWithValues: (0..<10).map { ("d\($0)", 3 - $0 % 4) })]
        let floor = RetrievalEvaluation.randomFloor(queries, pools: pool, labels: labels)
        #expect(floor == RetrievalEvaluation.randomFloor(queries, pools: pool, labels: labels))
        let worst = RetrievalEvaluation.score(["1": pool["1"]!.reversed()], labels: labels)
        #expect(floor.ndcg10 > worst.ndcg10 && floor.ndcg10 < 1)
    }
}
