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
    /// 判决执行之日: the day the convict was delivered to the facility (法释〔2016〕23号第四十条); commutation's start
    /// counts from it. Absent in older records: the admission event, else `termStart`, stands in.
    public var deliveredOn: CalendarDate?
    /// What the facility knows of the convict that makes the commutation rules stricter or milder, as the ids of the
    /// commutation rule pack (`recidivist`, `dutyCrime`, `formerOfficialCorruption`, `minor` …). The judgment's
    /// charges and circumstances add to these.
    public var categories: [String]?
    /// The parole (假释) granted, if any: the convict leaves prison on probation for the rest of the term (刑法 83).
    public var parole: ParoleGrant?

    public init(convict: String, facility: String, termStart: CalendarDate, termEnd: CalendarDate?,
        commutations: [Commutation] = [], status: String = "serving", deliveredOn: CalendarDate? = nil, categories: [String]? = nil,
        parole: ParoleGrant? = nil)
    {
        self.parole = parole
        self.convict = convict
        self.facility = facility
        self.termStart = termStart
        self.termEnd = termEnd
        self.commutations = commutations
        self.status = status
        self.deliveredOn = deliveredOn
        self.categories = categories
    }
}

/// A commutation (减刑) granted by ruling.
public struct Commutation: Hashable, Sendable, Codable {
    public var ruledAt: Timestamp
    public var rulingNumber: String
    /// Months cut from a fixed term; absent when a life sentence was reduced to a term (`reducedToMonths`).
    public var reductionMonths: Int?
    /// The fixed term in months a life sentence (or a reprieve's life) was reduced to.
    public var reducedToMonths: Int?
    /// The day the executing organ reported the proposal to the court (报请之日): the interval ends here.
    public var proposedOn: CalendarDate?
    /// The day the ruling was served (送达): the next interval starts here (法释〔2016〕23号第四十条第二款).
    public var servedOn: CalendarDate?
    /// What the ruling rests on (`repentance`, `merit`, `repentanceAndMerit`, `majorMerit`, `repentanceAndMajorMerit`).
    public var grounds: CommutationGrounds?

    public init(ruledAt: Timestamp, rulingNumber: String, reductionMonths: Int?, reducedToMonths: Int? = nil, proposedOn: CalendarDate? = nil,
        servedOn: CalendarDate? = nil, grounds: CommutationGrounds? = nil)
    {
        self.ruledAt = ruledAt
        self.rulingNumber = rulingNumber
        self.reductionMonths = reductionMonths
        self.reducedToMonths = reducedToMonths
        self.proposedOn = proposedOn
        self.servedOn = servedOn
        self.grounds = grounds
    }
}

/// A parole (假释) granted by ruling.
public struct ParoleGrant: Hashable, Sendable, Codable {
    public var ruledAt: Timestamp
    public var rulingNumber: String
    /// The day the executing organ reported the proposal to the court (报请之日).
    public var proposedOn: CalendarDate?
    /// The day the ruling was served and the convict released on parole.
    public var servedOn: CalendarDate?

    public init(ruledAt: Timestamp, rulingNumber: String, proposedOn: CalendarDate? = nil, servedOn: CalendarDate? = nil) {
        self.ruledAt = ruledAt
        self.rulingNumber = rulingNumber
        self.proposedOn = proposedOn
        self.servedOn = servedOn
    }
}

/// The grounds a commutation rests on; the rules size a reduction by them (法释〔2016〕23号第六条第二款、第八条、第十条).
public enum CommutationGrounds: String, Sendable, Codable, Hashable, CaseIterable {
    case repentance, merit, repentanceAndMerit, majorMerit, repentanceAndMajorMerit

    public var chineseName: String {
        switch self {
        case .repentance: return "确有悔改表现"
        case .merit: return "有立功表现"
        case .repentanceAndMerit: return "确有悔改表现并有立功表现"
        case .majorMerit: return "有重大立功表现"
        case .repentanceAndMajorMerit: return "确有悔改表现并有重大立功表现"
        }
    }

    public var isMajorMerit: Bool { self == .majorMerit || self == .repentanceAndMajorMerit }
}

/// Facts about a prisoner that change the commutation and parole rules, by stable identifier. The commutation rule pack
/// names each (with the regimes it puts the prisoner in); an execution record may carry them.
public enum PrisonerCategory: String, Sendable, Codable, Hashable, CaseIterable {
    case dutyCrime, financialCrime, organisedCrime, stateSecurity, terrorism, drugGroupLeader, recidivist, ableButNotPaying
    case violentCrime, multipleTenYearCrimes, multipleCrimes, formerOfficialCorruption, restrictedCommutation, lifetimeImprisonment
    case minor, elderlyOrInfirm, crimeDuringReprieve, noRemorse
}
