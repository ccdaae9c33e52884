/// The principal penalty (主刑) or outcome imposed on one defendant.
public enum PrincipalPenalty: String, Codable, Sendable, CaseIterable {
    case death  // 死刑立即执行
    case deathWithReprieve = "death_with_reprieve"  // 死刑缓期二年执行
    case lifeImprisonment = "life_imprisonment"  // 无期徒刑
    case fixedTermImprisonment = "fixed_term_imprisonment"  // 有期徒刑
    case criminalDetention = "criminal_detention"  // 拘役
    case publicSurveillance = "public_surveillance"  // 管制
    case fineOnly = "fine_only"  // 单处罚金
    case exemptFromPunishment = "exempt_from_punishment"  // 免予刑事处罚
    case acquitted  // 无罪

    public var chineseName: String {
        switch self {
        case .death: return "死刑"
        case .deathWithReprieve: return "死刑缓期二年执行"
        case .lifeImprisonment: return "无期徒刑"
        case .fixedTermImprisonment: return "有期徒刑"
        case .criminalDetention: return "拘役"
        case .publicSurveillance: return "管制"
        case .fineOnly: return "单处罚金"
        case .exemptFromPunishment: return "免予刑事处罚"
        case .acquitted: return "无罪"
        }
    }

    /// Statutory range of the term in months (刑法 33, 38, 42, 45, 69), for plausibility checks.
    public var termRangeInMonths: ClosedRange<Int>? {
        switch self {
        case .fixedTermImprisonment: return 6...300  // 6 months–15 years; up to 25 years when combined (刑法 69)
        case .criminalDetention: return 1...12  // 1–6 months; up to 1 year when combined
        case .publicSurveillance: return 3...36  // 3 months–2 years; up to 3 years when combined
        default: return nil
        }
    }
}

/// A court's decision on one defendant (判决结果, per defendant).
public struct Judgment: Hashable, Sendable, Codable {
    /// The defendant's person id.
    public var defendant: String
    /// The court's 案号.
    public var caseNumber: String
    /// 1 = first instance, 2 = second instance; retrials use the instance of the court that retries.
    public var instance: Int
    public var court: String
    public var decidedAt: Timestamp
    public var charges: [String]
    public var principalPenalty: PrincipalPenalty
    /// Term in months for 有期徒刑, 拘役 and 管制.
    public var termMonths: Int?
    /// Probation (缓刑考验期) in months, if the sentence is suspended.
    public var probationMonths: Int?
    /// Fine (罚金) in yuan.
    public var fineYuan: Int?
    /// Sentencing circumstances the court found (自首, 坦白, 累犯, 认罪认罚 …).
    public var circumstances: [String]
    /// The facts the sentence turns on (amount, drug quantity, injury …), when the court's system shares them.
    public var facts: SentencingFacts?

    public init(defendant: String, caseNumber: String, instance: Int, court: String, decidedAt: Timestamp,
        charges: [String], principalPenalty: PrincipalPenalty, termMonths: Int? = nil, probationMonths: Int? = nil,
        fineYuan: Int? = nil, circumstances: [String] = [], facts: SentencingFacts? = nil)
    {
        self.defendant = defendant
        self.caseNumber = caseNumber
        self.instance = instance
        self.court = court
        self.decidedAt = decidedAt
        self.charges = charges
        self.principalPenalty = principalPenalty
        self.termMonths = termMonths
        self.probationMonths = probationMonths
        self.fineYuan = fineYuan
        self.circumstances = circumstances
        self.facts = facts
    }
}
