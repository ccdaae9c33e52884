import TianpingCore

extension RuleEngine {
    /// How a deadline segment ended.
    private enum Closing {
        /// The required act happened.
        case done(TimelineEvent)
        /// The clock stopped applying (measure ended, case withdrawn) or restarted (remand, new crime).
        case interrupted(TimelineEvent)
        /// Nothing yet: the clock is still running at the evaluation moment.
        case running
        /// Closed by a lawful exception recorded in the data.
        case excused
    }

    /// One period of a deadline rule, from its start to its closing.
    private struct Segment {
        var anchor: TimelineEvent
        var start: Timestamp
        var startLabel: String
        var limit: Period
        var extensions: [(TimelineEvent, Period)] = []
        /// Extensions not counted, each with the reason a reader can check.
        var refused: [(TimelineEvent, String)] = []
        var excludedDays = 0
        var openExclusion: Timestamp?
    }

    func evaluateDeadline(_ spec: DeadlineSpec, _ context: Context, _ output: inout Output) {
        let events = context.events
        let hourBased = spec.limit.isHourBased
        for p in context.timeline.positions(of: spec.start.kinds) {
            let s = events[p]
            guard matches(spec.start, s), procedureAllows(context.rule, at: s, context.timeline) else { continue }
            if let when = spec.when, !holds(when, start: s, rule: context.rule, context.timeline) { continue }
            let person = s.event.person
            var segment = Segment(anchor: s, start: s.at, startLabel: s.kind.chineseName,
                limit: baseLimit(spec, start: s, context))
            var involved = [s]
            var uses: [String: Int] = [:]
            var closing = Closing.running
            var segmentStart = p
            var q = p + 1
            let relevant = context.rule.deadlineMask
            let bits = context.timeline.eventBits
            while q < events.count {
                if bits[q] & relevant == 0 {
                    q += 1
                    continue
                }
                let e = events[q]
                q += 1
                guard samePerson(person, e.event.person) else { continue }
                if let o = spec.startOverride, matches(o, e), segment.extensions.isEmpty, segment.start == s.at {
                    segment.start = e.at
                    segment.startLabel = e.kind.chineseName
                    involved.append(e)
                    continue
                }
                if let ext = spec.extensions?.first(where: { matches($0.event, e) }) {
                    let due = deadline(spec, segment, person: person, context)
                    let used = uses[ext.name, default: 0]
                    let refusal: String?
                    if e.at > due.lastInstant {
                        refusal = "于期限届满后作出"
                    } else if let times = ext.times, used >= times {
                        refusal = "“\(ext.name)”以\(times)次为限，已用\(used)次"
                    } else if let grounds = ext.grounds, let ground = e.event.attributes.legalGround, !grounds.contains(ground) {
                        refusal = "所引依据\(ground)不属于“\(ext.name)”的法定情形"
                    } else {
                        refusal = ext.approver.flatMap { approverRefusal($0, approval: e, reference: s.event.agency) }
                    }
                    if let refusal {
                        segment.refused.append((e, refusal))
                    } else {
                        uses[ext.name] = used + 1
                        segment.limit = extended(segment.limit, by: ext, event: e)
                        segment.extensions.append((e, segment.limit))
                    }
                    involved.append(e)
                    continue
                }
                if segment.openExclusion == nil, spec.exclusions?.contains(where: { matches($0.from, e) }) == true {
                    segment.openExclusion = e.at
                    continue
                }
                if let open = segment.openExclusion, spec.exclusions?.contains(where: { matches($0.to, e) }) == true {
                    segment.excludedDays += max(0, e.at.chinaTime.localDate.dayNumber - open.chinaTime.localDate.dayNumber)
                    segment.openExclusion = nil
                    continue
                }
                if spec.excuses?.contains(where: { matches($0, e) }) == true {
                    closing = .excused
                    break
                }
                if matches(spec.end, e, startAgency: s.event.agency) {
                    closing = .done(e)
                    break
                }
                if spec.stops?.contains(where: { matches($0, e, startAgency: s.event.agency) }) == true {
                    closing = .interrupted(e)
                    break
                }
                if spec.restarts?.contains(where: { matches($0, e, startAgency: s.event.agency) }) == true {
                    judge(spec, segment, closing: .interrupted(e), involved: involved + [e], person: person,
                        hourBased: hourBased, context, &output)
                    segment = Segment(anchor: e, start: e.at, startLabel: e.kind.chineseName,
                        limit: baseLimit(spec, start: s, context))
                    segmentStart = q - 1
                    involved = [e]
                    uses = [:]
                    continue
                }
            }
            // A clock still waiting when its stage has ended does not run on: the act is missing, and its lateness is
            // measured to the moment the stage ended (the case moved on, the person was freed, the case concluded).
            if case .running = closing, let end = stageEnd(after: segmentStart, person: person, context) {
                closing = .interrupted(end)
                if let open = segment.openExclusion {
                    segment.excludedDays += max(0, end.at.chinaTime.localDate.dayNumber - open.chinaTime.localDate.dayNumber)
                    segment.openExclusion = nil
                }
            }
            if let open = segment.openExclusion, case .running = closing {
                segment.excludedDays += max(0, context.asOf.chinaTime.localDate.dayNumber - open.chinaTime.localDate.dayNumber)
            }
            judge(spec, segment, closing: closing, involved: involved, person: person, hourBased: hourBased, context,
                &output)
        }
    }

