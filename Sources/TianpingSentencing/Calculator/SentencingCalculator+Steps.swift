import TianpingCore
import TianpingRules

/// The steps of ``SentencingCalculator/estimate(_:unknownCircumstances:)``, in the guideline's order. Each reads the
/// results of the steps before it and appends to one ``EstimateWork``: the trace a person reads, the reasons the
/// estimate may not alert, the platform assumptions it used, and the rules whose grade bounds the alert's.
extension SentencingCalculator {
    struct EstimateWork {
        var trace: [TraceStep] = []
        var blockers: [String] = []
        var assumptions: Set<String> = []
        var alertItems: [(item: String, grade: ConfidenceGrade)] = []
    }

    /// The circumstances applied to the benchmark: the first tier multiplies, the rest are summed.
    struct Adjustment {
        var first: (lower: Double, centre: Double, upper: Double)
        var secondFactor: (lower: Double, centre: Double, upper: Double)
        var applied: [AppliedCircumstance]
        var notCounted: [String]
        /// A statutory mitigation allows a sentence below the band's minimum (刑法第六十三条).
        var mitigation: Bool
        /// A circumstance allows exemption from punishment in the lightest band.
        var exemptible: Bool
        var result: MonthRange
    }

    /// 1. The statutory band.
    func statutoryBand(_ crime: SentencingGraph.CrimeRule, _ facts: SentencingFacts, _ work: inout EstimateWork) -> BandChoice {
        let choice = chooseBand(crime, facts)
        let band = crime.bands[choice.index]
        if !choice.certain { work.blockers.append("档次不确定：" + choice.reason) }
        if let t = choice.thresholds { work.alertItems.append(("thresholds:" + t.id, t.grade)) }
        if crime.thresholds == nil, crime.analogy != nil, choice.thresholds != nil { work.assumptions.insert("threshold-analogy") }
        work.alertItems.append(("crime:\(crime.id)/band:\(choice.index)", band.grade))
        work.trace.append(TraceStep(step: "罪名与法定刑幅度",
            detail: "\(crime.name)（\(crime.citation)）第\(choice.index + 1)档：\(band.trigger)；法定刑\(Self.bandText(band))。\(choice.reason)"
                + (band.note.map { "（\($0)）" } ?? ""),
            citation: crime.citation + (choice.thresholds.map { "；" + (graph.sources[$0.source] ?? $0.source) + $0.article } ?? ""),
            grade: max(band.grade, choice.thresholds?.grade ?? .a),
            range: nil))
        return choice
    }

    /// 2. The starting point: the guideline's range, its centre a platform assumption.
    func startingPoint(_ crime: SentencingGraph.CrimeRule, _ band: SentencingGraph.Band, _ work: inout EstimateWork) -> MonthRange {
        let floor = band.detention == true ? 1.0 : max(band.min, 1)
        let startLower = band.startMin ?? floor
        let startUpper = band.startMax ?? band.max
        let entry = min(band.startMin ?? (band.detention == true ? min(3, startUpper) : band.min), startUpper)
        let startCentre = entry + weights.startPosition * (startUpper - entry)
        work.assumptions.insert("start-point-lower-quarter")
        let start = MonthRange(lower: startLower, centre: startCentre, upper: startUpper)
        let startSource = band.noStart == true ? "指导意见未规定量刑起点：宣告刑在\(Self.months(startLower))至\(Self.months(startUpper))拘役内确定"
            : band.startMax == nil
            ? (crime.statutoryOnly == true ? "指导意见未规定本罪量刑起点，以法定刑幅度代替" : "指导意见未规定本档量刑起点，以法定刑幅度代替")
            : "量刑起点幅度\(Self.months(startLower))至\(Self.months(startUpper))" + (band.startMin == nil && band.detention == true ? "（“拘役或者……以下有期徒刑”）" : "")
        if band.startMax == nil { work.blockers.append(crime.statutoryOnly == true ? "本罪不在量刑指导意见范围内" : "本档没有量刑起点") }
        work.trace.append(TraceStep(step: "量刑起点", detail: startSource + "；估算中心取起点幅度内\(Self.percent(weights.startPosition))处：\(Self.months(startCentre))（平台假设，C级）。",
            citation: crime.source, grade: band.grade, range: start))
        return start
    }

