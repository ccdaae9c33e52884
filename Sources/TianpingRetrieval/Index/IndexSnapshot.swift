/// The searchable state of an index at one moment: its segments and, per segment, the documents that a later version
/// superseded or that were withdrawn. A value: a search runs on the snapshot it was given while the index moves on.
public struct IndexSnapshot: Sendable {
    public let segments: [IndexSegment]
    /// Per segment, the documents no longer in the library.
    public let removed: [Set<Int>]

    /// Where the live version of each judgment is (segment, document).
    let locations: [String: Location]

    struct Location: Sendable {
        var segment: Int
        var document: Int
    }

    public init(segments: [IndexSegment] = [], removed: [Set<Int>]? = nil) {
        self.segments = segments
        let removed = removed ?? segments.map { _ in [] }
        self.removed = removed
        var locations: [String: Location] = [:]
        for (s, segment) in segments.enumerated() {
            for (d, entry) in segment.entries.enumerated() where !removed[s].contains(d) { locations[entry.id] = Location(segment: s, document: d) }
        }
        self.locations = locations
        let statistics = Self.statistics(segments, removed)
        self.statistics = statistics
        let standard = RankingOptions()
        defaultFactors = segments.map { LengthFactors(segment: $0, options: standard, statistics: statistics) }
    }

    /// Per document of a segment, what its field lengths make of a term's frequency under one ranking's `k1`, `b`
    /// and field weights: computed with the snapshot for the default ranking (each query would otherwise redo a
    /// division per judgment and field), per query for any other.
    struct LengthFactors: Sendable {
        let options: RankingOptions
        /// BM25F: each field's weight over its length normalisation; whole text: k1 times the normalisation.
        let facts: [Double]
        let other: [Double]

        init(segment: IndexSegment, options: RankingOptions, statistics: Statistics) {
            self.options = options
            let lengths = segment.lengthTable
            let count = segment.documentCount
            let k1 = options.k1, b = options.b
            switch options.text {
            case .none:
                facts = []
                other = []
            case .wholeText:
                facts = (0..<count).map { d in k1 * (1 - b + b * Double(lengths[2 * d] + lengths[2 * d + 1]) / statistics.averageWhole) }
                other = []
            case .fields(let factsWeight, let otherWeight):
                facts = (0..<count).map { d in factsWeight / (1 - b + b * Double(lengths[2 * d]) / statistics.averageFacts) }
                other = (0..<count).map { d in otherWeight / (1 - b + b * Double(lengths[2 * d + 1]) / statistics.averageOther) }
            }
        }
    }

    /// The length factors of each segment for `RankingOptions()`.
    let defaultFactors: [LengthFactors]

    func lengthFactors(segment s: Int, options: RankingOptions) -> LengthFactors {
        defaultFactors[s].options == options ? defaultFactors[s] : LengthFactors(segment: segments[s], options: options, statistics: statistics)
    }

    /// Judgments in the library (superseded and withdrawn ones not counted).
    public var liveCount: Int { zip(segments, removed).reduce(0) { $0 + $1.0.documentCount - $1.1.count } }

    /// Collection statistics for scoring. Lengths count live judgments only; a term's document frequency counts every
    /// stored document, withdrawn ones included, until segments are merged (as Lucene does: cheap and nearly the same).
    struct Statistics {
        var documents: Double
        var averageFacts: Double
        var averageOther: Double
        var averageWhole: Double
    }

    /// Collection statistics, computed once: a snapshot never changes.
    let statistics: Statistics

    static func statistics(_ segments: [IndexSegment], _ removed: [Set<Int>]) -> Statistics {
        var documents = 0
        var facts: UInt64 = 0
        var other: UInt64 = 0
        for (segment, gone) in zip(segments, removed) {
            documents += segment.documentCount - gone.count
            facts += segment.factLengthTotal
            other += segment.otherLengthTotal
            for document in gone {
                let lengths = segment.lengths(of: document)
                facts -= UInt64(lengths.facts)
                other -= UInt64(lengths.other)
            }
        }
        let n = Double(max(documents, 1))
        return Statistics(documents: Double(documents), averageFacts: max(Double(facts) / n, 1), averageOther: max(Double(other) / n, 1),
            averageWhole: max(Double(facts + other) / n, 1))
    }

}
