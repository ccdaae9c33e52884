/// The facts of a crime that sentencing turns on (amount, drug quantity, injury, blood alcohol, the phrases that
/// select a statutory band), as a judgment records them. Every field is optional: the sentencing calculator names
/// what is missing and raises no alert without it.
public struct SentencingFacts: Sendable, Codable, Hashable {
    /// The crime amount in yuan (盗窃、诈骗数额 …).
    public var amountYuan: Double?
    /// Drug quantity in grams and the drug (`海洛因`, `甲基苯丙胺` …).
    public var drugGrams: Double?
    public var drug: String?
    public var injury: Injury?
    /// Blood alcohol in mg/100 ml (醉驾).
    public var bloodAlcohol: Double?
    /// Phrases found in the facts that select a band (`逃逸`, `入户抢劫`, `数额巨大` …).
    public var cues: [String]

    public init(amountYuan: Double? = nil, drugGrams: Double? = nil, drug: String? = nil, injury: Injury? = nil,
        bloodAlcohol: Double? = nil, cues: [String] = [])
    {
        self.amountYuan = amountYuan
        self.drugGrams = drugGrams
        self.drug = drug
        self.injury = injury
        self.bloodAlcohol = bloodAlcohol
        self.cues = cues
    }

    /// Bounds beyond which a value cannot be a real case's (and would overflow arithmetic): 10 trillion yuan,
    /// 100 tonnes of drugs, 1,000 mg/100 ml of blood alcohol.
    public static let maximumAmountYuan = 1e13
    public static let maximumDrugGrams = 1e8
    public static let maximumBloodAlcohol = 1000.0

    /// What is wrong with these facts, in Chinese, or `nil` when they are plausible.
    public var problem: String? {
        func check(_ v: Double?, _ name: String, _ limit: Double) -> String? {
            guard let v else { return nil }
            if !v.isFinite || v < 0 { return "\(name)应为非负数" }
            if v > limit { return "\(name)超出合理范围（不超过\(Int(limit))）" }
            return nil
        }
        return check(amountYuan, "犯罪数额", Self.maximumAmountYuan) ?? check(drugGrams, "毒品数量", Self.maximumDrugGrams)
            ?? check(bloodAlcohol, "血液酒精含量", Self.maximumBloodAlcohol)
    }

    enum CodingKeys: String, CodingKey { case amountYuan, drugGrams, drug, injury, bloodAlcohol, cues }

    /// `cues` may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(amountYuan: try c.decodeIfPresent(Double.self, forKey: .amountYuan),
            drugGrams: try c.decodeIfPresent(Double.self, forKey: .drugGrams), drug: try c.decodeIfPresent(String.self, forKey: .drug),
            injury: try c.decodeIfPresent(Injury.self, forKey: .injury), bloodAlcohol: try c.decodeIfPresent(Double.self, forKey: .bloodAlcohol),
            cues: try c.decodeIfPresent([String].self, forKey: .cues) ?? [])
    }
}


/// Outcome of an injury crime that picks the band.
public enum Injury: String, Sendable, Codable, Hashable, CaseIterable {
    case minor, serious, death

    public var chineseName: String {
        switch self {
        case .minor: return "轻伤"
        case .serious: return "重伤"
        case .death: return "死亡"
        }
    }
}
