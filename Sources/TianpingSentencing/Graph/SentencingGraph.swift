import Foundation
import TianpingCore
import TianpingRules

/// The sentencing knowledge graph as data: crimes with their statutory bands and starting-point ranges, circumstances
/// with their ratio ranges and tiers, amount and drug thresholds, probation rules, the platform's own assumptions and
/// the confirmations people have given to grade-C items.
///
/// The graph is read from JSON (the bundled national file, or a province's own file with its chosen values) so that a
/// reviewer can check every number against its cited source without reading Swift.
public struct SentencingGraph: Sendable, Codable, Hashable {
    public var id: String
    public var version: String
    public var title: String
    public var docNo: String
    /// The guideline's effective date: a judgment decided earlier is estimated for information only.
    public var inForce: CalendarDate
    /// The judge's overall discretion (0.20): a result may move by this share either way.
    public var discretion: Double
    public var discretionBasis: String
    public var note: String?
    public var sources: [String: String]
    public var assumptions: [Assumption]
    public var circumstances: [CircumstanceRule]
    public var stacking: PleaStacking
    public var thresholds: [AmountThresholds]
    public var drugs: [DrugThresholds]
    public var crimes: [CrimeRule]
    public var probation: ProbationRule
    /// Grade-C items a named person has checked against the official or provincial text; only these may alert.
    public var confirmations: [Confirmation]

    public struct Assumption: Sendable, Codable, Hashable {
        public var id: String
        public var grade: ConfidenceGrade
        public var text: String
    }

    public struct CircumstanceRule: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        /// Names the text extractor and the exchange format use for this circumstance (`自首`, `认罪认罚` …).
        public var aliases: [String]?
        /// Signed share of the benchmark (−0.4 = reduce by 40 %); `nil` for a statutory circumstance without a ratio.
        public var min: Double?
        public var max: Double?
        /// `first` is applied multiplicatively before the summed `second` tier (G2021 二(三)).
        public var tier: Tier
        public var mandatory: Bool?
        /// A statutory ground that allows a sentence below the band's minimum (减轻处罚).
        public var belowMinimum: Bool?
        /// For lighter crimes the reduction may exceed the cap or the penalty be exempted.
        public var lighterCrimeExempt: Bool?
        /// Not credited when one of these is credited (当庭认罪 after 自首 or 坦白).
        public var excludedIf: [String]?
        /// At least this many months for an increase (累犯).
        public var minMonths: Double?
        /// The circumstance has no ratio in the guideline (犯罪中止): no estimate is made with it.
        public var noRatio: Bool?
        public var grade: ConfidenceGrade
        public var basis: String

