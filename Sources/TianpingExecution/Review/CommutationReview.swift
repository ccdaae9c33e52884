import TianpingCore
import TianpingRules

/// Every commutation a case's execution records show, checked as it was proposed: the calculator is given the
/// history before it and the commutation as its proposal, and each breach becomes a finding against the facility that
/// proposed it. The court that granted it is named in the explanation by the ruling's number.
///
/// Where the record leaves something out, the review reads it in the convict's favour and says so, so that a gap in
/// the data never becomes an accusation: no report date → the ruling's date (the latest the report can have been);
/// no service date → the ruling's date (the earliest the next interval can have started); no grounds → the grounds
/// with the largest cut, and then major merit frees the start and interval, so none is flagged.
public struct CommutationReview: Sendable {
    public let calculator: CommutationCalculator

    public init(calculator: CommutationCalculator) { self.calculator = calculator }

    public static let family = RuleFamily(id: "commutation", chineseName: "减刑假释")

    /// The catalogue entry of each rule, and the problem codes it reports.
    static let entries: [(entry: CatalogueEntry, codes: Set<String>)] = [
        (rule("CP-START", "减刑起始时间不足", "首次减刑报请时执行时间不足规定的起始时间（无重大立功等法定例外）。", "法释〔2016〕23号第六条至第十一条、第十三条；2019年补充规定第二条至第四条", .violation, .high), ["too_early"]),
        (rule("CP-INTERVAL", "减刑间隔时间不足", "本次报请距上次减刑裁定送达不足规定间隔，或短于上次减去的刑期。", "法释〔2016〕23号第六条第三款、第七条至第十一条、第十四条、第四十条第二款；2019年补充规定第二条", .violation, .high), ["interval_too_short"]),
        (rule("CP-CAP", "一次减刑幅度超限", "一次减去的刑期超过按减刑理由和罪犯类别确定的上限。", "法释〔2016〕23号第六条第二款、第七条、第九条、第十一条、第十四条；2019年补充规定第二条", .violation, .high), ["reduction_too_large"]),
        (rule("CP-REDUCED-TERM", "无期徒刑减为有期徒刑的刑期过短", "无期徒刑、死缓减为有期徒刑时，减为的刑期短于规定。", "法释〔2016〕23号第八条至第十一条；2019年补充规定第三条、第四条", .violation, .high), ["reduced_term_too_short"]),
        (rule("CP-FLOOR", "减刑后实际执行刑期低于法定下限", "减刑后实际执行的刑期少于《刑法》第七十八条第二款规定的最低期限。", "《刑法》第七十八条第二款；法释〔2016〕23号第十二条", .violation, .critical), ["below_statutory_floor"]),
        (rule("CP-NEW-CRIME", "又犯新罪后限制期内减刑", "刑罚执行期间又故意犯罪，新罪判决确定后三年（无期为四年）内予以减刑。", "法释〔2016〕23号第二十一条", .violation, .high), ["new_crime_bar"]),
        (rule("CP-LIFETIME", "终身监禁罪犯减刑", "判处终身监禁的罪犯不得减刑、假释。", "法释〔2016〕23号第十五条；《刑法》第三百八十三条第四款", .violation, .critical), ["lifetime_imprisonment"]),
        (rule("CP-PAROLE-BARRED", "不得假释的罪犯被假释", "累犯、暴力犯罪被判处十年以上、有能力履行而不履行财产性判项、终身监禁等依法不得假释的罪犯被裁定假释。", "《刑法》第八十一条第二款；法释〔2016〕23号第二十五条、第二十七条；2019年补充规定第一条", .violation, .critical), ["parole_barred"]),
        (rule("CP-PAROLE-EARLY", "假释时实际执行刑期不足", "有期徒刑执行不足原判刑期二分之一、无期徒刑实际执行不足十三年、死缓减刑后实际执行不足十五年即被假释。", "《刑法》第八十一条第一款；法释〔2016〕23号第二十三条", .violation, .high), ["parole_early"]),
        (rule("CP-PAROLE-INTERVAL", "减刑后假释间隔不足", "减刑后不足一年（一次减去一年以上的，不足一年六个月）即被假释，且余刑在二年以上。", "法释〔2016〕23号第二十八条", .violation, .high), ["parole_interval_too_short"]),
        (rule("CP-UNREADABLE", "减刑假释记录与判决不一致，无法审查", "执行记录与判决或自身相矛盾（如裁定晚于刑期届满、类别与刑期不符），计算器拒绝审查：应核对数据。", "法释〔2016〕23号", .signal, .low), ["unreadable"]),
        (rule("CP-REASONS", "减刑突破一般规定，需说明理由", "以重大立功、从宽规定或余刑不足二年为由突破起始时间、间隔或幅度，或有能力履行财产性判项而未履行、拒不认罪悔罪：应开庭审理并说明理由。", "法释〔2016〕23号第六条第四款、第十六条、第十九条、第二十条、第二十七条；刑诉法解释第五百三十八条", .signal, .medium), ["early_major_merit", "early_relaxed", "early_short_remainder", "reduction_relaxed", "property_items_unpaid", "no_remorse",
            "parole_interval_shortened"]),
    ]

