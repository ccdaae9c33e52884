import Foundation
import TianpingCore
import TianpingRules

/// The rules of the judgment-outcome family (裁判结果风险): what each checks and why. Listed with the procedural rules
/// in the workbench's rule catalogue.
public struct SentencingRuleInfo: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var citation: String
    public var kind: FindingKind
    public var severity: Severity
}

public enum SentencingRules {
    public static let belowMinimum = SentencingRuleInfo(id: "SENT-BELOW-MINIMUM", name: "低于法定最低刑且无减轻处罚情节",
        description: "宣告刑低于所属法定刑幅度的最低刑，所报送的情节中未见法定减轻处罚情节：除其他法定减轻事由外须经最高人民法院核准，提示核查。",
        citation: "《刑法》第六十三条", kind: .signal, severity: .high)
    public static let beyondCap = SentencingRuleInfo(id: "SENT-BEYOND-CAP", name: "从宽幅度超出量刑情节比例上限",
        description: "宣告刑低于以量刑起点下限、各情节比例上限和20%裁量幅度计算的最低值：从宽幅度超出指导意见。",
        citation: "《关于常见犯罪的量刑指导意见（试行）》第二、三部分", kind: .signal, severity: .medium)
    public static let aboveBand = SentencingRuleInfo(id: "SENT-ABOVE-BAND", name: "高于所属法定刑幅度",
        description: "单罪宣告刑高于所报送的数额、数量或后果对应的法定刑幅度最高刑：核查判决认定的加重情节或数罪并罚。",
        citation: "《刑法》分则相应条文；《关于常见犯罪的量刑指导意见（试行）》第二部分", kind: .signal, severity: .low)
    public static let probationTerm = SentencingRuleInfo(id: "SENT-PROBATION-TERM", name: "缓刑适用于三年以上有期徒刑",
        description: "宣告缓刑的，原判刑罚应为拘役或者三年以下有期徒刑。", citation: "《刑法》第七十二条第一款", kind: .violation, severity: .high)
    public static let probationRecidivist = SentencingRuleInfo(id: "SENT-PROBATION-RECIDIVIST", name: "对累犯或犯罪集团首要分子宣告缓刑",
        description: "对于累犯和犯罪集团的首要分子，不适用缓刑。", citation: "《刑法》第七十四条", kind: .violation, severity: .high)
    public static let probationPeriod = SentencingRuleInfo(id: "SENT-PROBATION-PERIOD", name: "缓刑考验期不符合法定幅度",
        description: "拘役的缓刑考验期为原判刑期以上一年以下，但不能少于二个月；有期徒刑的缓刑考验期为原判刑期以上五年以下，但不能少于一年。",
        citation: "《刑法》第七十三条", kind: .violation, severity: .medium)
    public static let cohortOutlier = SentencingRuleInfo(id: "SENT-COHORT-OUTLIER", name: "同案不同判（类案刑期离群）",
        description: "同罪名、同一法定刑档次、相近数额或数量、相同量刑情节的已决案件中，本案刑期明显偏离（稳健离群检验），供人工比对。",
        citation: "《最高人民法院关于统一法律适用加强类案检索的指导意见（试行）》", kind: .signal, severity: .low)

    public static let all = [belowMinimum, beyondCap, aboveBand, probationTerm, probationRecidivist, probationPeriod, cohortOutlier]

    public static func info(_ id: String) -> SentencingRuleInfo? { all.first { $0.id == id } }

    /// The family's entries in the platform's ``RuleCatalogue``. The probation rules are statute (grade A); the
    /// others' grade varies per finding (a bound rests on the graph's grade), so it is left to each finding. Every
    /// rule of the family may alert, the review itself keeping grade-C bounds from raising findings.
    public static let catalogueEntries: [CatalogueEntry] = all.map {
        let statute = [probationTerm.id, probationRecidivist.id, probationPeriod.id].contains($0.id)
        return CatalogueEntry(id: $0.id, name: $0.name, description: $0.description, citation: $0.citation,
            grade: statute ? .a : nil, kind: $0.kind,
            severity: $0.severity, family: .sentencing, mayAlert: true)
    }
}

extension RuleCatalogue {
    /// The catalogue of every engine the platform runs: the procedure pack, the sentencing review, any further
    /// engines' rules, and the ledger audit.
    public static func platform(pack: RulePack, more: [[CatalogueEntry]] = []) -> RuleCatalogue {
        RuleCatalogue(pack: pack, families: [SentencingRules.catalogueEntries] + more)
    }
}

/// Reviews the judgments of one case: probation against 刑法 72–74, the sentence against the estimate's alert bounds,
/// and against comparable judgments. Findings carry the rule and the numbers that a person can check.
public struct SentencingReview: Sendable {
    public let calculator: SentencingCalculator

    public init(graph: SentencingGraph) { calculator = SentencingCalculator(graph: graph) }

    /// One judgment as the review measured it: the comparable group it belongs to and its term.
    public struct Measure: Sendable, Hashable {
        public var caseID: String
        public var defendant: String
        public var cohort: String
        public var months: Double
        public var caseNumber: String
        public var court: String
        public var decidedAt: Timestamp

