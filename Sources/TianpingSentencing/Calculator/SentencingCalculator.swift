import Foundation
import TianpingCore
import TianpingRules
import TianpingText

/// Estimates the sentence range of one crime from the knowledge graph, step by step, and measures an actual sentence
/// against it.
///
/// Deterministic: the same input and graph version give the same estimate and trace. It never returns a single
/// "correct" sentence — a range, its centre, and the boundaries beyond which a person should look again.
public struct SentencingCalculator: Sendable {
    public let graph: SentencingGraph
    public let weights: Weights

    /// The numbers behind the platform's assumptions (the graph's `assumptions`, grade C): they move the estimate's
    /// centre only, never an alert bound. Adjustable so that their effect can be measured (`evaluate-sentencing`).
    public struct Weights: Sendable, Hashable, Codable {
        /// Where in the starting range the centre starts (0 = its lower end, 1 = its upper end).
        public var startPosition: Double
        /// Share of the room between the starting range and the band's maximum reached at the next threshold.
        public var addPenaltyShare: Double

        public init(startPosition: Double = 0.25, addPenaltyShare: Double = 0.5) {
            self.startPosition = startPosition
            self.addPenaltyShare = addPenaltyShare
        }
    }

    public init(graph: SentencingGraph, weights: Weights = Weights()) {
        self.graph = graph
        self.weights = weights
    }

    /// In the top band there is no next threshold: the add-penalty position is measured up to this multiple of its own.
    static let topBandSpan = 5.0

    /// What to do with a circumstance the graph does not know: refuse it (a person typed it) or set it aside with a
    /// note (a judgment from another system names it).
    public enum UnknownCircumstances: Sendable { case reject, setAside }

    /// The estimate in the six steps of the guideline, each adding its line to the trace: band, starting point,
    /// benchmark, circumstances, the judge's discretion, and the alert boundaries (which use no platform assumption).
    public func estimate(_ input: SentencingInput, unknownCircumstances: UnknownCircumstances = .reject) throws -> SentencingEstimate {
        guard let crime = graph.crime(named: input.crime) else { throw SentencingError.unknownCrime(input.crime) }
        if let problem = input.facts.problem { throw SentencingError.invalidInput(problem) }
        var work = EstimateWork()
        let choice = statutoryBand(crime, input.facts, &work)
        let band = crime.bands[choice.index]
        let start = startingPoint(crime, band, &work)
        let benchmark = benchmark(crime, band, choice, start: start, facts: input.facts, &work)
        let adjustment = try adjust(benchmark, crime: crime, circumstances: input.circumstances, unknown: unknownCircumstances, &work)
        let expected = discretion(crime, band, adjustment, &work)
        let alert = alertBoundaries(input, crime, band, choice, start: start, adjustment, &work)
        return SentencingEstimate(crime: crime.name, article: crime.article, graphVersion: graph.id + "@" + graph.version,
            bandIndex: choice.index, band: band.trigger, statutoryMin: band.min, statutoryMax: band.max,
            lifeOrDeath: band.lifeOrDeath == true, bandCertain: choice.certain, bandByDefault: choice.byDefault, start: start,
            benchmark: benchmark, circumstances: adjustment.applied, notCounted: adjustment.notCounted, expected: expected,
            alertLower: alert.lower, alertUpper: alert.upper, alertable: work.blockers.isEmpty,
            notAlertableBecause: work.blockers, mitigationBelowMinimum: adjustment.mitigation, trace: work.trace,
            alertGrade: alert.grade, assumptions: work.assumptions.sorted())
    }

    // MARK: Deviation