        public enum Tier: String, Sendable, Codable, Hashable { case first, second }
        public var midpoint: Double? { min.flatMap { lo in max.map { (lo + $0) / 2 } } }
    }

    /// 认罪认罚 is not counted twice with the circumstances it absorbs; with some of them the combined cap is 60 %.
    public struct PleaStacking: Sendable, Codable, Hashable {
        public var plea: String
        public var pleaPlus: String
        public var pleaPlusWith: [String]
        public var absorbedByPlea: [String]
        public var basis: String
    }

    public struct AmountThresholds: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var source: String
        public var article: String
        public var grade: ConfidenceGrade
        public var effectiveFrom: CalendarDate
        public var note: String?
        public var levels: [Level]
        /// The province's chosen values (one per level), with the province and date; without them the national range
        /// decides only when the amount is outside it.
        public var chosen: Chosen?

        public struct Level: Sendable, Codable, Hashable {
            public var level: Int
            public var name: String
            public var min: Double
            public var max: Double
        }

        public struct Chosen: Sendable, Codable, Hashable {
            public var province: String
            public var document: String
            public var effectiveFrom: CalendarDate
            public var values: [Double]
        }
    }

    public struct DrugThresholds: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var words: [String]
        public var relativelyLargeGrams: Double
        public var largeGrams: Double
        public var grade: ConfidenceGrade
        public var basis: String
    }

    public struct CrimeRule: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        /// Other names of the charge (CAIL2018 labels without 罪, bracketed forms).
        public var labels: [String]
        public var article: String
        /// The paragraph (款) of the article, where the crime has one of its own.
        public var paragraph: Int?
        public var measure: Measure
        /// Id of the amount thresholds that pick the band, when the law states them in numbers.
        public var thresholds: String?
        /// Thresholds of a kindred crime used for an estimate when the graph holds none of this crime's own
        /// (合同诈骗罪 → 诈骗罪): platform assumption `threshold-analogy`, grade C, the band is never certain.
        public var analogy: String?
        public var grade: ConfidenceGrade
        public var source: String
        public var bands: [Band]
        /// Crimes outside the 2021 Guideline: statutory bands only, no starting points.
        public var statutoryOnly: Bool?
        /// The band of the basic offence when a lighter band (情节较轻) comes first (故意杀人罪, 绑架罪).
        public var defaultBand: Int?
        /// Circumstances that are a statutory ground for going below the minimum for this crime only (非法吸收公众存款罪:
        /// restitution before indictment, 刑法 176(3)).
        public var belowMinimumAlso: [String]?
        /// Ratios this crime sets for a circumstance in place of the general ones.
        public var ratioOverrides: [String: RatioOverride]?

        public struct RatioOverride: Sendable, Codable, Hashable {
            public var min: Double
            public var max: Double
            public var basis: String
            public var grade: ConfidenceGrade
        }

        /// `刑法第341条第二款`.
        public var citation: String { "刑法第\(article)条" + (paragraph.map { "第\(SentencingGraph.chineseOrdinal($0))款" } ?? "") }

        public enum Measure: String, Sendable, Codable, Hashable { case none, amount, drug, injury, bloodAlcohol }
    }

    /// One statutory band (法定刑幅度) and its starting-point range (量刑起点).
    public struct Band: Sendable, Codable, Hashable {
        /// Statutory minimum and maximum in months (有期徒刑; 0 when 拘役 or 管制 are allowed).
        public var min: Double
        public var max: Double
        /// 拘役 is one of the band's penalties (then the lowest sentence is one month).
        public var detention: Bool?
        /// The band is 拘役 only (危险驾驶罪).
        public var detentionOnly: Bool?
        /// Life imprisonment is possible above the maximum.
        public var lifeOrDeath: Bool?
        /// The death penalty is possible too.
        public var death: Bool?
        /// A phrase selects this band only as a possibility (交通肇事罪: 逃逸 may be an element of the basic offence).
        public var cueUncertain: Bool?
        /// Injury outcomes that put a case into this band besides `injury`.
        public var injuries: [Injury]?
        /// The guideline sets no starting point for this band (危险驾驶罪: a pronounced sentence of 1–6 months 拘役).
        public var noStart: Bool?
        public var note: String?
        /// Starting-point range in months; `startMin` absent means "拘役 or up to `startMax`".
        public var startMin: Double?
        public var startMax: Double?
        public var trigger: String
        /// Phrases in the facts that put a case into this band (逃逸, 数额巨大 …).
        public var cues: [String]?
        public var injury: Injury?
        /// 0 = below 数量较大, 1 = 数量较大, 2 = 数量大.
        public var drugLevel: Int?
        public var grade: ConfidenceGrade
    }

    public struct ProbationRule: Sendable, Codable, Hashable {
        public var basis: String
        public var maxSentenceMonths: Int
        public var excluded: [String]
        /// How a judgment names the excluded (累犯, 犯罪集团的首要分子).
        public var excludedNames: [String]
        public var detentionPeriodMinMonths: Int
        public var detentionPeriodMaxMonths: Int
        public var fixedTermPeriodMinMonths: Int
        public var fixedTermPeriodMaxMonths: Int
        public var grade: ConfidenceGrade
    }

    /// A person's confirmation of a grade-C item (`crime:rape/band:0`, `circumstance:…`, `thresholds:…`).
    public struct Confirmation: Sendable, Codable, Hashable {
        public var item: String
        public var by: String
        public var at: CalendarDate
        public var checkedAgainst: String
    }
}

extension SentencingGraph {
    /// The national graph bundled with the platform (2021 Guideline).
    public static func bundled() throws -> SentencingGraph {
        guard let url = Bundle.module.url(forResource: "sentencing-2021", withExtension: "json", subdirectory: "Resources") else {
            throw SentencingError.invalidGraph("量刑知识图谱文件缺失（sentencing-2021.json）")
        }
        return try load(Data(contentsOf: url))
    }

