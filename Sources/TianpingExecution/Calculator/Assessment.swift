import TianpingCore
import TianpingRules

/// One assessment's working state: the query checked, the regimes found, and the trace as it grows.
struct Assessment {
    let rules: CommutationRules
    let query: CommutationQuery
    var trace: [ExecutionStep] = []
    /// The first day the start or interval allows, before any bar for a new crime (a proposal before it is too early).
    var startOrIntervalDay: CalendarDate?
    /// The rows that set that day.
    var startOrIntervalCitation = ""
    /// Major merit may shorten the interval (SPC-2016 Art. 14): a short one needs reasons, it is not a breach.
    var intervalMayShorten = false
    /// Days before which no commutation may be granted at all (SPC-2016 Art. 21), whatever the grounds.
    var bars: [(until: CalendarDate, reason: String, citation: String)] = []

    init(rules: CommutationRules, query: CommutationQuery) {
        self.rules = rules
        self.query = query
    }

    mutating func note(_ step: String, _ detail: String, _ citation: String, _ grade: ConfidenceGrade) {
        trace.append(ExecutionStep(step: step, detail: detail, citation: citation, grade: grade))
    }

    var q: CommutationQuery { query }
    var term: Int { q.termMonths ?? 0 }
    var termStart: CalendarDate { q.termStart ?? q.executionStart }
    var isLifetime: Bool { q.categories.contains("lifetimeImprisonment") }
    /// The category that relaxes the limits (a minor, the old or infirm), unless another excludes it (Art. 19).
    var relaxation: CommutationRules.Category? {
        rules.categories.first { c in
            c.relaxation == true && q.categories.contains(c.id) && !(c.excludedBy ?? []).contains(where: q.categories.contains)
        }
    }
    var relaxed: Bool { relaxation != nil }
    var relaxationCitation: String { relaxation?.relaxationCitation ?? rules.relaxation.citation }
    var grounds: CommutationGrounds? { q.proposal?.grounds ?? q.grounds }

    /// The fixed-term band a category's `appliesTo` names.
    var sentenceClasses: Set<String> {
        switch q.sentence {
        case .fixedTerm, .criminalDetention, .publicSurveillance:
            var s: Set<String> = []
            if term <= 120 { s.insert("fixedTermUpTo10") }
            if term >= 120 { s.insert("fixedTerm10Plus") }
            return s
        case .life: return ["life"]
        case .deathReprieve: return ["deathReprieve"]
        }
    }

    // MARK: Input