    /// Where an actual term lies against the estimate, and which reading of which rule would explain it.
    public func deviation(of actual: Double, from e: SentencingEstimate) -> Deviation {
        let r = e.expected
        var explanations: [String] = []
        let position: Deviation.Position
        let share: Double
        if actual < r.lower - 0.05 {
            position = .below
            share = (r.lower - actual) / Swift.max(r.lower, 1)
            if let a = e.alertLower, actual >= a - 0.05 {
                explanations.append("各情节取比例上限、量刑起点取下限并运用\(Self.percent(graph.discretion))裁量幅度时可以达到")
            } else if let a = e.alertLower {
                explanations.append("低于量刑起点下限、各情节比例上限和\(Self.percent(graph.discretion))裁量幅度所能达到的最低值\(Self.boundMonths(a))"
                    + (e.alertable ? "：从宽幅度超出指导意见规定的比例，或经审判委员会讨论决定" : ""))
            } else {
                explanations.append("具有可对较轻犯罪超出比例减轻或者免除处罚的情节，或本档没有可计算的下限")
            }
            if actual < e.statutoryMin {
                explanations.append(e.mitigationBelowMinimum
                    ? "具有法定减轻处罚情节，可以在法定最低刑以下判处"
                    : "低于本档法定最低刑，所报送的情节中未见法定减轻处罚情节：除具有其他法定减轻事由外，须经最高人民法院核准（刑法第六十三条第二款）")
            }
            if !e.alertable { explanations.append("本案测算不据以预警：" + e.notAlertableBecause.joined(separator: "；")) }
            if !e.bandCertain { explanations.append("档次不确定：本省数额标准或情节认定不同时，本案可能属于较低档次") }
        } else if actual > r.upper + 0.05 {
            position = .above
            share = (actual - r.upper) / Swift.max(r.upper, 1)
            if actual <= e.statutoryMax + 0.05 || e.lifeOrDeath {
                explanations.append("在本档法定刑内：指导意见未规定增加刑罚量的步长，本省实施细则按数额、次数、后果增加的刑罚量可以解释")
            } else {
                explanations.append("超出本档法定最高刑\(Self.months(e.statutoryMax))：若具有更高一档的情节（加重情节或更高数额档次）则可解释；数罪并罚时总和刑期可超出单罪幅度（刑法第六十九条）")
            }
            if !e.bandCertain || e.bandByDefault { explanations.append("档次按已报送的事实确定：若具有更高一档的情节，本案属于较高档次") }
        } else {
            position = .inside
            share = 0
            explanations.append("在拟宣告刑区间内")
        }
        let beyond = e.alertable && ((e.alertLower.map { actual < $0 - 0.05 } ?? false) || (e.alertUpper.map { actual > $0 + 0.05 } ?? false))
        let summary: String
        switch position {
        case .inside: summary = "在区间内"
        case .below: summary = "低于区间下限\(Self.percent(share))"
        case .above: summary = "高于区间上限\(Self.percent(share))"
        }
        return Deviation(actualMonths: actual, position: position, share: share, summary: summary, explanations: explanations,
            beyondAlertBounds: beyond)
    }

    /// Several crimes of one defendant (数罪并罚, 刑法 69): not below the heaviest, not above the sum or the cap; the centre
    /// halfway between (platform assumption `combination-half`).
    public static func combine(_ ranges: [MonthRange]) -> MonthRange {
        guard let heaviest = ranges.max(by: { $0.centre < $1.centre }) else { return MonthRange(lower: 0, centre: 0, upper: 0) }
        if ranges.count == 1 { return heaviest }
        let sumUpper = ranges.map(\.upper).reduce(0, +)
        let cap = sumUpper >= 420 ? 300.0 : 240.0
        let sumCentre = ranges.map(\.centre).reduce(0, +)
        let lower = ranges.map(\.lower).max() ?? 0
        let upper = Swift.min(sumUpper, Swift.max(cap, ranges.map(\.upper).max() ?? 0))
        return MonthRange(lower: lower, centre: Swift.min(heaviest.centre + (sumCentre - heaviest.centre) / 2, upper), upper: upper)
    }

    // MARK: Circumstances

    struct Resolved {
        var counted: [(SentencingGraph.CircumstanceRule, Double?)] = []
        var statutoryOnly: [SentencingGraph.CircumstanceRule] = []
        var notCounted: [String] = []
        /// Every circumstance present, counted or absorbed: an absorbed 自首 is still a statutory ground for going below the
        /// band's minimum.
        var present: [SentencingGraph.CircumstanceRule] = []
    }