    static func rule(_ id: String, _ name: String, _ description: String, _ citation: String, _ kind: FindingKind, _ severity: Severity) -> CatalogueEntry {
        CatalogueEntry(id: id, name: name, description: description, citation: citation, grade: .a, kind: kind, severity: severity,
            family: family, mayAlert: true)
    }

    /// Every rule the review can raise, for the platform catalogue.
    public var rules: [CatalogueEntry] { Self.entries.map(\.entry) }

    static let ruleByCode: [String: CatalogueEntry] = {
        var map: [String: CatalogueEntry] = [:]
        for (entry, codes) in entries { for c in codes { map[c] = entry } }
        return map
    }()

    public func findings(in timeline: CaseTimeline, asOf: Timestamp) -> [Finding] {
        var found: [Finding] = []
        for x in timeline.executions where !x.commutations.isEmpty || x.parole != nil {
            if let lifetime = lifetimeFindings(x, timeline, asOf: asOf) {
                found += lifetime
                continue
            }
            guard let base = baseQuery(x, timeline, asOf: asOf) else { continue }
            var history: [PastCommutation] = []
            for c in x.commutations where c.ruledAt <= asOf {
                let ruled = c.ruledAt.localDate
                var query = base
                query.commutations = history
                let grounds = c.grounds ?? .repentanceAndMajorMerit
                query.proposal = ProposedCommutation(reportedOn: c.proposedOn ?? ruled, grounds: grounds, reductionMonths: c.reductionMonths,
                    reducedToMonths: c.reducedToMonths)
                let problems: [CommutationProblem]
                do { problems = try calculator.assess(query).problems } catch {
                    // Nothing is dropped in silence: what the calculator cannot read is a lead to check the data.
                    found += Self.findings([("unreadable", "\(error)", "法释〔2016〕23号", ConfidenceGrade.a)], act: "减刑裁定 \(c.rulingNumber)（\(ruled) 裁定）",
                        note: "", anchor: x.convict + "/" + c.rulingNumber, at: c.ruledAt, x, timeline)
                    break
                }
                // Without grounds, "needs reasons" would rest on a major merit nobody claimed: only breaches count.
                var note = ""
                if c.proposedOn == nil { note += "记录未载明报请日，按裁定日计。" }
                if c.grounds == nil { note += "记录未载明减刑理由，按最有利于罪犯的理由计。" }
                found += Self.findings(problems.filter { c.grounds != nil || $0.severity == .violation }.map { ($0.code, $0.message, $0.citation, $0.grade) },
                    act: "减刑裁定 \(c.rulingNumber)（\(ruled) 裁定）", note: note, anchor: x.convict + "/" + c.rulingNumber, at: c.ruledAt, x, timeline)
                history.append(PastCommutation(ruledOn: ruled, servedOn: c.servedOn ?? ruled, reductionMonths: c.reductionMonths,
                    reducedToMonths: c.reducedToMonths))
            }
            if let p = x.parole, p.ruledAt <= asOf, p.ruledAt.localDate >= calculator.rules.inForce.rules {
                found += paroleFindings(p, base: base, history: history, x, timeline)
            }
        }
        // Two records of one convict (a transfer) repeat a history: one finding per id.
        var seen = Set<String>()
        return found.filter { seen.insert($0.id).inserted }
    }

