import TianpingCore

/// One crime to estimate: the charge, its facts, the circumstances found, and when the judgment was decided.
public struct SentencingInput: Sendable, Codable, Hashable {
    public var crime: String
    public var facts: SentencingFacts
    /// Circumstance ids, names or aliases (`自首`, `surrender`, `退赃退赔`); a ratio may be given as `自首=-0.3`.
    public var circumstances: [String]
    public var decidedOn: CalendarDate?

    public init(crime: String, facts: SentencingFacts = SentencingFacts(), circumstances: [String] = [], decidedOn: CalendarDate? = nil) {
        self.crime = crime
        self.facts = facts
        self.circumstances = circumstances
        self.decidedOn = decidedOn
    }
}
