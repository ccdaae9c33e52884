import TianpingCore

/// The sentence a prisoner serves, as the judgment pronounced it.
public enum OriginalSentence: String, Sendable, Codable, Hashable, CaseIterable {
    case fixedTerm, criminalDetention, publicSurveillance, life, deathReprieve

    public var chineseName: String {
        switch self {
        case .fixedTerm: return "有期徒刑"
        case .criminalDetention: return "拘役"
        case .publicSurveillance: return "管制"
        case .life: return "无期徒刑"
        case .deathReprieve: return "死刑缓期二年执行"
        }
    }

    /// A sentence measured in months (the others are reduced to a term by their first commutation).
    public var isTerm: Bool { self == .fixedTerm || self == .criminalDetention || self == .publicSurveillance }
}

/// What a death sentence with reprieve became when the two years ran out (刑法 50(1)).
public enum ReprieveOutcome: String, Sendable, Codable, Hashable {
    /// Reduced to life imprisonment (no intentional crime during the reprieve).
    case life
    /// Reduced to 25 years for verified major meritorious service.
    case fixedTerm
}

/// A commutation already granted, as its ruling says.
public struct PastCommutation: Sendable, Codable, Hashable {
    /// The day the ruling was made (a life sentence's new term runs from it, 刑法 80).
    public var ruledOn: CalendarDate
    /// The day the ruling was served: the interval to the next proposal runs from here (SPC-2016 Art. 40(2)).
    public var servedOn: CalendarDate
    /// Months cut from a fixed term.
    public var reductionMonths: Int?
    /// The fixed term (months) a life sentence was reduced to.
    public var reducedToMonths: Int?

    public init(ruledOn: CalendarDate, servedOn: CalendarDate, reductionMonths: Int? = nil, reducedToMonths: Int? = nil) {
        self.ruledOn = ruledOn
        self.servedOn = servedOn
        self.reductionMonths = reductionMonths
        self.reducedToMonths = reducedToMonths
    }
}

/// A commutation an executing organ proposes (or a court decided), to be checked against the rules.
public struct ProposedCommutation: Sendable, Codable, Hashable {
    /// The day the executing organ submitted it (报请之日, the end of the interval).
    public var reportedOn: CalendarDate
    public var grounds: CommutationGrounds
    public var reductionMonths: Int?
    public var reducedToMonths: Int?

    public init(reportedOn: CalendarDate, grounds: CommutationGrounds, reductionMonths: Int? = nil, reducedToMonths: Int? = nil) {
        self.reportedOn = reportedOn
        self.grounds = grounds
        self.reductionMonths = reductionMonths
        self.reducedToMonths = reducedToMonths
    }
}

/// Everything the calculator needs about one prisoner: the sentence, the dates it counts from, the categories that make
/// the rules stricter, the commutations so far and, optionally, a proposal to check.
public struct CommutationQuery: Sendable, Codable, Hashable {
    public var sentence: OriginalSentence
    /// The pronounced term in months (有期徒刑, 拘役, 管制).
    public var termMonths: Int?
    /// Ids of `CommutationRules.categories` (累犯 `recidivist`, 职务犯罪 `dutyCrime` …).
    public var categories: [String]
    /// The first day of the term with custody before judgment credited (the 执行通知书's 刑期起算日).
    public var termStart: CalendarDate?
    /// 判决执行之日: the day the prisoner was delivered to the executing organ (SPC-2016 Art. 40(1)).
    public var executionStart: CalendarDate
    /// Life sentences: the day the judgment took effect (parole counts 13 years from it, SPC-2016 Art. 23(2)).
    public var judgmentEffective: CalendarDate?
    /// Death with reprieve: the day the two years ran out (the term and parole count from it).
    public var reprieveExpired: CalendarDate?
    public var reprievedTo: ReprieveOutcome?
    public var commutations: [PastCommutation]
    /// The day a judgment for a new intentional crime during the sentence became final, and whether it gave life.
    public var newCrimeFinal: CalendarDate?
    public var newCrimeLife: Bool?
    /// The grounds the next commutation would rest on (the proposal's, when one is given).
    public var grounds: CommutationGrounds?
    public var proposal: ProposedCommutation?

    public init(sentence: OriginalSentence, termMonths: Int? = nil, categories: [String] = [], termStart: CalendarDate? = nil,
        executionStart: CalendarDate, judgmentEffective: CalendarDate? = nil, reprieveExpired: CalendarDate? = nil,
        reprievedTo: ReprieveOutcome? = nil, commutations: [PastCommutation] = [], newCrimeFinal: CalendarDate? = nil,
        newCrimeLife: Bool? = nil, grounds: CommutationGrounds? = nil, proposal: ProposedCommutation? = nil)
    {
        self.sentence = sentence
        self.termMonths = termMonths
        self.categories = categories
        self.termStart = termStart
        self.executionStart = executionStart
        self.judgmentEffective = judgmentEffective
        self.reprieveExpired = reprieveExpired
        self.reprievedTo = reprievedTo
        self.commutations = commutations
        self.newCrimeFinal = newCrimeFinal
        self.newCrimeLife = newCrimeLife
        self.grounds = grounds
        self.proposal = proposal
    }

    /// Lists that are absent read as empty: a query names only what it knows.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(sentence: try c.decode(OriginalSentence.self, forKey: .sentence), termMonths: try c.decodeIfPresent(Int.self, forKey: .termMonths),
            categories: try c.decodeIfPresent([String].self, forKey: .categories) ?? [],
            termStart: try c.decodeIfPresent(CalendarDate.self, forKey: .termStart), executionStart: try c.decode(CalendarDate.self, forKey: .executionStart),
            judgmentEffective: try c.decodeIfPresent(CalendarDate.self, forKey: .judgmentEffective),
            reprieveExpired: try c.decodeIfPresent(CalendarDate.self, forKey: .reprieveExpired),
            reprievedTo: try c.decodeIfPresent(ReprieveOutcome.self, forKey: .reprievedTo),
            commutations: try c.decodeIfPresent([PastCommutation].self, forKey: .commutations) ?? [],
            newCrimeFinal: try c.decodeIfPresent(CalendarDate.self, forKey: .newCrimeFinal), newCrimeLife: try c.decodeIfPresent(Bool.self, forKey: .newCrimeLife),
            grounds: try c.decodeIfPresent(CommutationGrounds.self, forKey: .grounds), proposal: try c.decodeIfPresent(ProposedCommutation.self, forKey: .proposal))
    }
}