    /// 终身监禁 (刑法 383(4)) comes with a reprieve, which the review cannot otherwise read: any commutation or parole of
    /// such a convict is a breach whatever its dates (SPC-2016 Art. 15).
    func lifetimeFindings(_ x: ExecutionRecord, _ timeline: CaseTimeline, asOf: Timestamp) -> [Finding]? {
        guard x.categories?.contains(PrisonerCategory.lifetimeImprisonment.rawValue) == true else { return nil }
        var found: [Finding] = []
        for c in x.commutations where c.ruledAt <= asOf {
            found += Self.findings([("lifetime_imprisonment", "判处终身监禁的罪犯不得减刑", "法释〔2016〕23号第十五条；《刑法》第三百八十三条第四款", .a)],
                act: "减刑裁定 \(c.rulingNumber)（\(c.ruledAt.localDate) 裁定）", note: "", anchor: x.convict + "/" + c.rulingNumber, at: c.ruledAt, x, timeline)
        }
        if let p = x.parole, p.ruledAt <= asOf {
            found += Self.findings([("parole_barred", "终身监禁，不得假释", "法释〔2016〕23号第十五条；《刑法》第三百八十三条第四款", .a)],
                act: "假释裁定 \(p.rulingNumber)", note: "", anchor: x.convict + "/" + p.rulingNumber, at: p.ruledAt, x, timeline)
        }
        return found
    }

    /// A parole checked on the day it was ruled (the latest its conditions can have been judged): a barred convict, too
    /// little served, or too soon after a commutation (which needs reasons, not a breach, when under two years were left).
    func paroleFindings(_ p: ParoleGrant, base: CommutationQuery, history: [PastCommutation], _ x: ExecutionRecord,
        _ timeline: CaseTimeline) -> [Finding]
    {
        var query = base
        let ruled = p.ruledAt.localDate
        query.commutations = history.filter { $0.ruledOn <= ruled }
        guard let a = try? calculator.assess(query) else { return [] }
        var problems: [(code: String, message: String, citation: String)] = []
        let expired = "刑期届满前不具备假释的执行期限"
        let bars = a.parole.barred.filter { $0 != expired }
        if !bars.isEmpty {
            problems.append(("parole_barred", bars.joined(separator: "；"), a.parole.citation))
        } else if let enough = a.parole.servedEnoughOn, ruled < enough {
            problems.append(("parole_early", "\(ruled) 裁定假释，执行刑期至 \(enough) 方满足假释条件", a.parole.citation))
        } else if let after = a.parole.afterCommutationOn, ruled < after {
            let left = a.currentEnd.map { ruled.addingMonths(24) > $0 } ?? false
            problems.append(left
                ? ("parole_interval_shortened", "\(ruled) 裁定假释，距上次减刑不足规定间隔（至 \(after)）；余刑不足二年，可以适当缩短，应说明理由", "法释〔2016〕23号第二十八条第二款")
                : ("parole_interval_too_short", "\(ruled) 裁定假释，距上次减刑不足规定间隔（至 \(after)）", "法释〔2016〕23号第二十八条"))
        }
        return Self.findings(problems.map { ($0.code, $0.message, $0.citation, ConfidenceGrade.a) }, act: "假释裁定 \(p.rulingNumber)", note: "",
            anchor: x.convict + "/" + p.rulingNumber, at: p.ruledAt, x, timeline)
    }

