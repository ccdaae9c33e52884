import TianpingCore

/// Evaluates a rule pack against case timelines: findings for breaches and risk leads, and the running clocks
/// of open cases with their early-warning status.
///
/// The engine is a pure function of (pack, calendar, timeline, moment): the same inputs give the same
/// findings with the same ids, which is what lets the store update findings in place and resolve them when
/// later data cures them.
///
/// ```swift
/// let engine = try RuleEngine(pack: .bundled(), calendar: .bundled())
/// let result = engine.evaluate(timeline, asOf: now)
/// for finding in result.findings { print(finding.explanation) }
/// ```
public struct RuleEngine: Sendable {
    public let pack: RulePack
    public let arithmetic: DeadlineArithmetic
    public let thresholds: ClockThresholds
    /// Enabled rules with the set of event kinds that can trigger each, so a case only meets its own rules.
    private let enabledRules: [CompiledRule]

    public init(pack: RulePack, calendar: HolidayCalendar, thresholds: ClockThresholds = ClockThresholds()) {
        self.pack = pack
        self.arithmetic = DeadlineArithmetic(calendar: calendar)
        self.thresholds = thresholds
        self.enabledRules = pack.rules.filter(\.enabled).map(CompiledRule.init)
    }

    /// The events whose presence makes a rule worth evaluating on a case.
    static func triggerKinds(_ rule: Rule) -> [EventKind] {
        if let d = rule.deadline { return d.start.kinds + (d.restarts ?? []).flatMap(\.kinds) }
        if let p = rule.precedence { return p.event.kinds }
        if let c = rule.count { return c.event.kinds }
        if let d = rule.documents { return d.trigger.kinds }
        if let a = rule.approval { return a.event.kinds }
        if let s = rule.signal { return SignalDetectors.triggerKinds(s.detector) }
        return []
    }

    /// Evaluates every enabled rule that the case's events can trigger.
    public func evaluate(_ timeline: CaseTimeline, asOf: Timestamp) -> CaseEvaluation {
        // What was known at `asOf`: later records are not read (replaying a past moment gives its warnings).
        let timeline = (timeline.events.last.map { $0.at > asOf } ?? false) ? timeline.truncated(at: asOf) : timeline
        var output = Output(caseID: timeline.caseID, asOf: asOf)
        guard let caseType = timeline.caseType else {
            return CaseEvaluation(caseID: timeline.caseID, asOf: asOf, findings: [], clocks: [])
        }
        for rule in enabledRules where rule.triggerMask & timeline.kindMask != 0 {
            guard rule.scope.caseTypes.contains(caseType), flagsAllow(rule.scope, timeline) else { continue }
            let context = Context(rule: rule, timeline: timeline, asOf: asOf)
            if let spec = rule.deadline { evaluateDeadline(spec, context, &output) }
            if let spec = rule.precedence { evaluatePrecedence(spec, context, &output) }
            if let spec = rule.count { evaluateCount(spec, context, &output) }
            if let spec = rule.documents { evaluateDocuments(spec, context, &output) }
            if let spec = rule.approval { evaluateApproval(spec, context, &output) }
            if let spec = rule.signal { evaluateSignal(spec, context, &output) }
        }
        output.findings.sort { $0.id < $1.id }
        output.clocks.sort { $0.id < $1.id }
        return CaseEvaluation(caseID: timeline.caseID, asOf: asOf, findings: output.findings, clocks: output.clocks)
    }

    /// What one rule sees while it is evaluated on one case.
    struct Context {
        let rule: CompiledRule
        let timeline: CaseTimeline
        let asOf: Timestamp
        var events: [TimelineEvent] { timeline.events }
    }

    struct Output {
        let caseID: String
        let asOf: Timestamp
        var findings: [Finding] = []
        var clocks: [RunningClock] = []
    }

    // MARK: - Matching

    private func flagsAllow(_ scope: RuleScope, _ timeline: CaseTimeline) -> Bool {
        if let any = scope.flagsAny, !any.contains(where: timeline.hasFlag) { return false }
        if let none = scope.flagsNone, none.contains(where: timeline.hasFlag) { return false }
        return true
    }