    /// The first event after a segment's start that ends the clock's stage for this person. The stage is the later of
    /// the rule's and the one the case had reached when the clock started (an arrest ordered by the court during the
    /// trial is not ended by the trial's next step). A clock of one person is ended by that person's events and by
    /// case-wide ones; a clock of no person only by case-wide events, never by one co-defendant's release.
    private func stageEnd(after start: Int, person: String?, _ context: Context) -> TimelineEvent? {
        let rank = max(context.rule.stageRank, Self.caseStageRank(upTo: start, context.timeline))
        let mask = Self.stageEndMasks[rank] | context.rule.extraStageEndMask
        let events = context.events
        let bits = context.timeline.eventBits
        var i = start + 1
        while i < events.count {
            if bits[i] & mask != 0 {
                let other = events[i].event.person
                if other == nil || (person != nil && other == person) { return events[i] }
            }
            i += 1
        }
        return nil
    }

    private func baseLimit(_ spec: DeadlineSpec, start: TimelineEvent, _ context: Context) -> Period {
        for v in spec.variants ?? [] where holds(v.when, start: start, rule: context.rule, context.timeline) {
            return v.limit
        }
        return spec.limit
    }

    private func extended(_ limit: Period, by ext: ExtensionSpec, event: TimelineEvent) -> Period {
        var next = limit
        if let to = ext.to {
            next = max(limit, to)
        } else if ext.fromAttributes == true {
            var add = Period(months: event.event.attributes.extensionMonths ?? 0, days: event.event.attributes.extensionDays ?? 0)
            if let cap = ext.maxAdd, cap < add { add = cap }
            if add.isZero, let fixed = ext.add { add = fixed }
            next = limit + add
        } else if let add = ext.add {
            next = limit + add
        }
        if let cap = ext.maxTotal, cap < next { next = cap }
        return next
    }

    /// The deadline of a segment as far as it is known: limit, extensions so far, excluded days, holidays.
    private func deadline(_ spec: DeadlineSpec, _ segment: Segment, person: String?, _ context: Context) -> Deadline {
        let nominal = arithmetic.deadline(from: segment.start, period: segment.limit, excludedDays: segment.excludedDays,
            holidayExtends: false)
        let holidayExtends: Bool
        switch (spec.counting, spec.custody) {
        case (.civil, _): holidayExtends = true
        case (.criminal, .always): holidayExtends = false
        case (.criminal, .never): holidayExtends = true
        case (.criminal, .person): holidayExtends = !inCustody(person, at: nominal.lastInstant, context.timeline)
        }
        guard holidayExtends else { return nominal }
        return arithmetic.deadline(from: segment.start, period: segment.limit, excludedDays: segment.excludedDays,
            holidayExtends: true)
    }

