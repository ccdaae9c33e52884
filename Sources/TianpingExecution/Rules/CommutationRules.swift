import Foundation
import TianpingCore
import TianpingRules

/// The commutation and parole rules (减刑、假释) as data: SPC-2016 and SPC-2019's tables, the statutory floors of 刑法 78,
/// parole's thresholds and bars, each row with its citation and grade. A province may override a row within the national
/// ranges by loading its own file; the calculator never holds a number of its own.
public struct CommutationRules: Sendable, Codable, Hashable {
    public var id: String
    public var version: String
    public var title: String
    public var note: String
    public var sources: [Source]
    public var schedules: [Schedule]
    public var floors: [Floor]
    public var parole: Parole
    public var relaxation: Relaxation
    public var newCrimeBar: NewCrimeBar
    public var supersedes: Supersession
    public var inForce: InForce
    /// Open-hearing grounds the calculator cannot know (objections, public attention), named beside its own.
    public var hearingAlso: String
    public var categories: [Category]
    public var categoryDerivation: CategoryDerivation

    public struct Source: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var docNo: String
        public var inForce: String
        public var grade: ConfidenceGrade
    }

    /// Which table of a regime applies: the original fixed term, life, death with reprieve (after reduction to life), or a
    /// fixed term a life or reprieve sentence was reduced to.
    public enum Phase: String, Sendable, Codable, Hashable {
        case fixedTerm, life, deathReprieve, afterReductionToFixedTerm
    }

    /// A group of prisoners with its own tables: everyone (ordinary), SPC-2016 Art. 7/9/11's listed groups, SPC-2019's
    /// former officials convicted of corruption or bribery, and reprieves with restricted commutation (刑法 50(2)).
    public enum Regime: String, Sendable, Codable, Hashable, CaseIterable {
        case ordinary, listed, formerOfficialCorruption, restricted
    }

    /// One row of a table: for a regime, phase and (fixed terms) term band, when the first commutation may come, the
    /// interval, the largest reduction by grounds or the term a life sentence may be reduced to.
    public struct Schedule: Sendable, Codable, Hashable {
        public var id: String
        public var regime: Regime
        public var phase: Phase
        /// For `afterReductionToFixedTerm`: the original sentence the row is for (nil: both life and reprieve).
        public var origin: Phase?
        public var termMonthsAtLeast: Int?
        public var termMonthsBelow: Int?
        public var firstAfterMonths: Int?
        public var intervalMonths: Int?
        public var maxReductionMonths: [String: Int]?
        /// Life and reprieve: the fixed term (months) the first commutation may reduce to, `[lowest, highest]`.
        public var reduceToMonths: [String: [Int]]?
        public var minimumTermAfterReductionMonths: Int?
        /// Major meritorious service frees the commutation from the start and interval limits (SPC-2016 Art. 6(4) …).
        public var majorMeritBypass: Bool
        public var citation: String
        public var grade: ConfidenceGrade
        public var note: String?
        /// Rows this one replaces where both apply (SPC-2019 Art. 7 over SPC-2016; Art. 14 over Art. 11), and why.
        public var replaces: [String]?
        public var replacesCitation: String?
        /// Major merit may shorten the interval (SPC-2016 Art. 14), which needs reasons, rather than free it.
        public var majorMeritMayShortenInterval: Bool?
        /// The grade of reading a grounds tier the text does not name (SPC-2019 has no "repentance and major merit").
        public var tierReadingGrade: ConfidenceGrade?

        func covers(termMonths: Int) -> Bool {
            (termMonthsAtLeast.map { termMonths >= $0 } ?? true) && (termMonthsBelow.map { termMonths < $0 } ?? true)
        }
    }

    /// The least time actually served after every commutation (刑法 78(2)).
    public struct Floor: Sendable, Codable, Hashable {
        public var id: String
        public var sentences: [OriginalSentence]
        public var restricted: Bool?
        public var reprievedTo: ReprieveOutcome?
        public var fractionOfOriginalTerm: Double?
        public var months: Int?
        public var countedFrom: String
        public var citation: String
        public var grade: ConfidenceGrade
        public var note: String?
    }

    public struct Parole: Sendable, Codable, Hashable {
        public var fixedTermFraction: Double
        public var fixedTermCitation: String
        public var lifeMonths: Int
        public var lifeCitation: String
        public var reprieveMonths: Int
        public var reprieveCitation: String
        public var intervalMonths: Int
        public var intervalAfterLargeCutMonths: Int
        public var largeCutMonths: Int
        public var intervalCitation: String
        public var barCitation: String
        public var grade: ConfidenceGrade
    }

    /// Minors and the old, ill or disabled: start and interval may shorten, reductions widen, by at most this fraction.
    public struct Relaxation: Sendable, Codable, Hashable {
        /// At most 1/`divisor` of a time or a size (3: a third), counted in whole months.
        public var divisor: Int
        public var citation: String
        public var grade: ConfidenceGrade
        public var note: String?

        /// The shortest a start or interval of `months` may become.
        public func shortened(_ months: Int) -> Int { months - months / divisor }
        /// The largest a cut capped at `months` may become.
        public func widened(_ months: Int) -> Int { months + months / divisor }
    }

    public struct NewCrimeBar: Sendable, Codable, Hashable {
        public var afterFixedTermMonths: Int
        public var afterLifeMonths: Int
        public var duringReprieveMonths: Int
        public var citation: String
        public var grade: ConfidenceGrade
    }

    /// Categories whose listing SPC-2019 takes over for former officials (职务犯罪: Art. 7, where they differ, it prevails);
    /// a listing on another ground (累犯, 数罪并罚) stays.
    public struct Supersession: Sendable, Codable, Hashable {
        public var formerOfficialCorruption: [String]
        public var citation: String
    }

    /// When the rules took effect: a proposal reported earlier is not checked against them.
    public struct InForce: Sendable, Codable, Hashable {
        public var rules: CalendarDate
        public var rulesCitation: String
        public var formerOfficialCorruption: CalendarDate
        public var formerOfficialCorruptionCitation: String
    }

    /// A fact about the prisoner that changes the tables (累犯, 职务犯罪 …), with the regimes it puts the prisoner in.
    public struct Category: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var regimes: [Regime]
        /// The sentences for which the category counts (`fixedTermUpTo10`, `fixedTerm10Plus`, `life`, `deathReprieve`);
        /// nil: all.
        public var appliesTo: [String]?
        public var mandatoryHearing: Bool?
        public var barsParole: Bool?
        public var paroleBarCitation: String?
        /// Charges (as judgments name them) and circumstances (累犯) that put a convict in the category without the
        /// execution record saying so.
        public var charges: [String]?
        public var circumstances: [String]?
        /// Limits on reading the category from a judgment (a violent crime's own sentence must be ten years or more).
        public var derivation: Derivation?
        /// Minors, the old and the infirm: start, interval and size may be relaxed (SPC-2016 Art. 19–20) …
        public var relaxation: Bool?
        public var relaxationCitation: String?
        /// … unless one of these categories is present too (Art. 19 excludes 刑法 81(2)'s cases).
        public var excludedBy: [String]?
        /// The category counts only with these (拒不认罪悔罪 is SPC-2019's, for former officials).
        public var requires: [String]?
        public var note: String?
    }

    public struct Derivation: Sendable, Codable, Hashable {
        /// Read from a judgment only when it has one charge, so that its term is the crime's own.
        public var singleChargeOnly: Bool
        public var minimumTermMonths: Int
        public var note: String
    }

    /// How categories are read from judgments, and how far that reading is trusted.
    public struct CategoryDerivation: Sendable, Codable, Hashable {
        public var note: String
        public var grade: ConfidenceGrade
    }

    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }

    /// The categories a judgment's charges and circumstances show (an execution record's own list is added to these).
    public func categories(charges: [String], circumstances: [String], termMonths: Int?, life: Bool) -> [String] {
        categories.filter { c in
            guard (c.charges ?? []).contains(where: charges.contains) || (c.circumstances ?? []).contains(where: circumstances.contains) else {
                return false
            }
            guard let d = c.derivation else { return true }
            return (!d.singleChargeOnly || charges.count == 1) && (life || (termMonths ?? 0) >= d.minimumTermMonths)
        }.map(\.id)
    }
}