    func matches(_ m: EventMatch, _ e: TimelineEvent, startAgency: String? = nil) -> Bool {
        guard m.kinds.contains(e.kind) else { return false }
        if let kinds = m.agencyKinds {
            guard let k = AgencyCode.kind(e.event.agency), kinds.contains(k) else { return false }
        }
        if let p = m.procedures {
            guard let procedure = e.event.attributes.procedure, p.contains(procedure) else { return false }
        }
        if let o = m.outcomes {
            guard let outcome = e.event.attributes.outcome, o.contains(outcome) else { return false }
        }
        if let g = m.legalGrounds {
            guard let ground = e.event.attributes.legalGround, g.contains(ground) else { return false }
        }
        if m.otherAgencyThanStart == true, let startAgency, e.event.agency == startAgency { return false }
        return true
    }

    /// Events about different people never pair up; an event without a person pairs with anyone.
    func samePerson(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }

    /// The procedure in force for an event: its own attribute, else the latest procedure-setting event before it, else the case's.
    func procedure(at e: TimelineEvent, _ timeline: CaseTimeline) -> TrialProcedure? {
        if let p = e.event.attributes.procedure { return p }
        var found: TrialProcedure?
        let events = timeline.events
        for i in events.indices where timeline.eventBits[i] & Self.procedureKinds != 0 {
            if events[i].event.occurredAt > e.at { break }
            if let p = events[i].event.attributes.procedure { found = p }
        }
        return found ?? timeline.caseRecord?.procedure
    }

    func procedureAllows(_ rule: CompiledRule, at e: TimelineEvent, _ timeline: CaseTimeline) -> Bool {
        let allowed = rule.scope.procedures ?? []
        let excluded = rule.scope.excludeProcedures ?? []
        if allowed.isEmpty && excluded.isEmpty { return true }
        guard let p = procedure(at: e, timeline) else { return allowed.isEmpty }
        return (allowed.isEmpty || allowed.contains(p)) && !excluded.contains(p)
    }

    /// Whether a person is held (拘留、逮捕、羁押) at a moment, from the compulsory-measure events before it.
    func inCustody(_ person: String?, at moment: Timestamp, _ timeline: CaseTimeline) -> Bool {
        var held = false
        let events = timeline.events
        for i in events.indices where timeline.eventBits[i] & Self.custodyKinds != 0 {
            let e = events[i]
            if e.at > moment { break }
            guard samePerson(person, e.event.person) else { continue }
            if let explicit = e.event.attributes.inCustody, Self.measureKinds.contains(e.kind) {
                held = explicit
                continue
            }
            switch e.kind {
            case .detained, .arrested, .deliveredToDetentionHouse, .admittedToPrison: held = true
            case .bailGranted, .residentialSurveillance, .measureLifted, .released, .arrestDenied: held = false
            default: break
            }
        }
        return held
    }

    private static let procedureKinds: UInt64 = [EventKind.courtAccepted, .procedureSwitched, .indicted].bits
    private static let custodyKinds: UInt64 = [EventKind.detained, .arrested, .deliveredToDetentionHouse, .admittedToPrison,
        .bailGranted, .residentialSurveillance, .measureLifted, .released, .arrestDenied].bits

    private static let measureKinds: Set<EventKind> = [
        .detained, .arrested, .deliveredToDetentionHouse, .admittedToPrison, .bailGranted, .residentialSurveillance,
        .measureLifted, .released,
    ]

    func holds(_ condition: Condition, start: TimelineEvent, rule: CompiledRule, _ timeline: CaseTimeline) -> Bool {
        if let flags = condition.flagsAny, !flags.contains(where: timeline.hasFlag) { return false }
        if let custody = condition.inCustody, inCustody(start.event.person, at: start.at, timeline) != custody {
            return false
        }
        if let procedures = condition.procedures {
            guard let p = procedure(at: start, timeline), procedures.contains(p) else { return false }
        }
        if let penalties = condition.penaltiesAny {
            guard let j = timeline.latestJudgment(for: start.event.person), j.probationMonths == nil,
                penalties.contains(j.principalPenalty)
            else { return false }
        }
        if let months = condition.remainingTermAboveMonths {
            guard let j = timeline.latestJudgment(for: start.event.person) else { return false }
            if j.principalPenalty != .lifeImprisonment && j.principalPenalty != .deathWithReprieve {
                let custodyStart = timeline.events.first {
                    ($0.kind == .detained || $0.kind == .arrested) && samePerson(start.event.person, $0.event.person)
                }?.at ?? start.at
                // SPC-Interp 202(2): a term of N months ends the day before the same date N months later.
                let termEnd = custodyStart.chinaTime.localDate.sentenceEnd(months: j.termMonths ?? 0)
                guard termEnd > start.at.chinaTime.localDate.addingMonths(months) else { return false }
            }
        }
        if let months = condition.sentenceAboveMonths {
            guard let j = timeline.latestJudgment(for: start.event.person) else { return false }
            switch j.principalPenalty {
            case .death, .deathWithReprieve, .lifeImprisonment: break
            default: guard (j.termMonths ?? 0) > months else { return false }
            }
        }
        return true
    }

