import TianpingCore

/// Risk leads (线索): patterns worth a supervisor's look, not breaches by themselves.
enum SignalDetectors {
    static func triggerKinds(_ detector: SignalDetector) -> [EventKind] {
        switch detector {
        case .arrestThenNotProsecuted: return [.notProsecuted]
        case .arrestThenNonCustodialSentence: return [.verdictPronounced]
        case .detentionThenWithdrawn: return [.caseWithdrawn]
        case .filedButIdle: return [.caseFiled]
        case .acceptedButNotFiled: return [.caseAccepted]
        case .custodyExceedsSentence: return [.verdictPronounced]
        }
    }

    /// Events that show the investigating organ working on a case.
    static let investigativeActs: Set<EventKind> = [
        .summoned, .detained, .interrogated, .arrestRequested, .arrested, .bailGranted, .residentialSurveillance,
        .custodyExtensionRequested, .newCrimeDiscovered, .identityEstablished, .assessmentStarted,
        .transferredForProsecution, .resubmitted, .caseWithdrawn, .caseTransferred,
    ]

    /// Events that end the investigation stage.
    static let investigationEnds: Set<EventKind> = [.transferredForProsecution, .caseWithdrawn, .caseTransferred]
}

extension RuleEngine {
    func evaluateSignal(_ spec: SignalSpec, _ context: Context, _ output: inout Output) {
        let timeline = context.timeline
        let events = context.events
        let basis = "依据\(context.rule.citationText)"
        func parameter(_ name: String, _ fallback: Int) -> Int { spec.parameters?[name] ?? fallback }
        /// The pronouncement a judgment record belongs to (the finding's anchor).
        func verdictEvent(for j: Judgment) -> TimelineEvent? {
            events.first {
                $0.kind == .verdictPronounced && samePerson(j.defendant, $0.event.person)
                    && $0.at >= j.decidedAt.adding(seconds: -86_400)
            }
        }
        func firstEvent(_ kind: EventKind, person: String?, before: Timestamp? = nil) -> TimelineEvent? {
            events.first { e in e.kind == kind && samePerson(person, e.event.person) && (before.map { e.at <= $0 } ?? true) }
        }

        switch spec.detector {
        case .arrestThenNotProsecuted:
            for p in timeline.positions(of: [.notProsecuted]) {
                let n = events[p]
                guard let arrest = firstEvent(.arrested, person: n.event.person, before: n.at) else { continue }
                let text = "\(basis)，犯罪嫌疑人于\(arrest.at.chinaTime.localDate.chineseText)被逮捕，"
                    + "后于\(n.at.chinaTime.localDate.chineseText)作出不起诉决定（捕后不诉），请核查逮捕必要性及不起诉理由。"
                output.findings.append(finding(context, anchor: n.id, involved: [arrest, n], person: n.event.person,
                    occurredAt: n.at, explanation: text))
            }
        case .arrestThenNonCustodialSentence:
            var seen = Set<String>()
            for j in timeline.judgments where j.instance == 1 {
                guard !seen.contains(j.defendant),
                    let arrest = firstEvent(.arrested, person: j.defendant, before: j.decidedAt)
                else { continue }
                let outcome: String
                if j.probationMonths != nil {
                    outcome = "判处\(j.principalPenalty.chineseName)并宣告缓刑"
                } else if [.exemptFromPunishment, .fineOnly, .acquitted, .publicSurveillance].contains(j.principalPenalty) {
                    outcome = j.principalPenalty == .acquitted ? "宣告无罪" : "判处\(j.principalPenalty.chineseName)"
                } else {
                    continue
                }
                seen.insert(j.defendant)
                guard let verdict = verdictEvent(for: j) else { continue }
                let text = "\(basis)，被告人于\(arrest.at.chinaTime.localDate.chineseText)被逮捕，"
                    + "一审于\(j.decidedAt.chinaTime.localDate.chineseText)\(outcome)（捕后判缓、免刑或轻刑），请核查逮捕及羁押必要性。"
                output.findings.append(finding(context, anchor: verdict.id, involved: [arrest, verdict], person: j.defendant,
                    occurredAt: j.decidedAt, explanation: text))
            }
        case .detentionThenWithdrawn:
            for p in timeline.positions(of: [.caseWithdrawn]) {
                let w = events[p]
                guard let detention = firstEvent(.detained, person: w.event.person, before: w.at) else { continue }
                let text = "\(basis)，犯罪嫌疑人于\(detention.at.chinaTime.localDate.chineseText)被拘留，"
                    + "案件于\(w.at.chinaTime.localDate.chineseText)撤销（拘后撤案），请核查拘留依据及撤案理由。"
                output.findings.append(finding(context, anchor: w.id, involved: [detention, w], person: w.event.person,
                    occurredAt: w.at, explanation: text))
            }
        case .filedButIdle:
            let idleDays = parameter("idleDays", 90)
            guard let filed = firstEvent(.caseFiled, person: nil) else { return }
            var last = filed
            var gap: (from: TimelineEvent, to: TimelineEvent?)?
            for e in events where e.at > filed.at {
                guard SignalDetectors.investigativeActs.contains(e.kind) else { continue }
                let days = e.at.chinaTime.localDate.dayNumber - last.at.chinaTime.localDate.dayNumber
                if days > idleDays, gap == nil { gap = (last, e) }
                if SignalDetectors.investigationEnds.contains(e.kind) { last = e; break }
                last = e
            }
            let ended = SignalDetectors.investigationEnds.contains(last.kind)
            if gap == nil, !ended,
                context.asOf.chinaTime.localDate.dayNumber - last.at.chinaTime.localDate.dayNumber > idleDays
            {
                gap = (last, nil)
            }
            guard let gap else { return }
            let untilText = gap.to.map { "至\($0.at.chinaTime.localDate.chineseText)\($0.kind.chineseName)" }
                ?? "截至\(context.asOf.chinaTime.localDate.chineseText)"
            let days = (gap.to?.at ?? context.asOf).chinaTime.localDate.dayNumber - gap.from.at.chinaTime.localDate.dayNumber
            let text = "\(basis)，案件于\(filed.at.chinaTime.localDate.chineseText)立案，"
                + "自\(gap.from.at.chinaTime.localDate.chineseText)\(gap.from.kind.chineseName)\(untilText)，"
                + "\(days)日无侦查活动记录（立而不侦，阈值\(idleDays)日）。"
            output.findings.append(finding(context, anchor: filed.id, involved: [gap.from] + (gap.to.map { [$0] } ?? []),
                person: nil, ongoing: gap.to == nil, occurredAt: gap.from.at.adding(seconds: Int64(idleDays) * 86_400),
                explanation: text))
        case .acceptedButNotFiled:
            let days = parameter("days", 30)
            guard let accepted = firstEvent(.caseAccepted, person: nil) else { return }
            let decision = events.first { [.caseFiled, .filingDeclined, .caseTransferred].contains($0.kind) && $0.at >= accepted.at }
            let until = decision?.at ?? context.asOf
            let elapsed = until.chinaTime.localDate.dayNumber - accepted.at.chinaTime.localDate.dayNumber
            guard elapsed > days else { return }
            let outcome = decision.map { "至\($0.at.chinaTime.localDate.chineseText)方作出\($0.kind.chineseName)决定" }
                ?? "截至\(context.asOf.chinaTime.localDate.chineseText)仍未作出立案或不予立案决定"
            let text = "\(basis)，案件于\(accepted.at.chinaTime.localDate.chineseText)受案，\(outcome)，"
                + "历时\(elapsed)日，超过\(days)日（有案不立、压案不查线索）。"
            output.findings.append(finding(context, anchor: accepted.id, involved: [accepted] + (decision.map { [$0] } ?? []),
                person: nil, ongoing: decision == nil, occurredAt: accepted.at.adding(seconds: Int64(days) * 86_400),
                explanation: text))
        case .custodyExceedsSentence:
            // Defined on the term actually imposed: a fixed term or 拘役 without probation, custody credited day for
            // day (刑法 44, 47), and 管制, one day of custody for two of 管制 (刑法 41). Probation, fines, exemption and
            // acquittal impose no term to exceed; an arrest before them is S-ARREST-NON-CUSTODIAL's lead.
            for j in timeline.judgments where j.instance == 1 {
                let credit: Int
                switch j.principalPenalty {
                case .fixedTermImprisonment, .criminalDetention: credit = 1
                case .publicSurveillance: credit = 2
                default: continue
                }
                guard j.probationMonths == nil, let term = j.termMonths, term > 0 else { continue }
                guard let custodyStart = events.first(where: {
                    ($0.kind == .detained || $0.kind == .arrested) && samePerson(j.defendant, $0.event.person)
                }), custodyStart.at <= j.decidedAt else { continue }
                // Custody ends at release or a non-custodial measure, else it runs to the judgment.
                let release = events.first {
                    [.bailGranted, .residentialSurveillance, .measureLifted, .released].contains($0.kind)
                        && samePerson(j.defendant, $0.event.person) && $0.at > custodyStart.at && $0.at <= j.decidedAt
                }
                let custodyEnd = release?.at ?? j.decidedAt
                let firstDay = custodyStart.at.chinaTime.localDate
                let lastDay = custodyEnd.chinaTime.localDate
                let custodyDays = lastDay.dayNumber - firstDay.dayNumber + 1
                // SPC-Interp 202(2): the term, served from the first day of custody, ends the day before the same date
                // N months later; its days, against custody's days times the credit.
                let termEnd = firstDay.sentenceEnd(months: term)
                let termDays = termEnd.dayNumber - firstDay.dayNumber + 1
                guard custodyDays * credit > termDays else { continue }
                guard let verdict = verdictEvent(for: j) else { continue }
                let measure = credit == 1
                    ? "所判\(j.principalPenalty.chineseName)\(term)个月折抵羁押后应于\(termEnd.chineseText)届满"
                    : "所判管制\(term)个月共\(termDays)日，羁押一日折抵管制二日，羁押\(custodyDays)日可折抵\(custodyDays * 2)日"
                let text = "\(basis)，被告人判决前羁押\(custodyDays)日（自\(firstDay.chineseText)\(custodyStart.kind.chineseName)"
                    + "至\(lastDay.chineseText)），\(measure)，羁押已超过所判刑期，请核查羁押必要性。"
                output.findings.append(finding(context, anchor: verdict.id, involved: [custodyStart, verdict],
                    person: j.defendant, occurredAt: j.decidedAt, explanation: text))
            }
        }
    }
}
