/// How a sentence is being carried out for one convict: where, from when to when, and its changes.
public struct ExecutionRecord: Hashable, Sendable, Codable {
    /// The convict's person id.
    public var convict: String
    /// The executing facility (prison, detention house or community-correction body).
    public var facility: String
    /// First day of the term (custody before judgment is credited, 刑法 47).
    public var termStart: CalendarDate
    /// Last day of the term as currently computed (SPC-Interp 202(2)).
    public var termEnd: CalendarDate?
    public var commutations: [Commutation]
    /// `serving`, `paroled`, `temporarily_outside`, `released`, `community_correction`.
    public var status: String

    public init(convict: String, facility: String, termStart: CalendarDate, termEnd: CalendarDate?,
        commutations: [Commutation] = [], status: String = "serving")
    {
        self.convict = convict
        self.facility = facility
        self.termStart = termStart
        self.termEnd = termEnd
        self.commutations = commutations
        self.status = status
    }
}

/// A commutation (减刑) granted by ruling.
public struct Commutation: Hashable, Sendable, Codable {
    public var ruledAt: Timestamp
    public var rulingNumber: String
    public var reductionMonths: Int

    public init(ruledAt: Timestamp, rulingNumber: String, reductionMonths: Int) {
        self.ruledAt = ruledAt
        self.rulingNumber = rulingNumber
        self.reductionMonths = reductionMonths
    }
}
