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