    func validate() throws {
        func fail(_ m: String) -> CommutationError { .invalidInput(m) }
        if q.sentence.isTerm {
            guard let t = q.termMonths, (1...300).contains(t) else { throw fail("\(q.sentence.chineseName)应给出 1 到 300 个月的刑期（termMonths）") }
            if q.sentence == .criminalDetention, t > 12 { throw fail("拘役的刑期不超过 12 个月（数罪并罚，《刑法》第六十九条）") }
            if q.sentence == .publicSurveillance, t > 36 { throw fail("管制的刑期不超过 36 个月（数罪并罚，《刑法》第六十九条）") }
            if let s = q.termStart, s > q.executionStart { throw fail("刑期起算日 \(s) 晚于交付执行之日 \(q.executionStart)") }
        }
        if q.sentence == .deathReprieve, q.reprieveExpired == nil { throw fail("死刑缓期执行应给出缓期执行期满之日（reprieveExpired）") }
        let given: [CalendarDate?] = [q.termStart, q.executionStart, q.judgmentEffective, q.reprieveExpired, q.newCrimeFinal, q.proposal?.reportedOn]
        let days = given.compactMap { $0 } + q.commutations.flatMap { c -> [CalendarDate] in [c.ruledOn, c.servedOn] }
        if let odd = days.first(where: { !(1950...2200).contains($0.year) }) {
            throw fail("日期 \(odd) 不合常理（应在 1950 年至 2200 年之间）")
        }
        if let r = q.reprieveExpired, r < q.executionStart { throw fail("缓期执行期满之日 \(r) 早于交付执行之日 \(q.executionStart)") }
        if let e = q.judgmentEffective, e > q.executionStart { throw fail("判决生效之日 \(e) 晚于交付执行之日 \(q.executionStart)") }
        for id in q.categories where rules.category(id) == nil {
            throw fail("未知的罪犯类别：\(id)（可用：\(rules.categories.map(\.id).joined(separator: "、"))）")
        }
        if q.categories.contains("restrictedCommutation"), q.sentence != .deathReprieve { throw fail("限制减刑只适用于死刑缓期执行") }
        if q.categories.contains("violentCrime"), q.sentence.isTerm, term < 120 {
            throw fail("“暴力犯罪被判处十年以上”须该罪本身被判处十年以上有期徒刑，原判刑期只有 \(CommutationCalculator.months(term))")
        }
        let phaseStart = q.reprieveExpired ?? q.executionStart
        var previous: PastCommutation?
        var remaining = q.sentence.isTerm ? term : (q.reprievedTo == .fixedTerm ? 300 : nil)
        var runsFrom: CalendarDate? = q.sentence.isTerm ? termStart : (q.reprievedTo == .fixedTerm ? q.reprieveExpired : nil)
        /// The term's last day as it stands, once it is a fixed term.
        func end() -> CalendarDate? { runsFrom.flatMap { from in remaining.map { from.sentenceEnd(months: $0) } } }
        for (i, c) in q.commutations.enumerated() {
            let n = "第\(i + 1)次减刑"
            if c.ruledOn < phaseStart { throw fail("\(n)的裁定日 \(c.ruledOn) 早于刑罚开始执行（\(phaseStart)）") }
            if let e = end(), c.ruledOn > e { throw fail("\(n)的裁定日 \(c.ruledOn) 晚于刑期届满之日 \(e)") }
            if c.servedOn < c.ruledOn { throw fail("\(n)的送达日 \(c.servedOn) 早于裁定日 \(c.ruledOn)") }
            if let p = previous, c.ruledOn < p.servedOn { throw fail("\(n)的裁定日 \(c.ruledOn) 早于上一次减刑裁定送达（\(p.servedOn)）") }
            if let left = remaining {
                guard let cut = c.reductionMonths, cut > 0, c.reducedToMonths == nil else { throw fail("\(n)应给出减去的月数（reductionMonths）") }
                if cut >= left { throw fail("\(n)减去 \(CommutationCalculator.months(cut))，不少于尚余刑期 \(CommutationCalculator.months(left))") }
                remaining = left - cut
            } else {
                guard let to = c.reducedToMonths, (120...300).contains(to), c.reductionMonths == nil else {
                    throw fail("\(n)应给出无期徒刑减为的有期徒刑月数（reducedToMonths，120 至 300）")
                }
                remaining = to
                runsFrom = c.ruledOn
            }
            if let e = end(), e < c.ruledOn { throw fail("\(n)后刑期于 \(e) 届满，早于该裁定本身（\(c.ruledOn)）") }
            previous = c
        }
        if let p = q.proposal {
            if let last = previous, p.reportedOn < last.servedOn { throw fail("报请减刑之日 \(p.reportedOn) 早于上一次减刑裁定送达（\(last.servedOn)）") }
            if p.reportedOn < phaseStart { throw fail("报请减刑之日 \(p.reportedOn) 早于刑罚开始执行（\(phaseStart)）") }
            if let e = end(), p.reportedOn > e { throw fail("报请减刑之日 \(p.reportedOn) 晚于刑期届满之日 \(e)") }
            if let left = remaining {
                guard let cut = p.reductionMonths, cut > 0, p.reducedToMonths == nil else { throw fail("报请应给出减去的月数（reductionMonths）") }
                if cut >= left { throw fail("报请减去 \(CommutationCalculator.months(cut))，不少于尚余刑期 \(CommutationCalculator.months(left))") }
            } else {
                guard let to = p.reducedToMonths, (120...300).contains(to), p.reductionMonths == nil else {
                    throw fail("报请应给出无期徒刑减为的有期徒刑月数（reducedToMonths，120 至 300）")
                }
            }
        }
    }

