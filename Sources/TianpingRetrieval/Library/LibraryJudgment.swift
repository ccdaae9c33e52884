/// A judgment in the similar-case library, as it arrived: its text and whatever its source states outright.
///
/// Public corpora differ: LeCaRD gives whole judgments, CAIL2018 gives only the facts with the charges, articles and
/// term beside them. What the text itself says is read by ``JudgmentReading``; what the source states is kept apart in
/// `stated…` so that neither is mistaken for the other.
public struct LibraryJudgment: Sendable, Codable, Hashable {
    /// Stable id within the library, `source:original-id` (e.g. `lecard:13`).
    public var id: String
    /// Raised by each correction; a lower or equal version of a stored judgment is ignored on import.
    public var version: Int
    /// Where it came from: `lecard`, `cail2018`, `exchange` (a case of this platform) or another named source.
    public var source: String
    /// The document's title (文书名称) when known.
    public var title: String?
    public var text: String
    /// Charges the source states (CAIL2018's accusation), for texts without a sentence section.
    public var statedCharges: [String]
    /// Criminal Law articles the source states.
    public var statedArticles: [Int]
    /// The sentence the source states, for texts without a sentence section.
    public var statedSentence: StatedSentence?

    public init(id: String, version: Int = 1, source: String, title: String? = nil, text: String, statedCharges: [String] = [],
                statedArticles: [Int] = [], statedSentence: StatedSentence? = nil) {
        self.id = id
        self.version = version
        self.source = source
        self.title = title
        self.text = text
        self.statedCharges = statedCharges
        self.statedArticles = statedArticles
        self.statedSentence = statedSentence
    }
}

/// A sentence stated beside the text (CAIL2018's `term_of_imprisonment` and `punish_of_money`).
public struct StatedSentence: Sendable, Codable, Hashable {
    public var termMonths: Int?
    public var life: Bool
    public var death: Bool
    public var fineYuan: Int?

    public init(termMonths: Int?, life: Bool = false, death: Bool = false, fineYuan: Int? = nil) {
        self.termMonths = termMonths
        self.life = life
        self.death = death
        self.fineYuan = fineYuan
    }
}