        public init(caseID: String, defendant: String, cohort: String, months: Double, caseNumber: String, court: String, decidedAt: Timestamp) {
            self.caseID = caseID
            self.defendant = defendant
            self.cohort = cohort
            self.months = months
            self.caseNumber = caseNumber
            self.court = court
            self.decidedAt = decidedAt
        }
    }

    public struct Outcome: Sendable {
        public var findings: [Finding]
        public var measures: [Measure]
    }

    /// The latest judgment of each defendant (a second-instance ruling replaces the first).
    static func effective(_ judgments: [Judgment]) -> [Judgment] {
        var latest: [String: Judgment] = [:]
        for j in judgments {
            if let seen = latest[j.defendant], (seen.decidedAt, seen.instance) > (j.decidedAt, j.instance) { continue }
            latest[j.defendant] = j
        }
        return latest.values.sorted { $0.defendant < $1.defendant }
    }

    /// Findings of the case's own judgments, and their measures for the cohort statistics (see ``cohortFindings(_:_:)``).
    ///
    /// Deviation is measured for single-crime sentences of 有期徒刑 only: the Guideline's step method covers those (a
    /// 拘役 outcome need not follow it), and a combined term is not one crime's. A judgment is measured against the rules
    /// in force when the defendant was first sentenced, and only from an estimate that may alert.
    public func review(_ timeline: CaseTimeline) -> Outcome {
        var findings: [Finding] = []
        var measures: [Measure] = []
        for j in Self.effective(timeline.judgments) {
            let anchor = j.defendant + "|" + j.caseNumber
            func finding(_ rule: SentencingRuleInfo, grade: ConfidenceGrade, _ explanation: String) -> Finding {
                Finding(id: Finding.key(rule: rule.id, caseID: timeline.caseID, anchor: anchor), ruleID: rule.id, caseID: timeline.caseID,
                    kind: rule.kind, severity: rule.severity, grade: grade, agency: j.court, person: j.defendant, occurredAt: j.decidedAt,
                    explanation: explanation, citation: rule.citation)
            }
            findings += probation(j).map { finding($0.rule, grade: .a, $0.text) }
            guard let term = j.termMonths, j.principalPenalty == .fixedTermImprisonment,
                let estimate = try? calculator.estimate(judgment: j, among: timeline.judgments), estimate.alertable
            else { continue }
            let actual = Double(term)
            let deviation = calculator.deviation(of: actual, from: estimate)
            let grade = estimate.alertGrade
            measures.append(Measure(caseID: timeline.caseID, defendant: j.defendant, cohort: Self.cohortKey(estimate, facts: j.facts, penalty: j.principalPenalty),
                months: actual, caseNumber: j.caseNumber, court: j.court, decidedAt: j.decidedAt))
            guard deviation.beyondAlertBounds else { continue }
            let range = "拟宣告刑区间\(SentencingCalculator.months(estimate.expected.lower))至\(SentencingCalculator.months(estimate.expected.upper))"
            let head = "\(j.caseNumber) 对被告人判处\(j.principalPenalty.chineseName)\(SentencingCalculator.months(actual))（\(estimate.crime)，第\(estimate.bandIndex + 1)档：\(estimate.band)）"
            if let upper = estimate.alertUpper, actual > upper + 0.05 {
                // Only a band that a reported fact established: a default band may be wrong for want of the fact.
                guard !estimate.bandByDefault else { continue }
                findings.append(finding(SentencingRules.aboveBand, grade: grade,
                    head + "，高于该档法定最高刑\(SentencingCalculator.months(upper))；\(range)。判决若认定了更高一档的情节（如其他严重情节），"
                        + "或系与前罪、漏罪数罪并罚后的决定执行刑期，则属正常；请核查判决认定的档次依据。"))
            } else if actual < estimate.statutoryMin - 0.05, !estimate.mitigationBelowMinimum {
                findings.append(finding(SentencingRules.belowMinimum, grade: grade,
                    head + "，低于该档法定最低刑\(SentencingCalculator.months(estimate.statutoryMin))，所报送的量刑情节中未见法定减轻处罚情节；"
                        + "请核查是否具有其他法定减轻事由或经最高人民法院核准（刑法第六十三条第二款）。\(range)。"))
            } else if let lower = estimate.alertLower {
                let used = estimate.circumstances.map { "\($0.name)（\(SentencingCalculator.signedPercent($0.min))至\(SentencingCalculator.signedPercent($0.max))）" }
                findings.append(finding(SentencingRules.beyondCap, grade: grade,
                    head + "，低于以量刑起点下限、各情节比例上限" + (used.isEmpty ? "" : "（" + used.joined(separator: "、") + "）")
                        + "及20%裁量幅度计算的最低值\(SentencingCalculator.boundMonths(lower))；\(range)。请核查是否经审判委员会讨论决定或具有未报送的从宽情节。"))
            }
        }
        return Outcome(findings: findings, measures: measures)
    }