    /// 3. The benchmark: penalty added for amount, quantity or alcohol inside the band.
    func benchmark(_ crime: SentencingGraph.CrimeRule, _ band: SentencingGraph.Band, _ choice: BandChoice, start: MonthRange,
        facts: SentencingFacts, _ work: inout EstimateWork) -> MonthRange
    {
        var benchmark = start
        if crime.measure == .bloodAlcohol {
            if let bac = facts.bloodAlcohol {
                let centre = min(max(1 + (bac - 80) / 50, 1), 6)
                benchmark = MonthRange(lower: 1, centre: centre, upper: 6)
                work.assumptions.insert("dui-bac")
                work.trace.append(TraceStep(step: "基准刑", detail: "血液酒精含量\(Self.number(bac))mg/100ml；按平台假设（每50mg/100ml一个月）估算中心\(Self.months(centre))，宣告刑在一至六个月拘役内。",
                    citation: graph.sources["DUI2023"] ?? "", grade: .c, range: benchmark))
            } else {
                work.trace.append(TraceStep(step: "基准刑", detail: "未提供血液酒精含量，以起点估算。", citation: crime.source, grade: band.grade, range: benchmark))
            }
        } else if choice.position > 0 {
            let room = max(band.max - start.upper, 0)
            let added = choice.position * weights.addPenaltyShare * room
            benchmark = MonthRange(lower: min(start.lower + added, band.max), centre: min(start.centre + added, band.max),
                upper: min(start.upper + added, band.max))
            work.assumptions.insert("add-penalty-linear")
            work.trace.append(TraceStep(step: "基准刑（增加刑罚量）",
                detail: "\(choice.measureText)在本档内的位置为\(Self.percent(choice.position))；全国文本只列举增加刑罚量的事实、未规定步长，按平台假设增加\(Self.months(added))（C级，仅供估算）。",
                citation: crime.source + "；增加刑罚量的步长由本省实施细则规定", grade: .c, range: benchmark))
        } else {
            work.trace.append(TraceStep(step: "基准刑", detail: "无需增加刑罚量（\(choice.measureText.isEmpty ? "无可计量的数额或数量" : choice.measureText)），基准刑即量刑起点。",
                citation: crime.source, grade: band.grade, range: benchmark))
        }
        return benchmark
    }