    // MARK: Regimes and rows

    /// SPC-2019 governs a proposal reported from its day in force (or, without a proposal, now).
    var corruptionRulesInForce: Bool { q.proposal.map { $0.reportedOn >= rules.inForce.formerOfficialCorruption } ?? true }

    /// The regimes the prisoner's categories put them in. For former officials SPC-2019 takes over the 职务犯罪 listing
    /// (its Art. 7); a listing on another ground (累犯, 数罪并罚) stays. Before SPC-2019, such a prisoner was a 职务犯罪
    /// prisoner under SPC-2016 Art. 7.
    func regimes() -> [CommutationRules.Regime] {
        var found: Set<CommutationRules.Regime> = [.ordinary]
        let classes = sentenceClasses
        let present = Set(q.categories)
        let corruption = present.contains("formerOfficialCorruption") && corruptionRulesInForce
        let superseded = corruption ? Set(rules.supersedes.formerOfficialCorruption) : []
        for id in q.categories where !superseded.contains(id) {
            guard let c = rules.category(id) else { continue }
            if let only = c.appliesTo, classes.isDisjoint(with: only) { continue }
            if let required = c.requires, !required.allSatisfy(present.contains) { continue }
            var r = Set(c.regimes)
            if r.contains(.formerOfficialCorruption), !corruption {
                r.remove(.formerOfficialCorruption)
                r.insert(.listed)
            }
            found.formUnion(r)
        }
        return CommutationRules.Regime.allCases.filter { found.contains($0) }
    }

    /// The table the next commutation falls under.
    var phase: CommutationRules.Phase {
        switch q.sentence {
        case .fixedTerm, .criminalDetention, .publicSurveillance: return .fixedTerm
        case .life: return q.commutations.isEmpty ? .life : .afterReductionToFixedTerm
        case .deathReprieve: return q.reprievedTo == .fixedTerm || !q.commutations.isEmpty ? .afterReductionToFixedTerm : .deathReprieve
        }
    }

    func schedules(_ regimes: [CommutationRules.Regime]) -> [CommutationRules.Schedule] {
        guard q.sentence != .criminalDetention, q.sentence != .publicSurveillance else { return [] }
        let origin: CommutationRules.Phase = q.sentence == .life ? .life : .deathReprieve
        let rows = rules.schedules.filter { s in
            regimes.contains(s.regime) && s.phase == phase && (s.phase != .fixedTerm || s.covers(termMonths: term))
                && (s.origin == nil || s.origin == origin)
        }
        let replaced = Set(rows.flatMap { $0.replaces ?? [] })
        return rows.filter { !replaced.contains($0.id) }
    }

    // MARK: Dates

    /// The last day of the term as it now stands, and the day and months it runs from.
    func currentTerm() -> (from: CalendarDate, months: Int)? {
        if q.sentence.isTerm { return (termStart, term - q.commutations.compactMap(\.reductionMonths).reduce(0, +)) }
        if let first = q.commutations.first, let to = first.reducedToMonths {
            return (first.ruledOn, to - q.commutations.dropFirst().compactMap(\.reductionMonths).reduce(0, +))
        }
        if q.sentence == .deathReprieve, q.reprievedTo == .fixedTerm, let r = q.reprieveExpired {
            return (r, 300 - q.commutations.compactMap(\.reductionMonths).reduce(0, +))
        }
        return nil
    }