    /// Circumstances the guideline gives no ratio to but that a judgment may name: considered in the discretion.
    static let considered: Set<String> = ["初犯", "偶犯", "初犯偶犯", "主犯", "悔罪", "酌定从轻"]
    /// Compensation and forgiveness are named apart and rated together (赔偿并谅解, 只赔偿, 只谅解).
    static let compensationNames: Set<String> = ["赔偿", "积极赔偿"]
    static let forgivenessNames: Set<String> = ["谅解", "取得谅解", "取得被害人谅解"]

    func resolveCircumstances(_ names: [String], crime: SentencingGraph.CrimeRule, unknown: UnknownCircumstances) throws -> Resolved {
        var given: [String: Double?] = [:]
        var order: [String] = []
        var out = Resolved()
        var hasCompensation = false, hasForgiveness = false
        for raw in names {
            let parts = raw.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else { continue }
            var ratio: Double?
            if parts.count > 1 {
                guard let v = Double(parts[1].replacingOccurrences(of: "%", with: "")).map({ parts[1].contains("%") ? $0 / 100 : $0 }),
                    v.isFinite, (-1...1).contains(v)
                else { throw SentencingError.invalidInput("情节“\(name)”的比例“\(parts[1])”无法识别：应为 -1 到 1 之间的小数（如 -0.3）或百分数（如 -30%）") }
                ratio = v
            }
            if Self.compensationNames.contains(name) { hasCompensation = true; continue }
            if Self.forgivenessNames.contains(name) { hasForgiveness = true; continue }
            if Self.considered.contains(name) {
                out.notCounted.append("\(name)：指导意见未规定调节比例，在法官综合裁量中考虑")
                continue
            }
            guard let rule = graph.circumstance(named: name) else {
                if unknown == .reject { throw SentencingError.unknownCircumstance(name) }
                out.notCounted.append("\(name)：量刑知识图谱未收录，未计入")
                continue
            }
            if given[rule.id] == nil { order.append(rule.id) }
            given[rule.id] = .some(ratio)
        }
        let pairing = hasCompensation ? (hasForgiveness ? "compensation_and_forgiveness" : "compensation_no_forgiveness")
            : (hasForgiveness ? "forgiveness_no_compensation" : nil)
        if let pairing, given[pairing] == nil { order.append(pairing); given[pairing] = .some(nil) }
        out.present = order.compactMap { graph.circumstance(named: $0) }
        var present = Set(order)
        let s = graph.stacking
        if present.contains(s.plea) || present.contains(s.pleaPlus) {
            let absorbed = order.filter { s.absorbedByPlea.contains($0) }
            let plus = !present.isDisjoint(with: s.pleaPlusWith) || present.contains(s.pleaPlus)
            for id in absorbed {
                present.remove(id)
                out.notCounted.append("\(graph.circumstance(named: id)?.name ?? id)：与认罪认罚不作重复评价" + (plus ? "，合并适用减少基准刑60%以下" : ""))
            }
            if plus, present.contains(s.plea) {
                present.remove(s.plea)
                present.insert(s.pleaPlus)
                if let i = order.firstIndex(of: s.plea) { order[i] = s.pleaPlus; given[s.pleaPlus] = given[s.plea] ?? .some(nil) }
            }
        }
        for id in order where present.contains(id) {
            guard let rule = graph.circumstance(named: id) else { continue }
            if let ex = rule.excludedIf, ex.contains(where: present.contains) {
                out.notCounted.append("\(rule.name)：已评价自首或坦白的，不再评价")
                continue
            }
            if rule.noRatio == true { out.statutoryOnly.append(rule); continue }
            var applied = rule
            if let o = crime.ratioOverrides?[rule.id] {  // the crime's own ratio (非法吸收公众存款罪: restitution up to 40 %)
                applied.min = o.min
                applied.max = o.max
                applied.basis = o.basis
                applied.grade = o.grade
            }
            out.counted.append((applied, given[id] ?? nil))
        }
        return out
    }
}