    /// One finding per rule for one ruling: problems of the same rule (two reasons a lead needs) are joined, so that
    /// each finding's id — rule, case, convict and ruling — is unique.
    static func findings(_ problems: [(code: String, message: String, citation: String, grade: ConfidenceGrade)], act: String, note: String,
        anchor: String, at: Timestamp, _ x: ExecutionRecord, _ timeline: CaseTimeline) -> [Finding]
    {
        var order: [String] = []
        var byRule: [String: [(code: String, message: String, citation: String, grade: ConfidenceGrade)]] = [:]
        for p in problems {
            guard let rule = ruleByCode[p.code] else { continue }
            if byRule[rule.id] == nil { order.append(rule.id) }
            byRule[rule.id, default: []].append(p)
        }
        return order.compactMap { id in
            guard let group = byRule[id], let rule = ruleByCode[group[0].code] else { return nil }
            var seen = Set<String>()
            let citation = group.map(\.citation).filter { seen.insert($0).inserted }.joined(separator: "；")
            let explanation = "依据《中华人民共和国刑法》第七十八条至第八十一条及《最高人民法院关于办理减刑、假释案件具体应用法律的规定》等（\(citation)），"
                + act + "：" + group.map(\.message).joined(separator: "；") + "。" + note
            return Finding(id: Finding.key(rule: rule.id, caseID: timeline.caseID, anchor: anchor), ruleID: rule.id, caseID: timeline.caseID,
                kind: rule.kind, severity: rule.severity, grade: group.map(\.grade).max() ?? .a, agency: x.facility, person: x.convict,
                occurredAt: at, explanation: explanation, citation: citation)
        }
    }

    /// One convict's execution as the calculator reads it — sentence, dates, categories and every commutation so far —
    /// or nil when the review cannot read it (no judgment, probation, a reprieve).
    public func query(for x: ExecutionRecord, in timeline: CaseTimeline) -> CommutationQuery? {
        guard var q = baseQuery(x, timeline, asOf: nil) else { return nil }
        q.commutations = x.commutations.map {
            PastCommutation(ruledOn: $0.ruledAt.localDate, servedOn: $0.servedOn ?? $0.ruledAt.localDate, reductionMonths: $0.reductionMonths,
                reducedToMonths: $0.reducedToMonths)
        }
        q.grounds = x.commutations.last?.grounds
        return q
    }

    /// The sentence, dates and categories of one convict, from the execution record and the convict's last judgment.
    /// The judgment is the convict's latest decided by `asOf` (the timeline holds judgments in decision order); a life
    /// sentence without a recorded day of effect counts from the decision, the earliest it can have taken effect.
    func baseQuery(_ x: ExecutionRecord, _ timeline: CaseTimeline, asOf: Timestamp?) -> CommutationQuery? {
        guard let judgment = timeline.judgments.last(where: { j in j.defendant == x.convict && (asOf.map { j.decidedAt <= $0 } ?? true) })
        else { return nil }
        let sentence: OriginalSentence
        switch judgment.principalPenalty {
        case .fixedTermImprisonment: sentence = .fixedTerm
        case .criminalDetention: sentence = .criminalDetention
        case .publicSurveillance: sentence = .publicSurveillance
        case .lifeImprisonment: sentence = .life
        default: return nil  // a reprieve needs the day its two years ran out, which the record does not carry yet
        }
        if sentence.isTerm, judgment.termMonths == nil || judgment.probationMonths != nil { return nil }
        let admitted = timeline.events.first { $0.event.kind == .admittedToPrison && $0.event.person == x.convict }?.event.occurredAt.localDate
        let delivered = max(x.deliveredOn ?? admitted ?? x.termStart, x.termStart)
        let effective = timeline.events.last { e in
            e.event.kind == .judgmentEffective && (e.event.person == nil || e.event.person == x.convict)
        }?.event.occurredAt.localDate
        var categories = Set(x.categories ?? [])
        // Categories the judgment contradicts cannot be right: dropped rather than let them silence the review.
        if sentence.isTerm, (judgment.termMonths ?? 0) < 120 { categories.remove(PrisonerCategory.violentCrime.rawValue) }
        categories.remove(PrisonerCategory.restrictedCommutation.rawValue)
        categories.formUnion(calculator.rules.categories(charges: judgment.charges, circumstances: judgment.circumstances,
            termMonths: judgment.termMonths, life: sentence == .life))
        return CommutationQuery(sentence: sentence, termMonths: sentence.isTerm ? judgment.termMonths : nil, categories: categories.sorted(),
            termStart: x.termStart, executionStart: delivered,
            judgmentEffective: min(effective ?? judgment.decidedAt.localDate, delivered))
    }
}