    /// Whether an approval came from the authority the rule requires, relative to a reference agency.
    func approverAccepts(_ spec: ApproverSpec, approval e: TimelineEvent, reference: String?) -> Bool {
        approverRefusal(spec, approval: e, reference: reference) == nil
    }

    /// Why an approval does not come from the authority the rule requires, or `nil` when it does.
    ///
    /// The approver's level is read from the approving agency's code (the level it has in the agency registry),
    /// never from the record's `approverLevel` label: a label says what the sender claims, the code says who
    /// approved. Without `approverAgency` the sender is taken as the approver, which the reason then says.
    func approverRefusal(_ spec: ApproverSpec, approval e: TimelineEvent, reference: String?) -> String? {
        let named = e.event.attributes.approverAgency
        let approverAgency = named ?? e.event.agency
        let who = named.map { "批准机关\($0)" } ?? "记录未注明批准机关（报送机关为\(e.event.agency)）"
        if spec.central == true {
            guard Agency.isCentralCode(approverAgency) else { return "应由\(spec.description)批准，\(who)" }
            if let kinds = spec.agencyKinds {
                guard let k = AgencyCode.kind(approverAgency), kinds.contains(k) else { return "应由\(spec.description)批准，\(who)" }
            }
            return nil
        }
        guard let level = AgencyCode.level(approverAgency) else { return "批准机关代码\(approverAgency)无法识别级别" }
        if let kinds = spec.agencyKinds {
            guard let k = AgencyCode.kind(approverAgency), kinds.contains(k) else { return "应由\(spec.description)批准，\(who)" }
        }
        if let minimum = spec.minLevel, level < minimum { return "应由\(spec.description)批准，\(who)为\(level.chineseName)" }
        if let steps = spec.levelsAbove {
            guard let reference, let base = AgencyCode.level(reference), level.rank >= base.rank + steps else {
                return "应由\(spec.description)批准，\(who)为\(level.chineseName)"
            }
        }
        if spec.sameAgency == true {
            guard let reference, approverAgency == reference else { return "应由\(spec.description)批准，\(who)" }
        }
        return nil
    }

    /// The agency a finding is addressed to: the one of the rule's responsible kind among the acts involved,
    /// else the case's latest agency of that kind, else that kind's organ in the same region.
    func responsibleAgency(_ rule: CompiledRule, involved: [TimelineEvent], _ timeline: CaseTimeline) -> (String?, String?) {
        guard let kind = rule.responsibleAgency else {
            return (involved.first?.event.agency, involved.first?.event.officer)
        }
        for e in involved.reversed() where AgencyCode.kind(e.event.agency) == kind {
            return (e.event.agency, e.event.officer)
        }
        if let e = timeline.events.last(where: { AgencyCode.kind($0.event.agency) == kind }) {
            return (e.event.agency, nil)
        }
        if let first = involved.first { return (AgencyCode.counterpart(of: first.event.agency, kind: kind), nil) }
        return (nil, nil)
    }

    func finding(_ context: Context, anchor: String, involved: [TimelineEvent], documents: [String] = [],
        person: String?, dueAt: Timestamp? = nil, actualAt: Timestamp? = nil, lateness: Lateness? = nil,
        ongoing: Bool = false, occurredAt: Timestamp, explanation: String) -> Finding
    {
        let (agency, officer) = responsibleAgency(context.rule, involved: involved, context.timeline)
        return Finding(
            id: Finding.key(rule: context.rule.id, caseID: context.timeline.caseID, anchor: anchor),
            ruleID: context.rule.id, caseID: context.timeline.caseID, kind: context.rule.findingKind,
            severity: context.rule.severity, grade: context.rule.grade, agency: agency, officer: officer, person: person,
            events: involved.map(\.id), documents: documents, dueAt: dueAt, actualAt: actualAt, lateness: lateness,
            ongoing: ongoing, occurredAt: occurredAt, explanation: explanation, citation: context.rule.citationText)
    }