    /// 4. Circumstances: the first tier multiplies, the rest are summed (同向相加、逆向相减).
    func adjust(_ benchmark: MonthRange, crime: SentencingGraph.CrimeRule, circumstances: [String], unknown: UnknownCircumstances,
        _ work: inout EstimateWork) throws -> Adjustment
    {
        let resolved = try resolveCircumstances(circumstances, crime: crime, unknown: unknown)
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
            work.alertItems.append(("circumstance:" + rule.id, rule.grade))
            applied.append(AppliedCircumstance(id: rule.id, name: rule.name, tier: rule.tier == .first ? "先行连乘" : "同向相加、逆向相减",
                min: lower, max: upper, used: used, given: given != nil, basis: rule.basis, grade: rule.grade))
            let note = given.map { g in g < lo || g > hi ? "给定比例\(Self.signedPercent(g))超出区间，按\(Self.signedPercent(used))计" : "给定比例\(Self.signedPercent(used))" }
                ?? "估算取区间中点\(Self.signedPercent(used))"
            work.trace.append(TraceStep(step: "量刑情节：\(rule.name)",
                detail: "调节比例\(Self.signedPercent(lower))至\(Self.signedPercent(upper))（\(rule.tier == .first ? "先行适用，连乘" : "与其他情节同向相加、逆向相减")）；\(note)。",
                citation: rule.basis, grade: rule.grade, range: nil))
        }
        for rule in resolved.statutoryOnly {
            mitigation = true
            exemptible = true
            work.blockers.append("\(rule.name)：指导意见未规定比例")
            work.trace.append(TraceStep(step: "量刑情节：\(rule.name)", detail: "应当减轻或者免除处罚，指导意见未规定比例，估算不计入。", citation: rule.basis, grade: rule.grade, range: nil))
        }
        for note in resolved.notCounted {
            work.trace.append(TraceStep(step: "不重复评价", detail: note, citation: graph.stacking.basis, grade: .b, range: nil))
        }
        if !applied.isEmpty { work.assumptions.insert("ratio-midpoint") }
        let secondFactor = (lower: Swift.max(1 + second.lower, 0.05), centre: Swift.max(1 + second.centre, 0.05), upper: 1 + second.upper)
        let adjusted = MonthRange(lower: benchmark.lower * first.lower * secondFactor.lower,
            centre: benchmark.centre * first.centre * secondFactor.centre, upper: benchmark.upper * first.upper * secondFactor.upper)
        func line(_ name: String, _ base: Double, _ f: Double, _ s: Double) -> String {
            "\(name)：基准刑\(Self.months(base))，先行情节调节为其\(Self.percent(f))，其余情节合计调节为\(Self.percent(s))，得\(Self.months(base * f * s))"
        }
        work.trace.append(TraceStep(step: "调节结果",
            detail: "先以先行情节（未成年人、老年人、未遂、从犯等）逐一连乘调节基准刑，再将其余情节的比例同向相加、逆向相减后调节。"
                + [line("中心", benchmark.centre, first.centre, secondFactor.centre), line("下限", benchmark.lower, first.lower, secondFactor.lower),
                    line("上限", benchmark.upper, first.upper, secondFactor.upper)].joined(separator: "；") + "。",
            citation: "指导意见二(三)：具有多个量刑情节的，一般根据各个量刑情节的调节比例，采用同向相加、逆向相减的方法调节基准刑；未成年人犯罪、老年人犯罪、未遂犯、从犯等情节先适用该情节对基准刑进行调节",
            grade: .b, range: adjusted))
        return Adjustment(first: first, secondFactor: secondFactor, applied: applied, notCounted: resolved.notCounted,
            mitigation: mitigation, exemptible: exemptible, result: adjusted)
    }

    /// The band's statutory limits applied to a term: its ceiling, 拘役's floor, and its minimum unless a statutory
    /// mitigation allows less.
    func statutory(_ v: Double, band: SentencingGraph.Band, mitigation: Bool) -> Double {
        let ceiling = band.detentionOnly == true ? 6.0 : (band.lifeOrDeath == true ? Swift.max(band.max, 180) : band.max)
        var x = Swift.min(v, ceiling)
        if band.detentionOnly == true { x = Swift.max(x, 1) }
        if x < band.min, !mitigation { x = band.min }
        return Swift.max(x, 1)
    }

    /// 5. The statutory logic, then the judge's discretion.
    func discretion(_ crime: SentencingGraph.CrimeRule, _ band: SentencingGraph.Band, _ adjustment: Adjustment,
        _ work: inout EstimateWork) -> MonthRange
    {
        let mitigation = adjustment.mitigation
        let limit = { (v: Double) in statutory(v, band: band, mitigation: mitigation) }
        let adjusted = MonthRange(lower: limit(adjustment.result.lower), centre: limit(adjustment.result.centre),
            upper: limit(adjustment.result.upper))
        var limits: [String] = []
        if !mitigation, band.min > 0 { limits.append("未见法定减轻处罚情节，不低于本档法定最低刑\(Self.months(band.min))（刑法第六十三条）") }
        if mitigation { limits.append("具有法定减轻处罚情节，可以在法定最低刑以下判处") }
        limits.append(band.lifeOrDeath == true ? "无期徒刑、死刑不在估算范围" : "不高于本档法定最高刑\(Self.months(band.max))")
        let d = graph.discretion
        let expected = MonthRange(lower: limit(adjusted.lower * (1 - d)), centre: adjusted.centre, upper: limit(adjusted.upper * (1 + d)))
        work.trace.append(TraceStep(step: "拟宣告刑区间",
            detail: "调节结果上下浮动\(Self.percent(d))（法官综合裁量）：\(Self.months(expected.lower))至\(Self.months(expected.upper))，中心\(Self.months(expected.centre))。" + limits.joined(separator: "；") + "。",
            citation: crime.statutoryOnly == true ? "本罪不在量刑指导意见范围内；参照其20%裁量幅度估算" : graph.discretionBasis, grade: .b, range: expected))
        return expected
    }

    /// 6. Alert boundaries: no platform assumption — the start range, the caps, the discretion and the band.
    func alertBoundaries(_ input: SentencingInput, _ crime: SentencingGraph.CrimeRule, _ band: SentencingGraph.Band,
        _ choice: BandChoice, start: MonthRange, _ adjustment: Adjustment, _ work: inout EstimateWork)
        -> (lower: Double?, upper: Double?, grade: ConfidenceGrade)
    {
        let d = graph.discretion
        var alertLower: Double? = start.lower * adjustment.first.lower * adjustment.secondFactor.lower * (1 - d)
        if !adjustment.mitigation, let l = alertLower { alertLower = Swift.max(l, band.min) }
        if adjustment.exemptible && choice.index == 0 || (alertLower ?? 0) <= 1 { alertLower = nil }
        let alertUpper: Double? = band.lifeOrDeath == true ? nil : (band.detentionOnly == true ? 6 : band.max)
        let uncertified = work.alertItems.filter { $0.grade == .c && !graph.isConfirmed($0.item) }.map(\.item)
        if !uncertified.isEmpty { work.blockers.append("使用了未经确认的C级规则：" + uncertified.joined(separator: "、")) }
        if let day = input.decidedOn, day < graph.inForce {
            work.blockers.append("判决日期\(day)早于指导意见施行日期\(graph.inForce)：仅供参考")
        }
        let alertGrade = work.alertItems.map(\.grade).max() ?? .b
        work.trace.append(TraceStep(step: "预警边界",
            detail: "不含平台假设：低于\(alertLower.map(Self.months) ?? "（无下限）")或高于\(alertUpper.map(Self.months) ?? "（无上限）")时提示人工复核"
                + (work.blockers.isEmpty ? "。" : "；本案不预警：" + work.blockers.joined(separator: "；") + "。"),
            citation: "量刑指导意见二(四)、刑法第六十三条", grade: alertGrade, range: nil))
        return (alertLower, alertUpper, alertGrade)
    }
}
