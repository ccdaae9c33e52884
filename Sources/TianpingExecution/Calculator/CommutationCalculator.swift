import TianpingCore
import TianpingRules

/// Works out, for one prisoner, the earliest lawful commutation and its largest size, the statutory floor, parole
/// eligibility, and what is wrong with a proposal — every number taken from `CommutationRules` and cited in the trace.
///
/// Where several rows apply (a recidivist serving 12 years falls under SPC-2016 Art. 6 and Art. 7), each limit is the
/// strictest of them: the later start, the longer interval, the smaller cut, the longer remaining term.
///
/// ```swift
/// let calculator = CommutationCalculator(rules: try .bundled())
/// let a = try calculator.assess(CommutationQuery(sentence: .fixedTerm, termMonths: 96,
///     termStart: CalendarDate("2020-01-10")!, executionStart: CalendarDate("2020-04-01")!, grounds: .repentance))
/// a.next.earliestReport   // 2021-10-01: 1 year 6 months after delivery (SPC-2016 Art. 6)
/// ```
public struct CommutationCalculator: Sendable {
    public let rules: CommutationRules

    public init(rules: CommutationRules) { self.rules = rules }

    public func assess(_ query: CommutationQuery) throws -> CommutationAssessment {
        var assessment = Assessment(rules: rules, query: query)
        return try assessment.run()
    }

    /// Months as a sentence is written: 1年6个月, 9个月, 2年.
    public static func months(_ m: Int) -> String {
        let sign = m < 0 ? "负" : ""
        let a = abs(m)
        if a < 12 { return "\(sign)\(a)个月" }
        return sign + "\(a / 12)年" + (a % 12 == 0 ? "" : "\(a % 12)个月")
    }
}

/// One assessment's working state: the query checked, the regimes found, and the trace as it grows.
private struct Assessment {
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

    var lastMonthsCut: PastCommutation? { q.commutations.last }

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