    /// The last day the prisoner must at least serve (刑法 78(2)), with the row that set it.
    func floor(_ regimes: [CommutationRules.Regime]) -> (end: CalendarDate, row: CommutationRules.Floor)? {
        let restricted = regimes.contains(.restricted)
        let candidates = rules.floors.filter { f in
            f.sentences.contains(q.sentence) && (f.restricted ?? false) == restricted
                && (f.reprievedTo == nil || f.reprievedTo == (q.reprievedTo ?? .life))
        }
        guard let row = candidates.first else { return nil }
        let from: CalendarDate
        switch row.countedFrom {
        case "termStart": from = termStart
        case "judgmentEffective": from = q.judgmentEffective ?? q.executionStart
        default: from = q.reprieveExpired ?? q.executionStart
        }
        if let fraction = row.fractionOfOriginalTerm {
            let days = termStart.sentenceEnd(months: term).dayNumber - termStart.dayNumber + 1
            let least = Int((Double(days) * fraction).rounded(.up))
            return (from.adding(days: least - 1), row)
        }
        return (from.sentenceEnd(months: row.months ?? 0), row)
    }

    // MARK: The run

    mutating func run() throws -> CommutationAssessment {
        try validate()
        let regimes = regimes()
        let names = q.categories.compactMap { rules.category($0)?.name }
        note("刑罚", describeSentence(), "《刑法》第三十三条", .a)
        if !names.isEmpty {
            note("罪犯类别", names.joined(separator: "、") + " → 适用：" + regimes.map(Self.regimeName).joined(separator: "、"),
                regimes.contains(.formerOfficialCorruption) ? rules.supersedes.citation : "法释〔2016〕23号第七条、第九条、第十一条", .a)
        }
        let current = currentTerm()
        let currentEnd = current.map { $0.from.sentenceEnd(months: $0.months) }
        if let c = current, let end = currentEnd {
            note("现行刑期", "自 \(c.from) 起 \(CommutationCalculator.months(c.months))，至 \(end) 止",
                q.sentence.isTerm ? "《刑法》第四十七条；刑诉法解释第二百零二条" : "《刑法》第五十一条、第八十条", .a)
        }
        let floor = floor(regimes)
        if let f = floor {
            note("法定最低实际执行", "至少执行至 \(f.end)" + (f.row.note.map { "（\($0)）" } ?? ""), f.row.citation, f.row.grade)
        }
        var next = nextCommutation(regimes, currentEnd: currentEnd, floorEnd: floor?.end)
        let problems = check(&next, regimes: regimes, current: current, floorEnd: floor?.end)
        let parole = parole(currentEnd: currentEnd)
        if !next.hearingRequired.isEmpty || !parole.hearingRequired.isEmpty {
            note("开庭审理", (next.hearingRequired + parole.hearingRequired).joined(separator: "；") + "。另：" + rules.hearingAlso, "刑诉法解释第五百三十八条；法释〔2014〕5号第六条", .b)
        }
        return CommutationAssessment(rulesVersion: "\(rules.id)@\(rules.version)", sentence: describeSentence(), categories: names,
            regimes: regimes, currentTerm: current.map { CommutationCalculator.months($0.months) } ?? q.sentence.chineseName, currentEnd: currentEnd,
            floorEnd: floor?.end, floorCitation: floor?.row.citation ?? "", next: next, parole: parole, problems: problems, trace: trace)
    }

    func describeSentence() -> String {
        switch q.sentence {
        case .fixedTerm, .criminalDetention, .publicSurveillance: return q.sentence.chineseName + CommutationCalculator.months(term)
        case .life: return "无期徒刑" + (isLifetime ? "（终身监禁）" : "")
        case .deathReprieve:
            return "死刑缓期二年执行" + (q.categories.contains("restrictedCommutation") ? "（限制减刑）" : "")
                + (q.reprievedTo == .fixedTerm ? "，期满减为二十五年有期徒刑" : "，期满减为无期徒刑")
        }
    }

    static func regimeName(_ r: CommutationRules.Regime) -> String {
        switch r {
        case .ordinary: return "一般规定"
        case .listed: return "从严类别（法释〔2016〕23号第七、九、十一条）"
        case .formerOfficialCorruption: return "原国家工作人员贪污贿赂罪犯（2019年补充规定）"
        case .restricted: return "限制减刑"
        }
    }
}
