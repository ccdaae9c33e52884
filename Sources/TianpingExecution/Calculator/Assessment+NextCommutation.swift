import TianpingCore
import TianpingRules

/// The next commutation the rules allow: start or interval, bars, size, and the open-hearing grounds.
extension Assessment {
    // MARK: The next commutation

    mutating func nextCommutation(_ regimes: [CommutationRules.Regime], currentEnd: CalendarDate?, floorEnd: CalendarDate?) -> NextCommutation {
        var next = NextCommutation(allowed: true, startAndIntervalWaived: false, schedules: [], hearingRequired: [])
        if isLifetime {
            next.allowed = false
            next.reason = "终身监禁，不得减刑、假释"
            note("终身监禁", next.reason!, "法释〔2016〕23号第十五条；《刑法》第三百八十三条第四款", .a)
            return next
        }
        let rows = schedules(regimes)
        next.schedules = rows.map(\.id)
        let cite = Self.citing(rows)
        if q.sentence == .criminalDetention || q.sentence == .publicSurveillance {
            note("起始与间隔", "\(q.sentence.chineseName)减刑可以酌情、起始时间可以适当缩短，只受实际执行不少于原判刑期二分之一的限制", "法释〔2016〕23号第十六条", .a)
        }
        // Start or interval.
        var earliest: CalendarDate?
        var relaxedEarliest: CalendarDate?
        // Major merit frees the proposal from start and interval only where every specific row says so: SPC-2016 Art. 10
        // and 11 (reprieves) say nothing of it, SPC-2019 Art. 5 restores it for former officials.
        let specific = rows.filter { $0.regime != .ordinary }
        let bypass = !rows.isEmpty && (specific.isEmpty ? rows : specific).allSatisfy(\.majorMeritBypass)
        if regimes.contains(.listed), q.sentence == .fixedTerm || phase == .afterReductionToFixedTerm {
            note("从严掌握", "从严类别罪犯的减刑幅度应当比照第六条从严掌握：下列上限是法定最高值，具体幅度由法院个案裁量", "法释〔2016〕23号第七条、第九条、第十一条", .a)
        }
        if let last = q.commutations.last ?? reprieveRuling {
            if let interval = rows.compactMap(\.intervalMonths).max() {
                let cite = Self.citing(rows.filter { $0.intervalMonths == interval })
                var months = interval
                var basis = "两次减刑间隔不少于\(CommutationCalculator.months(interval))"
                if let cut = last.reductionMonths, cut > months {
                    months = cut
                    basis += "，且不低于上次减去的\(CommutationCalculator.months(cut))"
                }
                earliest = last.servedOn.addingMonths(months)
                startOrIntervalCitation = cite + "；法释〔2016〕23号第四十条第二款"
                relaxedEarliest = relaxed ? last.servedOn.addingMonths(rules.relaxation.shortened(months)) : nil
                if q.commutations.isEmpty {
                    note("减刑间隔", "\(basis)：缓期执行期满减为二十五年的裁定送达日未给出，按期满之日 \(last.servedOn) 计（有利于罪犯的读法），最早 \(earliest!) 报请",
                        cite + "；法释〔2016〕23号第四十条第二款", .b)
                } else {
                    note("减刑间隔", "\(basis)：自上次裁定送达 \(last.servedOn) 起，最早 \(earliest!) 报请", cite + "；法释〔2016〕23号第四十条第二款", .a)
                }
                intervalMayShorten = grounds?.isMajorMerit == true && !bypass && specific.contains { $0.majorMeritMayShortenInterval == true }
            }
        } else if let first = rows.compactMap(\.firstAfterMonths).max() {
            let cite = Self.citing(rows.filter { $0.firstAfterMonths == first })
            let months = first
            let start = q.sentence == .deathReprieve ? (q.reprieveExpired ?? q.executionStart) : q.executionStart
            earliest = start.addingMonths(months)
            startOrIntervalCitation = cite
            relaxedEarliest = relaxed ? start.addingMonths(rules.relaxation.shortened(months)) : nil
            if q.sentence == .deathReprieve {
                note("减刑起始时间", "减为无期徒刑后执行\(CommutationCalculator.months(months))以上；文本未明定自何日起算，按缓期执行期满之日 \(start) 计，最早 \(earliest!) 报请",
                    cite, .b)
            } else {
                note("减刑起始时间", "自交付执行 \(start) 起执行\(CommutationCalculator.months(months))以上，最早 \(earliest!) 报请", cite + "；法释〔2016〕23号第四十条第一款", .a)
            }
        }
        if let excluded = rules.categories.first(where: { c in
            c.relaxation == true && q.categories.contains(c.id) && (c.excludedBy ?? []).contains(where: q.categories.contains)
        }) {
            note("从宽", "\(excluded.name)：因同时属于累犯或《刑法》第八十一条第二款情形，不适用从宽", excluded.relaxationCitation ?? rules.relaxation.citation, .a)
        }
        if let r = relaxedEarliest {
            note("从宽", "\(relaxation?.name ?? "")：起始、间隔时间可缩短不超过三分之一，最早 \(r)", relaxationCitation, rules.relaxation.grade)
        }
        startOrIntervalDay = earliest
        if let final = q.newCrimeFinal {
            let months = q.newCrimeLife == true ? rules.newCrimeBar.afterLifeMonths : rules.newCrimeBar.afterFixedTermMonths
            bars.append((final.addingMonths(months), "又故意犯罪，新罪判决确定之日 \(final) 起\(CommutationCalculator.months(months))内不予减刑", rules.newCrimeBar.citation))
        }
        if phase == .deathReprieve, q.categories.contains("crimeDuringReprieve"), let expired = q.reprieveExpired {
            let months = rules.newCrimeBar.duringReprieveMonths
            bars.append((expired.addingMonths(months), "死缓期间又故意犯罪，减为无期徒刑后\(CommutationCalculator.months(months))内不予减刑", rules.newCrimeBar.citation))
        }
        for bar in bars {
            note("不予减刑期间", "\(bar.reason)，\(bar.until) 前不得报请（不因重大立功或从宽规定而缩短）", bar.citation, rules.newCrimeBar.grade)
            earliest = max(earliest ?? bar.until, bar.until)
            relaxedEarliest = relaxedEarliest.map { max($0, bar.until) }
        }
        if let g = grounds, g.isMajorMerit, bypass {
            next.startAndIntervalWaived = true
            note("重大立功", "有重大立功表现的，可以不受减刑起始时间和间隔时间的限制（又犯新罪的不予减刑期间仍适用）", cite, .a)
        }
        next.earliestReport = earliest
        next.earliestReportRelaxed = relaxedEarliest
        // Size.
        if let g = grounds {
            let caps = rows.compactMap { $0.maxReductionMonths?[g.rawValue] }
            if let cap = caps.min() {
                var allowed = cap
                note("减刑幅度", "\(g.chineseName)：一次减刑不超过\(CommutationCalculator.months(cap))",
                    Self.citing(rows.filter { $0.maxReductionMonths?[g.rawValue] == cap }), .a)
                if relaxed {
                    allowed = rules.relaxation.widened(cap)
                    note("从宽", "幅度可放宽不超过三分之一：不超过\(CommutationCalculator.months(allowed))", relaxationCitation, rules.relaxation.grade)
                }
                if let end = currentEnd, let floorEnd, let current = currentTerm() {
                    let byFloor = Self.largestCut(from: current.from, months: current.months, keepingUntil: floorEnd)
                    if byFloor < allowed {
                        note("法定最低实际执行", "受最低执行期限制，本次最多减去\(CommutationCalculator.months(max(byFloor, 0)))（现刑期至 \(end)）", "《刑法》第七十八条第二款", .a)
                        allowed = max(byFloor, 0)
                    }
                }
                next.maxReductionMonths = allowed
                if allowed == 0 {
                    next.allowed = false
                    next.reason = "已达到法定最低实际执行期限，不能再减刑"
                }
            } else if let range = reduceToRange(rows, g) {
                var lowest = range.lowest
                var detail = "\(g.chineseName)：可以减为\(Self.range(range.lowest, range.highest))有期徒刑"
                if let minimum = rows.compactMap(\.minimumTermAfterReductionMonths).max(), minimum > lowest {
                    lowest = minimum
                    detail += "，且减刑后刑期不少于\(CommutationCalculator.months(minimum))"
                }
                note("减为有期徒刑", detail, cite, .a)
                if g == .repentanceAndMajorMerit, let reading = rows.first(where: { $0.tierReadingGrade != nil }) {
                    note("减为有期徒刑", reading.note ?? "", reading.citation, reading.tierReadingGrade ?? .b)
                }
                if let floorEnd {
                    let ruling = q.proposal?.reportedOn ?? earliest ?? q.executionStart
                    let byFloor = Self.shortestTerm(from: ruling, keepingUntil: floorEnd)
                    if byFloor > lowest {
                        note("法定最低实际执行", "按 \(ruling) 裁定计，减为的刑期不得少于\(CommutationCalculator.months(byFloor))", "《刑法》第七十八条第二款", .a)
                        lowest = byFloor
                    }
                }
                next.reduceToMonths = [lowest, max(lowest, range.highest)]
            }
        }
        // Hearing.
        if let g = grounds, g.isMajorMerit { next.hearingRequired.append("因重大立功报请减刑") }
        for id in q.categories where rules.category(id)?.mandatoryHearing == true {
            next.hearingRequired.append("罪犯属于" + (rules.category(id)?.name ?? id))
        }
        return next
    }

