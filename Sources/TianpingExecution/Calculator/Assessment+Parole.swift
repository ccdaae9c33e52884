import TianpingCore
import TianpingRules

/// Parole: its bars, the time served it needs, the interval after a commutation, and the probation it carries.
extension Assessment {
    // MARK: Parole

    mutating func parole(currentEnd: CalendarDate?) -> ParoleAssessment {
        let r = rules.parole
        var barred: [String] = []
        var citations: [String] = []
        if q.sentence == .criminalDetention || q.sentence == .publicSurveillance {
            note("假释", "假释只适用于有期徒刑、无期徒刑，\(q.sentence.chineseName)不适用假释", "《刑法》第八十一条第一款", .a)
            return ParoleAssessment(barred: ["\(q.sentence.chineseName)不适用假释"], eligibleFrom: nil, servedEnoughOn: nil, afterCommutationOn: nil, probation: nil, hearingRequired: [],
                citation: "《刑法》第八十一条第一款")
        }
        if isLifetime {
            barred.append("终身监禁，不得假释")
            citations.append("法释〔2016〕23号第十五条")
        }
        let present = Set(q.categories)
        for id in q.categories {
            guard let c = rules.category(id), c.barsParole == true else { continue }
            if let only = c.appliesTo, sentenceClasses.isDisjoint(with: only) { continue }
            if let required = c.requires, !required.allSatisfy(present.contains) { continue }
            barred.append(c.name + (id == "ableButNotPaying" ? "，不予假释" : "，不得假释"))
            citations.append(c.paroleBarCitation ?? r.barCitation)
        }
        if !barred.isEmpty {
            var seen = Set<String>()
            let citation = citations.filter { seen.insert($0).inserted }.joined(separator: "；")
            note("假释", barred.joined(separator: "；"), citation, r.grade)
            return ParoleAssessment(barred: barred, eligibleFrom: nil, servedEnoughOn: nil, afterCommutationOn: nil, probation: nil, hearingRequired: [], citation: citation)
        }
        let hearing = q.categories.compactMap { rules.category($0) }.filter { $0.mandatoryHearing == true }.map { "罪犯属于" + $0.name + "（假释）" }
        var from: CalendarDate
        var citation: String
        switch q.sentence {
        case .fixedTerm, .criminalDetention, .publicSurveillance:
            let days = termStart.sentenceEnd(months: term).dayNumber - termStart.dayNumber + 1
            from = termStart.adding(days: Int((Double(days) * r.fixedTermFraction).rounded(.up)))
            citation = r.fixedTermCitation
            note("假释时间", "执行原判刑期二分之一以上（自 \(termStart) 起，先行羁押折抵）：\(from) 起", citation, r.grade)
        case .life:
            let start = q.judgmentEffective ?? q.executionStart
            from = start.addingMonths(r.lifeMonths)
            citation = r.lifeCitation
            note("假释时间", "自判决生效之日 \(start) 起实际执行\(CommutationCalculator.months(r.lifeMonths))以上（先行羁押不折抵）：\(from) 起", citation, r.grade)
        case .deathReprieve:
            let start = q.reprieveExpired ?? q.executionStart
            from = start.addingMonths(r.reprieveMonths)
            citation = r.reprieveCitation
            note("假释时间", "自缓期执行期满之日 \(start) 起实际执行\(CommutationCalculator.months(r.reprieveMonths))以上：\(from) 起", citation, r.grade)
        }
        let servedEnough = from
        var afterCommutation: CalendarDate?
        if let last = q.commutations.last {
            let large = (last.reductionMonths ?? Int.max) >= r.largeCutMonths
            let months = large ? r.intervalAfterLargeCutMonths : r.intervalMonths
            let after = last.servedOn.addingMonths(months)
            note("减刑后假释间隔", "上次减刑" + (last.reductionMonths.map { "减去" + CommutationCalculator.months($0) } ?? "由无期徒刑减为有期徒刑")
                + "，间隔不少于\(CommutationCalculator.months(months))：\(after) 起（余刑不足二年的可以适当缩短）", r.intervalCitation, r.grade)
            from = max(from, after)
            afterCommutation = after
            citation += "；" + r.intervalCitation
        }
        var probation: String?
        if let end = currentEnd, end >= from {
            var months = 0
            while from.addingMonths(months + 1) <= end.adding(days: 1) { months += 1 }
            let days = end.adding(days: 1).dayNumber - from.addingMonths(months).dayNumber
            probation = "没有执行完毕的刑期：约\(CommutationCalculator.months(months))" + (days > 0 ? "\(days)天" : "") + "（至 \(end)）"
        } else if currentEnd == nil {
            probation = "十年"
        }
        if currentEnd.map({ $0 < from }) == true {
            note("假释", "刑期于 \(currentEnd!) 届满，早于可以假释之日", citation, r.grade)
            return ParoleAssessment(barred: ["刑期届满前不具备假释的执行期限"], eligibleFrom: nil, servedEnoughOn: servedEnough, afterCommutationOn: afterCommutation,
                probation: nil, hearingRequired: [], citation: citation)
        }
        return ParoleAssessment(barred: [], eligibleFrom: from, servedEnoughOn: servedEnough, afterCommutationOn: afterCommutation, probation: probation,
            hearingRequired: hearing, citation: citation + "；《刑法》第八十三条")
    }
}