    /// Reads and checks a graph: every ratio range ordered, every band's start inside the band, ids unique.
    public static func load(_ data: Data) throws -> SentencingGraph {
        let graph: SentencingGraph
        do { graph = try JSONDecoder().decode(SentencingGraph.self, from: data) } catch {
            throw SentencingError.invalidGraph("量刑知识图谱无法读取：\(error)")
        }
        try graph.validate()
        return graph
    }

    func validate() throws {
        var problems: [String] = []
        var ids = Set<String>()
        for c in circumstances {
            if !ids.insert("circumstance:" + c.id).inserted { problems.append("情节 \(c.id) 重复") }
            if let lo = c.min, let hi = c.max, lo > hi { problems.append("情节 \(c.id) 比例下限大于上限") }
            if c.noRatio != true, c.min == nil || c.max == nil { problems.append("情节 \(c.id) 缺少比例") }
        }
        for crime in crimes {
            if !ids.insert("crime:" + crime.id).inserted { problems.append("罪名 \(crime.id) 重复") }
            if crime.bands.isEmpty { problems.append("罪名 \(crime.id) 没有法定刑幅度") }
            if let t = crime.analogy, !thresholds.contains(where: { $0.id == t }) { problems.append("罪名 \(crime.id) 类比的数额标准 \(t) 不存在") }
            if let t = crime.thresholds, !thresholds.contains(where: { $0.id == t }) { problems.append("罪名 \(crime.id) 引用了不存在的数额标准 \(t)") }
            if let d = crime.defaultBand, !crime.bands.indices.contains(d) { problems.append("罪名 \(crime.id) 默认档次不存在") }
            for (i, b) in crime.bands.enumerated() {
                if b.min > b.max { problems.append("罪名 \(crime.id) 第\(i + 1)档法定刑下限大于上限") }
                if let hi = b.startMax, hi > b.max || hi < b.min { problems.append("罪名 \(crime.id) 第\(i + 1)档起点超出法定刑") }
                if let lo = b.startMin, lo < b.min || lo > (b.startMax ?? b.max) { problems.append("罪名 \(crime.id) 第\(i + 1)档起点下限不在法定刑内") }
            }
        }
        let known = Set(circumstances.map(\.id))
        for id in stacking.pleaPlusWith + stacking.absorbedByPlea + [stacking.plea, stacking.pleaPlus] where !known.contains(id) {
            problems.append("认罪认罚规则引用了不存在的情节 \(id)")
        }
        if !(0...0.5).contains(discretion) { problems.append("裁量幅度 \(discretion) 不合理") }
        if !problems.isEmpty { throw SentencingError.invalidGraph("量刑知识图谱有误：" + problems.joined(separator: "；")) }
    }

    /// The crime a charge names: its official name with or without 罪, a CAIL label, or a bracketed form.
    public func crime(named raw: String) -> CrimeRule? {
        let name = Self.normalise(raw)
        return crimes.first { c in
            Self.normalise(c.name) == name || c.labels.contains { Self.normalise($0) == name }
        }
    }

    /// A circumstance by id, Chinese name or alias.
    public func circumstance(named raw: String) -> CircumstanceRule? {
        let name = raw.trimmingCharacters(in: .whitespaces)
        return circumstances.first { $0.id == name || $0.name == name || ($0.aliases ?? []).contains(name) }
    }

    /// Whether a person has confirmed this grade-C item.
    public func isConfirmed(_ item: String) -> Bool { confirmations.contains { $0.item == item } }

    static func chineseOrdinal(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return n >= 0 && n <= 10 ? digits[n] : String(n)
    }

    static func normalise(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
            .replacingOccurrences(of: " ", with: "")
        if t.hasSuffix("罪") { t.removeLast() }
        return t
    }
}

public enum SentencingError: Error, CustomStringConvertible, Sendable {
    case invalidGraph(String)
    case unknownCrime(String)
    case unknownCircumstance(String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidGraph(let m): return m
        case .unknownCrime(let c): return "量刑知识图谱中没有罪名“\(c)”（可用 `tianping sentence --list` 查看已收录罪名）"
        case .unknownCircumstance(let c): return "量刑知识图谱中没有情节“\(c)”"
        case .invalidInput(let m): return m
        }
    }
}
