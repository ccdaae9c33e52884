import Foundation

/// A judgment of the library with what was read from it.
public struct ReadJudgment: Sendable {
    public var judgment: LibraryJudgment
    public var reading: JudgmentReading

    public init(judgment: LibraryJudgment, reading: JudgmentReading) {
        self.judgment = judgment
        self.reading = reading
    }
}

/// A library held in memory: the judgments, what was read from each, and one index segment over them. For
/// evaluations and tests; the platform's library lives in the store and its index on disk (``JudgmentIndex``).
public struct InMemoryLibrary: Sendable {
    public let items: [String: ReadJudgment]
    public let snapshot: IndexSnapshot
    /// Size of the encoded segment.
    public let indexBytes: Int

    /// Reads and indexes `judgments` (on every processor); a later judgment with the id of an earlier one replaces it.
    public static func build(_ judgments: [LibraryJudgment]) async throws -> InMemoryLibrary {
        let prepared = await IndexedJudgment.prepare(judgments)
        var items: [String: ReadJudgment] = [:]
        var writer = SegmentWriter()
        var latest: [String: Int] = [:]
        for (n, judgment) in judgments.enumerated() { latest[judgment.id] = n }
        for (n, judgment) in judgments.enumerated() where latest[judgment.id] == n {
            items[judgment.id] = ReadJudgment(judgment: judgment, reading: prepared[n].reading)
            writer.add(prepared[n].indexed)
        }
        let data = try writer.encoded()
        return InMemoryLibrary(items: items, snapshot: IndexSnapshot(segments: [try IndexSegment(data: data)]), indexBytes: data.count)
    }

    /// The judgments most similar to `query`, most similar first.
    public func similar(_ query: SimilarCaseQuery, options: RankingOptions = RankingOptions(), limit: Int) -> [ReadJudgment] {
        snapshot.search(query, options: options, limit: limit).compactMap { items[$0.entry.id] }
    }
}
