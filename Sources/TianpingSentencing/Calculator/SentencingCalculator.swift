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

    public func estimate(_ input: SentencingInput, unknownCircumstances: UnknownCircumstances = .reject) throws -> SentencingEstimate {
        guard let crime = graph.crime(named: input.crime) else { throw SentencingError.unknownCrime(input.crime) }
        if let problem = input.facts.problem { throw SentencingError.invalidInput(problem) }
        var trace: [TraceStep] = []
        var blockers: [String] = []
        var assumptions: Set<String> = []
        var alertItems: [(item: String, grade: ConfidenceGrade)] = []

        // 1. The statutory band.
        let choice = chooseBand(crime, input.facts)
        let band = crime.bands[choice.index]
        if !choice.certain { blockers.append("档次不确定：" + choice.reason) }
        if let t = choice.thresholds { alertItems.append(("thresholds:" + t.id, t.grade)) }
        if crime.thresholds == nil, crime.analogy != nil, choice.thresholds != nil { assumptions.insert("threshold-analogy") }
        alertItems.append(("crime:\(crime.id)/band:\(choice.index)", band.grade))
        trace.append(TraceStep(step: "罪名与法定刑幅度",
            detail: "\(crime.name)（\(crime.citation)）第\(choice.index + 1)档：\(band.trigger)；法定刑\(Self.bandText(band))。\(choice.reason)"
                + (band.note.map { "（\($0)）" } ?? ""),
            citation: crime.citation + (choice.thresholds.map { "；" + (graph.sources[$0.source] ?? $0.source) + $0.article } ?? ""),
            grade: max(band.grade, choice.thresholds?.grade ?? .a),
            range: nil))

        // 2. The starting point.
        let floor = band.detention == true ? 1.0 : max(band.min, 1)
        let startLower = band.startMin ?? floor
        let startUpper = band.startMax ?? band.max
        let entry = min(band.startMin ?? (band.detention == true ? min(3, startUpper) : band.min), startUpper)
        let startCentre = entry + weights.startPosition * (startUpper - entry)
        assumptions.insert("start-point-lower-quarter")
        let start = MonthRange(lower: startLower, centre: startCentre, upper: startUpper)
        let startSource = band.noStart == true ? "指导意见未规定量刑起点：宣告刑在\(Self.months(startLower))至\(Self.months(startUpper))拘役内确定"
            : band.startMax == nil
            ? (crime.statutoryOnly == true ? "指导意见未规定本罪量刑起点，以法定刑幅度代替" : "指导意见未规定本档量刑起点，以法定刑幅度代替")
            : "量刑起点幅度\(Self.months(startLower))至\(Self.months(startUpper))" + (band.startMin == nil && band.detention == true ? "（“拘役或者……以下有期徒刑”）" : "")
        if band.startMax == nil { blockers.append(crime.statutoryOnly == true ? "本罪不在量刑指导意见范围内" : "本档没有量刑起点") }
        trace.append(TraceStep(step: "量刑起点", detail: startSource + "；估算中心取起点幅度内\(Self.percent(weights.startPosition))处：\(Self.months(startCentre))（平台假设，C级）。",
            citation: crime.source, grade: band.grade, range: start))

        // 3. The benchmark: penalty added for amount, quantity or alcohol inside the band.
        var benchmark = start
        if crime.measure == .bloodAlcohol {
            if let bac = input.facts.bloodAlcohol {
                let centre = min(max(1 + (bac - 80) / 50, 1), 6)
                benchmark = MonthRange(lower: 1, centre: centre, upper: 6)
                assumptions.insert("dui-bac")
                trace.append(TraceStep(step: "基准刑", detail: "血液酒精含量\(Self.number(bac))mg/100ml；按平台假设（每50mg/100ml一个月）估算中心\(Self.months(centre))，宣告刑在一至六个月拘役内。",
                    citation: graph.sources["DUI2023"] ?? "", grade: .c, range: benchmark))
            } else {
                trace.append(TraceStep(step: "基准刑", detail: "未提供血液酒精含量，以起点估算。", citation: crime.source, grade: band.grade, range: benchmark))
            }
        } else if choice.position > 0 {
            let room = max(band.max - startUpper, 0)
            let added = choice.position * weights.addPenaltyShare * room
            benchmark = MonthRange(lower: min(startLower + added, band.max), centre: min(startCentre + added, band.max),
                upper: min(startUpper + added, band.max))
            assumptions.insert("add-penalty-linear")
            trace.append(TraceStep(step: "基准刑（增加刑罚量）",
                detail: "\(choice.measureText)在本档内的位置为\(Self.percent(choice.position))；全国文本只列举增加刑罚量的事实、未规定步长，按平台假设增加\(Self.months(added))（C级，仅供估算）。",
                citation: crime.source + "；增加刑罚量的步长由本省实施细则规定", grade: .c, range: benchmark))
        } else {
            trace.append(TraceStep(step: "基准刑", detail: "无需增加刑罚量（\(choice.measureText.isEmpty ? "无可计量的数额或数量" : choice.measureText)），基准刑即量刑起点。",
                citation: crime.source, grade: band.grade, range: benchmark))
        }

        // 4. Circumstances: the first tier multiplies, the rest are summed (同向相加、逆向相减).
        let resolved = try resolveCircumstances(input.circumstances, crime: crime, unknown: unknownCircumstances)
        var first = (lower: 1.0, centre: 1.0, upper: 1.0)
        var second = (lower: 0.0, centre: 0.0, upper: 0.0)
        var applied: [AppliedCircumstance] = []
        var mitigation = resolved.present.contains { $0.belowMinimum == true || (crime.belowMinimumAlso ?? []).contains($0.id) }
        var exemptible = resolved.present.contains { $0.lighterCrimeExempt == true }
        for (rule, given) in resolved.counted {
            guard let lo = rule.min, let hi = rule.max else { continue }
            let lower = lo, upper = hi
            var used = given.map { Swift.min(Swift.max($0, lo), hi) } ?? rule.midpoint ?? 0
            // 累犯 "generally" adds at least three months: the centre follows it; the bounds keep the ratio alone.
            if let m = rule.minMonths, given == nil { used = Swift.min(Swift.max(used, m / Swift.max(benchmark.centre, 1)), hi) }
            if rule.tier == .first {
                first = (first.lower * (1 + lower), first.centre * (1 + used), first.upper * (1 + upper))
            } else {
                second = (second.lower + lower, second.centre + used, second.upper + upper)
            }
            alertItems.append(("circumstance:" + rule.id, rule.grade))
            applied.append(AppliedCircumstance(id: rule.id, name: rule.name, tier: rule.tier == .first ? "先行连乘" : "同向相加、逆向相减",
                min: lower, max: upper, used: used, given: given != nil, basis: rule.basis, grade: rule.grade))
            let note = given.map { g in g < lo || g > hi ? "给定比例\(Self.signedPercent(g))超出区间，按\(Self.signedPercent(used))计" : "给定比例\(Self.signedPercent(used))" }
                ?? "估算取区间中点\(Self.signedPercent(used))"
            trace.append(TraceStep(step: "量刑情节：\(rule.name)",
                detail: "调节比例\(Self.signedPercent(lower))至\(Self.signedPercent(upper))（\(rule.tier == .first ? "先行适用，连乘" : "与其他情节同向相加、逆向相减")）；\(note)。",
                citation: rule.basis, grade: rule.grade, range: nil))
        }
        for rule in resolved.statutoryOnly {
            mitigation = true
            exemptible = true
            blockers.append("\(rule.name)：指导意见未规定比例")
            trace.append(TraceStep(step: "量刑情节：\(rule.name)", detail: "应当减轻或者免除处罚，指导意见未规定比例，估算不计入。", citation: rule.basis, grade: rule.grade, range: nil))
        }
        for note in resolved.notCounted {
            trace.append(TraceStep(step: "不重复评价", detail: note, citation: graph.stacking.basis, grade: .b, range: nil))
        }
        if !applied.isEmpty { assumptions.insert("ratio-midpoint") }
        let secondFactor = (lower: Swift.max(1 + second.lower, 0.05), centre: Swift.max(1 + second.centre, 0.05), upper: 1 + second.upper)
        var adjusted = MonthRange(lower: benchmark.lower * first.lower * secondFactor.lower,
            centre: benchmark.centre * first.centre * secondFactor.centre, upper: benchmark.upper * first.upper * secondFactor.upper)
        trace.append(TraceStep(step: "调节结果",
            detail: "基准刑 × Π(1+先行情节比例) × (1+其余情节比例之和)：下限 \(Self.number(benchmark.lower))×\(Self.number(first.lower))×\(Self.number(secondFactor.lower))，中心 \(Self.number(benchmark.centre))×\(Self.number(first.centre))×\(Self.number(secondFactor.centre))，上限 \(Self.number(benchmark.upper))×\(Self.number(first.upper))×\(Self.number(secondFactor.upper))。",
            citation: "指导意见二(三)：具有多个量刑情节的，一般根据各个量刑情节的调节比例，采用同向相加、逆向相减的方法调节基准刑；未成年人犯罪、老年人犯罪、未遂犯、从犯等情节先适用该情节对基准刑进行调节",
            grade: .b, range: adjusted))

        // 5. The statutory logic, then the judge's discretion.
        let ceiling = band.detentionOnly == true ? 6.0 : (band.lifeOrDeath == true ? Swift.max(band.max, 180) : band.max)
        func statutory(_ v: Double) -> Double {
            var x = Swift.min(v, ceiling)
            if band.detentionOnly == true { x = Swift.max(x, 1) }
            if x < band.min, !mitigation { x = band.min }
            return Swift.max(x, 1)
        }
        adjusted = MonthRange(lower: statutory(adjusted.lower), centre: statutory(adjusted.centre), upper: statutory(adjusted.upper))
        var limits: [String] = []
        if !mitigation, band.min > 0 { limits.append("未见法定减轻处罚情节，不低于本档法定最低刑\(Self.months(band.min))（刑法第六十三条）") }
        if mitigation { limits.append("具有法定减轻处罚情节，可以在法定最低刑以下判处") }
        limits.append(band.lifeOrDeath == true ? "无期徒刑、死刑不在估算范围" : "不高于本档法定最高刑\(Self.months(band.max))")
        let d = graph.discretion
        let expected = MonthRange(lower: statutory(adjusted.lower * (1 - d)), centre: adjusted.centre, upper: statutory(adjusted.upper * (1 + d)))
        trace.append(TraceStep(step: "拟宣告刑区间",
            detail: "调节结果上下浮动\(Self.percent(d))（法官综合裁量）：\(Self.months(expected.lower))至\(Self.months(expected.upper))，中心\(Self.months(expected.centre))。" + limits.joined(separator: "；") + "。",
            citation: crime.statutoryOnly == true ? "本罪不在量刑指导意见范围内；参照其20%裁量幅度估算" : graph.discretionBasis, grade: .b, range: expected))

        // 6. Alert boundaries: no platform assumption — the start range, the caps, the discretion and the band.
        var alertLower: Double? = start.lower * first.lower * secondFactor.lower * (1 - d)
        if !mitigation, let l = alertLower { alertLower = Swift.max(l, band.min) }
        if exemptible && choice.index == 0 || (alertLower ?? 0) <= 1 { alertLower = nil }
        let alertUpper: Double? = band.lifeOrDeath == true ? nil : (band.detentionOnly == true ? 6 : band.max)
        let uncertified = alertItems.filter { $0.grade == .c && !graph.isConfirmed($0.item) }.map(\.item)
        if !uncertified.isEmpty { blockers.append("使用了未经确认的C级规则：" + uncertified.joined(separator: "、")) }
        if let day = input.decidedOn, day < graph.inForce {
            blockers.append("判决日期\(day)早于指导意见施行日期\(graph.inForce)：仅供参考")
        }
        let alertGrade = alertItems.map(\.grade).max() ?? .b
        trace.append(TraceStep(step: "预警边界",
            detail: "不含平台假设：低于\(alertLower.map(Self.months) ?? "（无下限）")或高于\(alertUpper.map(Self.months) ?? "（无上限）")时提示人工复核"
                + (blockers.isEmpty ? "。" : "；本案不预警：" + blockers.joined(separator: "；") + "。"),
            citation: "量刑指导意见二(四)、刑法第六十三条", grade: alertGrade, range: nil))

        return SentencingEstimate(crime: crime.name, article: crime.article, graphVersion: graph.id + "@" + graph.version,
            bandIndex: choice.index, band: band.trigger, statutoryMin: band.min, statutoryMax: band.max,
            lifeOrDeath: band.lifeOrDeath == true, bandCertain: choice.certain, bandByDefault: choice.byDefault, start: start, benchmark: benchmark,
            circumstances: applied, notCounted: resolved.notCounted, expected: expected, alertLower: alertLower,
            alertUpper: alertUpper, alertable: blockers.isEmpty, notAlertableBecause: blockers,
            mitigationBelowMinimum: mitigation, trace: trace, alertGrade: alertGrade, assumptions: assumptions.sorted())
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
                explanations.append("低于量刑起点下限、各情节比例上限和\(Self.percent(graph.discretion))裁量幅度所能达到的最低值\(Self.months(a))"
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