extension CommutationRules {
    /// The national rules bundled with the platform.
    public static func bundled() throws -> CommutationRules {
        guard let url = Bundle.module.url(forResource: "commutation-parole", withExtension: "json", subdirectory: "Resources") else {
            throw CommutationError.invalidRules("减刑假释规则包文件缺失（commutation-parole.json）")
        }
        return try load(Data(contentsOf: url))
    }

    /// Reads and checks a rule file: ids unique, every grounds named in every table, ranges ordered.
    public static func load(_ data: Data) throws -> CommutationRules {
        let rules: CommutationRules
        do { rules = try JSONDecoder().decode(CommutationRules.self, from: data) } catch {
            throw CommutationError.invalidRules("减刑假释规则包无法读取：\(error)")
        }
        try rules.validate()
        return rules
    }

    func validate() throws {
        var problems: [String] = []
        var ids = Set<String>()
        for s in schedules {
            if !ids.insert(s.id).inserted { problems.append("规则 \(s.id) 重复") }
            for g in CommutationGrounds.allCases {
                if let caps = s.maxReductionMonths, caps[g.rawValue] == nil { problems.append("规则 \(s.id) 缺少“\(g.chineseName)”的幅度") }
                if let ranges = s.reduceToMonths {
                    guard let r = ranges[g.rawValue], r.count == 2, r[0] <= r[1] else {
                        problems.append("规则 \(s.id) “\(g.chineseName)”的减为刑期应为 [下限, 上限]")
                        continue
                    }
                }
            }
            if s.citation.isEmpty { problems.append("规则 \(s.id) 没有出处") }
        }
        for c in categories {
            if !ids.insert("category:" + c.id).inserted { problems.append("类别 \(c.id) 重复") }
            if PrisonerCategory(rawValue: c.id) == nil { problems.append("类别 \(c.id) 不是平台的罪犯类别标识（PrisonerCategory）") }
        }
        guard problems.isEmpty else { throw CommutationError.invalidRules(problems.joined(separator: "；")) }
    }
}

/// What went wrong, in Chinese, for the person who typed it.
public enum CommutationError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidRules(String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidRules(let m): return m
        case .invalidInput(let m): return m
        }
    }
}