    /// 同案不同判 leads: measured judgments far from their comparable group (the group counts every stored judgment).
    public func cohortFindings(_ measures: [Measure], _ cohorts: SentencingCohorts) -> [Finding] {
        measures.compactMap { m in
            guard let stats = cohorts.stats[m.cohort], let outlier = stats.outlier(m.months) else { return nil }
            let rule = SentencingRules.cohortOutlier
            return Finding(id: Finding.key(rule: rule.id, caseID: m.caseID, anchor: m.defendant + "|" + m.caseNumber), ruleID: rule.id,
                caseID: m.caseID, kind: rule.kind, severity: rule.severity, grade: .b, agency: m.court, person: m.defendant,
                occurredAt: m.decidedAt,
                explanation: "\(m.caseNumber) 刑期\(SentencingCalculator.months(m.months))；同组可比判决\(stats.count)件（\(Self.describe(m.cohort))）刑期中位数\(SentencingCalculator.months(stats.median))，本案\(outlier)。仅为统计线索，须结合全案事实比对。",
                citation: rule.citation)
        }
    }

    /// Probation against 刑法 72–74 (grade A: statute).
    func probation(_ j: Judgment) -> [(rule: SentencingRuleInfo, text: String)] {
        guard let period = j.probationMonths, let term = j.termMonths else { return [] }
        var out: [(SentencingRuleInfo, String)] = []
        let p = calculator.graph.probation
        if j.principalPenalty == .fixedTermImprisonment, term > p.maxSentenceMonths {
            out.append((SentencingRules.probationTerm, "\(j.caseNumber) 判处有期徒刑\(SentencingCalculator.months(Double(term)))并宣告缓刑；缓刑只适用于拘役或三年以下有期徒刑。"))
        }
        if let name = j.circumstances.first(where: p.excludedNames.contains) {
            out.append((SentencingRules.probationRecidivist, "\(j.caseNumber) 认定被告人系\(name)，又宣告缓刑。"))
        }
        let (low, high): (Int, Int) = j.principalPenalty == .criminalDetention
            ? (max(term, p.detentionPeriodMinMonths), p.detentionPeriodMaxMonths)
            : (max(term, p.fixedTermPeriodMinMonths), p.fixedTermPeriodMaxMonths)
        if j.principalPenalty == .criminalDetention || j.principalPenalty == .fixedTermImprisonment, period < low || period > high {
            out.append((SentencingRules.probationPeriod, "\(j.caseNumber) 原判\(j.principalPenalty.chineseName)\(SentencingCalculator.months(Double(term)))，缓刑考验期\(SentencingCalculator.months(Double(period)))，法定幅度为\(SentencingCalculator.months(Double(low)))至\(SentencingCalculator.months(Double(high)))。"))
        }
        return out
    }

    /// Comparable judgments: same crime and band, same penalty kind, amount or quantity within a factor of two, same
    /// circumstances counted.
    static func cohortKey(_ e: SentencingEstimate, facts: SentencingFacts?, penalty: PrincipalPenalty) -> String {
        var parts = [e.crime, "b\(e.bandIndex)", penalty.rawValue]
        if let a = facts?.amountYuan, a > 0 { parts.append("a\(Int(log2(a).rounded(.down)))") }
        if let g = facts?.drugGrams, g > 0 { parts.append("g\(Int(log2(g).rounded(.down)))") }
        parts.append(e.circumstances.map(\.id).sorted().joined(separator: "+"))
        return parts.joined(separator: "|")
    }

    static func describe(_ key: String) -> String {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return key }
        var out = "\(parts[0])第\((Int(parts[1].dropFirst()) ?? 0) + 1)档"
        for p in parts.dropFirst(3) {
            if p.hasPrefix("a"), let k = Int(p.dropFirst()) { out += "，数额\(1 << k)至\(1 << (k + 1))元" } else if p.hasPrefix("g"), let k = Int(p.dropFirst()) {
                out += "，数量\(1 << k)至\(1 << (k + 1))克"
            } else if !p.isEmpty { out += "，情节：" + p }
        }
        return out
    }
}

extension SentencingCalculator {
    /// The estimate for a stored judgment: its one charge, its facts and circumstances (one the graph does not know is set
    /// aside with a note), by the rules in force when the defendant was first sentenced (`among`: the case's judgments).
    /// One place for the review and the pages, so that both measure a judgment alike.
    public func estimate(judgment j: Judgment, among judgments: [Judgment]) throws -> SentencingEstimate {
        guard j.charges.count == 1 else { throw SentencingError.invalidInput("数罪并罚的判决不逐罪测算") }
        let firstSentenced = judgments.filter { $0.defendant == j.defendant }.map(\.decidedAt).min() ?? j.decidedAt
        return try estimate(SentencingInput(crime: j.charges[0], facts: j.facts ?? SentencingFacts(), circumstances: j.circumstances,
            decidedOn: firstSentenced.localDate), unknownCircumstances: .setAside)
    }
}
