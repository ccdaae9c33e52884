/// What one defendant was sentenced to, reduced to what comparing sentences needs: a term in months, no custody at all
/// (免予刑事处罚 or a fine alone), life imprisonment, or death (with or without a two-year reprieve).
///
/// CAIL2018 and the sentencing engine count 拘役 and 管制 in months beside 有期徒刑; so does this type.
public enum SentenceOutcome: Sendable, Codable, Hashable {
    case term(months: Int)
    case nonCustodial
    case life
    case death

    /// Months of the term; 0 for no custody; `nil` for life and death, which no number of months stands for.
    public var months: Int? {
        switch self {
        case .term(let months): months
        case .nonCustodial: 0
        case .life, .death: nil
        }
    }

    /// The outcome of a sentence the judgment reader read, or `nil` when it read no principal penalty.
    public init?(_ defendant: ExtractedDefendant) {
        switch defendant.principalPenalty {
        case "无期徒刑": self = .life
        case "死刑", "死刑缓期二年执行": self = .death
        case "免予刑事处罚", "单处罚金": self = .nonCustodial
        case "有期徒刑", "拘役", "管制":
            guard let months = defendant.termMonths else { return nil }
            self = .term(months: months)
        default: return nil
        }
    }

    /// How a supervisor reads it: 有期徒刑3年6个月 is written by months here (42个月), because the distributions compare months.
    public var chineseDescription: String {
        switch self {
        case .term(let months): "\(months)个月"
        case .nonCustodial: "免予刑事处罚或单处罚金"
        case .life: "无期徒刑"
        case .death: "死刑（含死缓）"
        }
    }
}