    /// A reprieve reduced straight to 25 years: that ruling starts the interval (its service day is not in the query).
    var reprieveRuling: PastCommutation? {
        guard q.sentence == .deathReprieve, q.reprievedTo == .fixedTerm, let r = q.reprieveExpired else { return nil }
        return PastCommutation(ruledOn: r, servedOn: r)
    }

    func reduceToRange(_ rows: [CommutationRules.Schedule], _ g: CommutationGrounds) -> (lowest: Int, highest: Int)? {
        let ranges = rows.compactMap { $0.reduceToMonths?[g.rawValue] }
        guard !ranges.isEmpty else { return nil }
        let lowest = ranges.map { $0[0] }.max()!
        return (lowest, max(lowest, ranges.map { $0[1] }.min()!))
    }

    /// The citations of the rows that set a value, each once.
    static func citing(_ rows: [CommutationRules.Schedule]) -> String {
        var seen = Set<String>()
        return rows.map(\.citation).filter { seen.insert($0).inserted }.joined(separator: "；")
    }

    static func range(_ lo: Int, _ hi: Int) -> String {
        lo == hi ? CommutationCalculator.months(lo) : "\(CommutationCalculator.months(lo))至\(CommutationCalculator.months(hi))"
    }

    /// The most months that may be cut from a term of `months` from `from` while it still ends on or after `floorEnd`.
    static func largestCut(from: CalendarDate, months: Int, keepingUntil floorEnd: CalendarDate) -> Int {
        var cut = 0
        while cut < months, from.sentenceEnd(months: months - cut - 1) >= floorEnd { cut += 1 }
        return cut
    }

    /// The shortest term (months) from `from` that ends on or after `floorEnd`.
    static func shortestTerm(from: CalendarDate, keepingUntil floorEnd: CalendarDate) -> Int {
        var months = 0
        while from.sentenceEnd(months: months) < floorEnd { months += 1 }
        return months
    }
}