    /// The order of the stages a case passes through, for comparing them.
    static let stageOrder: [CaseStage] = [.accepted, .investigation, .prosecutionReview, .trial, .execution, .closed]

    /// The rank of a rule's stage label: where its clocks belong. Compulsory measures (强制措施) span the stages, so only
    /// a conclusion ends them (they rank with execution).
    static func stageRank(label: String) -> Int {
        switch label {
        case "受案立案": return 0
        case "侦查", "审查逮捕": return 1
        case "审查起诉": return 2
        case "审判": return 3
        default: return 4  // 执行, 强制措施
        }
    }

    /// For each stage rank, the event kinds after which a clock of that stage can no longer be running: every kind of
    /// a later stage (``CaseStage/init(after:)``) and the kinds that conclude a case. A release frees a person from
    /// custody but concludes nothing before execution (a defendant released at the verdict may still be owed service
    /// of the judgment; one released on an acquittal's appeal is still tried), so it ends only execution clocks.
    static let stageEndMasks: [UInt64] = (0..<stageOrder.count).map { rank in
        EventKind.allCases.filter { kind in
            let later = stageOrder.firstIndex(of: CaseStage(after: kind))! > rank
            return later && (kind != .released || rank >= 4)
        }.bits
    }

    /// The stage the case had reached by event `index`: the latest stage among its events so far, conclusions aside.
    static func caseStageRank(upTo index: Int, _ timeline: CaseTimeline) -> Int {
        var rank = 0
        for e in timeline.events[...index] {
            let r = stageOrder.firstIndex(of: CaseStage(after: e.kind))!
            if r < stageOrder.count - 1 { rank = max(rank, r) }
        }
        return rank
    }

    /// `2024年3月5日` for day-counted rules, `2024年3月5日14时` for hour-counted ones.
    func moment(_ t: Timestamp, hours: Bool) -> String { hours ? t.chineseText : t.chinaTime.localDate.chineseText }
}

/// A rule prepared for evaluation, shared by reference so that evaluating a case copies none of it.
final class CompiledRule: Sendable {
    let id: String
    let citationText: String
    let findingKind: FindingKind
    let severity: Severity
    let grade: ConfidenceGrade
    let responsibleAgency: AgencyKind?
    let scope: RuleScope
    let deadline: DeadlineSpec?
    let precedence: PrecedenceSpec?
    let count: CountSpec?
    let documents: DocumentSpec?
    let approval: ApprovalSpec?
    let signal: SignalSpec?
    /// The event kinds that can trigger the rule, one bit each.
    let triggerMask: UInt64
    /// Every event kind a deadline rule reacts to after its start (end, stops, extensions …).
    let deadlineMask: UInt64
    /// The rank of the rule's stage (see ``RuleEngine/stageRank(label:)``): a clock still waiting for its act when
    /// its stage ends has stopped there (the act is missing, late as of that moment), rather than running to "now".
    let stageRank: Int
    /// Events the rule names besides the stage's end (an arrest ends the wait for the arrest decision).
    let extraStageEndMask: UInt64

    init(_ rule: Rule) {
        id = rule.id
        citationText = rule.citationText
        findingKind = rule.findingKind
        severity = rule.severity
        grade = rule.grade
        responsibleAgency = rule.responsibleAgency
        scope = rule.scope
        deadline = rule.deadline
        precedence = rule.precedence
        count = rule.count
        documents = rule.documents
        approval = rule.approval
        signal = rule.signal
        triggerMask = RuleEngine.triggerKinds(rule).bits
        if let d = rule.deadline {
            var kinds = d.end.kinds + (d.stops ?? []).flatMap(\.kinds) + (d.restarts ?? []).flatMap(\.kinds)
            kinds += (d.excuses ?? []).flatMap(\.kinds) + (d.extensions ?? []).flatMap(\.event.kinds)
            kinds += (d.exclusions ?? []).flatMap { $0.from.kinds + $0.to.kinds } + (d.startOverride?.kinds ?? [])
            deadlineMask = kinds.bits
            extraStageEndMask = (d.stageEnds ?? []).flatMap(\.kinds).bits
        } else {
            deadlineMask = 0
            extraStageEndMask = 0
        }
        stageRank = RuleEngine.stageRank(label: rule.scope.stage)
    }
}
