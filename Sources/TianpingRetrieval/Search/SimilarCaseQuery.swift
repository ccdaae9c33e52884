/// A similar-case search: a case's facts (or any free text) and, when known, the charges it concerns.
public struct SimilarCaseQuery: Sendable, Hashable {
    public var text: String
    /// The charges of the case searched for (from the case's record, or typed by the user). A judgment convicting of
    /// more of them ranks above one convicting of fewer, whatever their wording.
    public var charges: [String]
    public var filters: SearchFilters
    /// Judgments never returned (the case's own judgment when scoring leave-one-out).
    public var excluded: Set<String>
    /// When set, only these judgments are ranked (an evaluation pool), each of them even without a shared term.
    public var candidates: Set<String>?

    public init(text: String, charges: [String] = [], filters: SearchFilters = SearchFilters(), excluded: Set<String> = [],
                candidates: Set<String>? = nil) {
        self.text = text
        self.charges = charges
        self.filters = filters
        self.excluded = excluded
        self.candidates = candidates
    }
}

/// Filters of the 类案检索 page: a judgment must satisfy every filter that is set.
public struct SearchFilters: Sendable, Hashable, Codable {
    /// At least one of these charges (compared as ``ChargeName/matches(_:_:)``).
    public var charges: [String]
    public var courtLevels: Set<CourtLevel>
    /// Province names as courts write them (`安徽省`).
    public var provinces: Set<String>
    public var years: ClosedRange<Int>?

    public init(charges: [String] = [], courtLevels: Set<CourtLevel> = [], provinces: Set<String> = [], years: ClosedRange<Int>? = nil) {
        self.charges = charges
        self.courtLevels = courtLevels
        self.provinces = provinces
        self.years = years
    }

    public var isEmpty: Bool { charges.isEmpty && courtLevels.isEmpty && provinces.isEmpty && years == nil }

    /// Whether `entry` passes the filters other than charges (those are checked per distinct charge name of a
    /// segment, see `IndexSnapshot.search`).
    func admitsApartFromCharges(_ entry: IndexEntry) -> Bool {
        if !courtLevels.isEmpty, !(entry.courtLevel.map(courtLevels.contains) ?? false) { return false }
        if !provinces.isEmpty, !(entry.province.map(provinces.contains) ?? false) { return false }
        if let years, !(entry.year.map(years.contains) ?? false) { return false }
        return true
    }
}

/// How judgments are ranked. The default is the method measured best on LeCaRD DEV (see BENCHMARKS.md); the other
/// settings exist to measure what each part adds.
public struct RankingOptions: Sendable, Hashable, Codable {
    /// Rank first by the share of the query's charges the judgment decided (then by text): a judgment about another
    /// offence is not a similar case however alike the story.
    public var chargesFirst: Bool
    public var text: TextScoring
    /// BM25 saturation and length normalisation.
    public var k1: Double
    public var b: Double
    /// Terms found in more than this share of the library's judgments are not scored: their idf is below log 2
    /// (被告, 本院, 判决 …) while they hold most postings. At 0.5 a LeCaRD query runs 1.6 times as fast and NDCG@30 is
    /// unchanged (BENCHMARKS.md). 1 scores every term; so does a library of fewer than 1,000 judgments.
    public var commonTermShare: Double

    public enum TextScoring: Sendable, Hashable, Codable {
        /// No text score (charges alone; ties in index order).
        case none
        /// BM25 over the whole text as one field.
        case wholeText
        /// BM25F: the court's facts and the rest of the text as two fields, each normalised by its own length.
        case fields(facts: Double, other: Double)
    }

    public init(chargesFirst: Bool = true, text: TextScoring = .fields(facts: 1, other: 1), k1: Double = 1.2, b: Double = 0.75,
                commonTermShare: Double = 0.5) {
        self.chargesFirst = chargesFirst
        self.text = text
        self.k1 = k1
        self.b = b
        self.commonTermShare = commonTermShare
    }
}

/// One ranked judgment.
public struct ScoredJudgment: Sendable, Hashable {
    public var entry: IndexEntry
    /// Share of the query's charges this judgment decided (0 when the query named none).
    public var chargeShare: Double
    /// The text score (BM25 or BM25F over the query's distinct terms).
    public var textScore: Double
}
