import TianpingCore
import TianpingRules

/// A proposal checked against what the rules allow: each breach, or departure that needs reasons, with its basis.
extension Assessment {
    // MARK: Checking a proposal

    mutating func check(_ next: inout NextCommutation, regimes: [CommutationRules.Regime], current: (from: CalendarDate, months: Int)?,
        floorEnd: CalendarDate?) -> [CommutationProblem]
    {
        guard let p = q.proposal else { return [] }
        if p.reportedOn < rules.inForce.rules {
            note("报请审查", "报请于 \(p.reportedOn)，早于法释〔2016〕23号施行（\(rules.inForce.rules)），不依本规则包审查", rules.inForce.rulesCitation, .a)
            return []
        }
        var problems: [CommutationProblem] = []
        func add(_ code: String, _ severity: CommutationProblem.Severity, _ message: String, _ citation: String, _ grade: ConfidenceGrade = .a) {
            problems.append(CommutationProblem(code: code, severity: severity, message: message, citation: citation, grade: grade))
        }
        let cite = Self.citing(schedules(regimes))
        if isLifetime {
            add("lifetime_imprisonment", .violation, "终身监禁的罪犯不得减刑", "法释〔2016〕23号第十五条")
            return problems
        }
        for bar in bars where p.reportedOn < bar.until {
            add("new_crime_bar", .violation, "\(bar.reason)（至 \(bar.until)），报请于 \(p.reportedOn)", bar.citation)
        }
        if let earliest = startOrIntervalDay, p.reportedOn < earliest {
            let what = q.commutations.isEmpty && reprieveRuling == nil ? "减刑起始时间" : "减刑间隔时间"
            let message = "\(what)不足：报请于 \(p.reportedOn)，一般规定最早 \(earliest)"
            if next.startAndIntervalWaived {
                add("early_major_merit", .review, message + "；以重大立功为由可不受限制，应开庭审理并说明理由", cite)
            } else if intervalMayShorten {
                add("early_major_merit", .review, message + "；有重大立功表现的，间隔时间可以适当缩短，应开庭审理并说明理由", "法释〔2016〕23号第十四条")
            } else if let relaxedDay = next.earliestReportRelaxed, p.reportedOn >= relaxedDay {
                add("early_relaxed", .review, message + "；按从宽规定缩短（最早 \(relaxedDay)），应说明理由", relaxationCitation)
            } else if q.sentence == .fixedTerm, q.commutations.isEmpty, remainingAtJudgment() < 24 {
                add("early_short_remainder", .review, message + "；判决生效后余刑不满二年，起始时间可以适当缩短，应说明理由", "法释〔2016〕23号第十六条")
            } else {
                add(q.commutations.isEmpty && reprieveRuling == nil ? "too_early" : "interval_too_short", .violation, message, startOrIntervalCitation)
            }
        }
        if let cut = p.reductionMonths, let g = Optional(p.grounds) {
            let caps = schedules(regimes).compactMap { $0.maxReductionMonths?[g.rawValue] }
            if let cap = caps.min(), cut > cap {
                let widened = rules.relaxation.widened(cap)
                if relaxed, cut <= widened {
                    add("reduction_relaxed", .review, "减去\(CommutationCalculator.months(cut))，超过一般幅度\(CommutationCalculator.months(cap))，在从宽上限\(CommutationCalculator.months(widened))内，应说明理由", relaxationCitation)
                } else {
                    add("reduction_too_large", .violation, "\(g.chineseName)一次减刑不超过\(CommutationCalculator.months(cap))，报请减去\(CommutationCalculator.months(cut))",
                        Self.citing(schedules(regimes).filter { $0.maxReductionMonths?[g.rawValue] == cap }))
                }
            }
            if let c = current, let floorEnd {
                let end = c.from.sentenceEnd(months: c.months - cut)
                if end < floorEnd {
                    add("below_statutory_floor", .violation, "减刑后刑期至 \(end) 止，早于法定最低实际执行期限 \(floorEnd)", "《刑法》第七十八条第二款")
                }
            }
        }
        if let to = p.reducedToMonths, let range = next.reduceToMonths, to < range[0] {
            add(floorEnd.map { p.reportedOn.sentenceEnd(months: to) < $0 } == true ? "below_statutory_floor" : "reduced_term_too_short", .violation,
                "\(p.grounds.chineseName)减为\(CommutationCalculator.months(to))，不得少于\(CommutationCalculator.months(range[0]))", cite + "；《刑法》第七十八条第二款")
        }
        if q.categories.contains("ableButNotPaying") {
            add("property_items_unpaid", .review, "确有履行能力而不履行财产性判项，一般不予减刑，不予假释", "法释〔2016〕23号第七条、第二十七条；法释〔2024〕5号", .b)
        }
        if q.categories.contains("noRemorse"), regimes.contains(.formerOfficialCorruption) {
            add("no_remorse", .review, "拒不认罪悔罪的贪污贿赂罪犯，一般不予减刑", "2019年补充规定第一条")
        }
        if problems.contains(where: { ["early_major_merit", "early_relaxed", "early_short_remainder", "reduction_relaxed"].contains($0.code) }) {
            next.hearingRequired.append("报请减刑的起始时间、间隔时间或者减刑幅度不符合一般规定")
        }
        for problem in problems { note("报请审查", "\(problem.severity.chineseName)：\(problem.message)", problem.citation, problem.grade) }
        return problems
    }

    /// Months left of a fixed term when the judgment took effect (SPC-2016 Art. 16's "剩余刑期不满二年").
    func remainingAtJudgment() -> Int {
        let effective = q.judgmentEffective ?? q.executionStart
        let end = termStart.sentenceEnd(months: term)
        var months = 0
        while effective.sentenceEnd(months: months + 1) <= end { months += 1 }
        return months
    }
}