    private func judge(_ spec: DeadlineSpec, _ segment: Segment, closing: Closing, involved: [TimelineEvent],
        person: String?, hourBased: Bool, _ context: Context, _ output: inout Output)
    {
        let due = deadline(spec, segment, person: person, context)
        let rule = context.rule
        let anchor = segment.anchor
        // Text is built only for breaches: most clocks close in time and need none.
        func lead() -> String {
            "依据\(rule.citationText)，\(segment.startLabel)（\(moment(segment.start, hours: hourBased))）后"
                + "应于\(due.chineseText)前\(spec.action)"
        }
        switch closing {
        case .excused:
            return
        case .done(let e), .interrupted(let e):
            guard let late = arithmetic.lateness(of: e.at, against: due) else { return }
            let what: String
            if case .done = closing {
                what = "，实际于\(moment(e.at, hours: hourBased))\(spec.action)，超期\(late.chineseText)"
            } else {
                what = "，至\(e.kind.chineseName)（\(moment(e.at, hours: hourBased))）仍未\(spec.action)，超期\(late.chineseText)"
            }
            let notes = self.notes(spec, segment, due: due, person: person, context)
            output.findings.append(finding(context, anchor: anchor.id, involved: involved + [e], person: person,
                dueAt: due.lastInstant, actualAt: { if case .done = closing { return e.at } else { return nil } }(),
                lateness: late, occurredAt: due.lastInstant.adding(seconds: 1), explanation: lead() + what + "。" + notes))
        case .running:
            let secondsLeft = due.lastInstant.secondsSinceEpoch - context.asOf.secondsSinceEpoch
            if let late = arithmetic.lateness(of: context.asOf, against: due) {
                let notes = self.notes(spec, segment, due: due, person: person, context)
                let text = lead() + "，截至\(moment(context.asOf, hours: hourBased))仍未\(spec.action)，已超期\(late.chineseText)。" + notes
                output.findings.append(finding(context, anchor: anchor.id, involved: involved, person: person,
                    dueAt: due.lastInstant, lateness: late, ongoing: true, occurredAt: due.lastInstant.adding(seconds: 1),
                    explanation: text))
            }
            let (agency, _) = responsibleAgency(rule, involved: involved, context.timeline)
            output.clocks.append(RunningClock(
                id: Finding.key(rule: rule.id, caseID: context.timeline.caseID, anchor: anchor.id), ruleID: rule.id,
                caseID: context.timeline.caseID, agency: agency, person: person, startedAt: segment.start,
                dueAt: due.lastInstant, dueDay: due.lastDay, action: spec.action,
                status: status(secondsLeft: secondsLeft, due: due, asOf: context.asOf, hourBased: hourBased),
                secondsLeft: secondsLeft))
        }
    }

    /// Extensions counted or refused, excluded days, and how holidays were treated — so a person can redo the sum.
    private func notes(_ spec: DeadlineSpec, _ segment: Segment, due: Deadline, person: String?, _ context: Context) -> String {
        var parts: [String] = ["期限\(segment.limit)"]
        for (e, total) in segment.extensions {
            parts.append("已计入\(e.kind.chineseName)（\(e.event.occurredAt.chinaTime.localDate.chineseText)），期限延至\(total)")
        }
        for (e, reason) in segment.refused {
            parts.append("\(e.kind.chineseName)（\(e.event.occurredAt.chinaTime.localDate.chineseText)）\(reason)，未计入")
        }
        if segment.excludedDays > 0 { parts.append("扣除不计入期限的\(segment.excludedDays)日") }
        if let moved = due.movedFrom {
            parts.append("届满日\(moved.day.chineseText)为\(moved.reason)，依法顺延")
        } else if !spec.limit.isHourBased, spec.counting == .criminal {
            let nominal = arithmetic.deadline(from: segment.start, period: segment.limit,
                excludedDays: segment.excludedDays, holidayExtends: true)
            if nominal.movedFrom != nil { parts.append("犯罪嫌疑人、被告人在押，期限届满日为节假日不顺延") }
        }
        return "（" + parts.joined(separator: "；") + "）"
    }

    private func status(secondsLeft: Int64, due: Deadline, asOf: Timestamp, hourBased: Bool) -> ClockStatus {
        if secondsLeft < 0 { return .overdue }
        if hourBased || due.lastDay == nil {
            let hoursLeft = secondsLeft / 3600
            if hoursLeft < Int64(thresholds.imminentHours) { return .imminent }
            if hoursLeft < Int64(thresholds.approachingHours) { return .approaching }
            return .normal
        }
        let daysLeft = due.lastDay!.dayNumber - asOf.chinaTime.localDate.dayNumber
        if daysLeft <= thresholds.imminentDays { return .imminent }
        if daysLeft <= thresholds.approachingDays { return .approaching }
        return .normal
    }
}
