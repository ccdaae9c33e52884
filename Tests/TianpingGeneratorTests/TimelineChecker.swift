import TianpingCore

/// An independent reading of the statutory limits in `procedure-deadlines.md`, written for this test
/// only, so the generator is checked against the rules and not against itself.
///
/// Day limits: the start day is not counted (CPL 105(2)), so "within N days of X" ends with the local
/// calendar day X + N. Month limits end on the day SPC-Interp 202(1) gives. Hour limits are exact.
struct TimelineChecker {
    let records: [ExchangeRecord]
    let events: [CaseEvent]
    let documents: [LegalDocument]
    let caseRecord: CaseRecord

    init(records: [ExchangeRecord]) {
        self.records = records
        var latestCase: (Int, CaseRecord)?
        var events: [CaseEvent] = []
        var documents: [LegalDocument] = []
        for r in records {
            switch r.payload {
            case .case(let c): if r.version > (latestCase?.0 ?? 0) { latestCase = (r.version, c) }
            case .event(let e): events.append(e)
            case .document(let d): documents.append(d)
            default: break
            }
        }
        self.events = events.sorted { $0.occurredAt < $1.occurredAt }
        self.documents = documents
        self.caseRecord = latestCase!.1
    }

    func first(_ kind: EventKind, after t: Timestamp? = nil) -> CaseEvent? {
        events.first { $0.kind == kind && (t == nil || $0.occurredAt >= t!) }
    }

    func all(_ kind: EventKind) -> [CaseEvent] { events.filter { $0.kind == kind } }

    /// Whether `event` happened no later than the end of the day `days` after `start`.
    func withinDays(_ event: Timestamp, of start: Timestamp, _ days: Int) -> Bool {
        event.localDate <= start.localDate.adding(days: days)
    }

    func withinMonths(_ event: Timestamp, of start: Timestamp, _ months: Int) -> Bool {
        event.localDate <= start.localDate.addingMonths(months)
    }

    func violations() -> [String] {
        var found: [String] = []
        switch caseRecord.type {
        case .criminal: found += criminal()
        case .civil, .administrative:
            if let c = first(.courtAccepted), let v = first(.verdictPronounced, after: c.occurredAt) {
                let extended = first(.trialPeriodExtended) != nil
                let months = caseRecord.type == .administrative ? 6 : (caseRecord.procedure == .summary ? 3 : (extended ? 12 : 6))
                if !withinMonths(v.occurredAt, of: c.occurredAt, months) {
                    found.append(caseRecord.type == .civil ? "CIVIL_TRIAL_OVERDUE" : "ADMINISTRATIVE_TRIAL_OVERDUE")
                }
            }
        case .enforcement:
            if let f = first(.enforcementFiled), let done = first(.enforcementConcluded),
                !withinMonths(done.occurredAt, of: f.occurredAt, 6)
            {
                found.append("ENFORCEMENT_OVERDUE")
            }
        }
        return found
    }

    /// 减刑 histories, checked with the plainest reading of SPC-2016 Art. 6 (the generator writes only ordinary-regime
    /// numbers well inside every table): a first proposal within a year of delivery, a cut over nine months for
    /// repentance, a proposal within a year of the last ruling's service.
    func commutations() -> [String] {
        var found: [String] = []
        for r in records {
            guard case .execution(let x) = r.payload else { continue }
            var previous: Commutation?
            for c in x.commutations {
                guard let proposed = c.proposedOn else { continue }
                if previous == nil, let delivered = x.deliveredOn, proposed < delivered.addingMonths(12) { found.append("COMMUTATION_TOO_EARLY") }
                if c.grounds == .repentance, (c.reductionMonths ?? 0) > 9 { found.append("COMMUTATION_TOO_LARGE") }
                if let served = previous?.servedOn, proposed < served.addingMonths(12) { found.append("COMMUTATION_INTERVAL_SHORT") }
                previous = c
            }
            if let p = x.parole {
                // 刑法 81: half the original term, custody credited; the judgment gives the term.
                let term = records.compactMap { r -> Int? in if case .judgment(let j) = r.payload, j.defendant == x.convict { j.termMonths } else { nil } }.last
                if let term {
                    let end = x.termStart.sentenceEnd(months: term)
                    let half = x.termStart.adding(days: (end.dayNumber - x.termStart.dayNumber + 2) / 2)
                    if p.ruledAt.localDate < half { found.append("PAROLE_TOO_EARLY") }
                }
                if x.categories?.contains("recidivist") == true { found.append("PAROLE_BARRED") }
            }
        }
        return found
    }

    func criminal() -> [String] {
        var found: [String] = commutations()
        if let accepted = first(.caseAccepted), let filed = first(.caseFiled), !withinDays(filed.occurredAt, of: accepted.occurredAt, 3) {
            found.append("FILING_REVIEW_OVERDUE")  // R2: never planted
        }
        if let detained = first(.detained) {
            let arrest = first(.arrested)
            if let notice = first(.familyNotified, after: detained.occurredAt),
                notice.occurredAt.secondsSinceEpoch - detained.occurredAt.secondsSinceEpoch > 24 * 3600
            {
                found.append("FAMILY_NOTICE_LATE")
            }
            if let question = first(.interrogated, after: detained.occurredAt),
                question.occurredAt.secondsSinceEpoch - detained.occurredAt.secondsSinceEpoch > 24 * 3600
            {
                found.append("FIRST_INTERROGATION_LATE")
            }
            if !documents.contains(where: { $0.type == .detentionWarrant }) { found.append("MISSING_DETENTION_WARRANT") }
            if let request = first(.arrestRequested) {
                if !withinDays(request.occurredAt, of: detained.occurredAt, 3) { found.append("ARREST_REQUEST_LATE") }
                if let approval = first(.arrestApproved) {
                    if !withinDays(approval.occurredAt, of: request.occurredAt, 7) { found.append("ARREST_DECISION_LATE") }
                    // M8: ten days in all before the arrest decision.
                    if !withinDays(approval.occurredAt, of: detained.occurredAt, 10) { found.append("PRE_ARREST_DETENTION_OVER_10_DAYS") }
                } else {
                    found.append("ARREST_DECISION_MISSING")
                }
            }
            if let arrest {
                if first(.arrestApproved) == nil { found.append("ARREST_WITHOUT_APPROVAL") }
                if !documents.contains(where: { $0.type == .arrestWarrant }) { found.append("MISSING_ARREST_WARRANT") }
                if let notice = first(.familyNotified, after: arrest.occurredAt),
                    notice.occurredAt.secondsSinceEpoch - arrest.occurredAt.secondsSinceEpoch > 24 * 3600
                {
                    found.append("ARREST_FAMILY_NOTICE_LATE")  // M12: never planted
                }
                var months = 2
                for ext in all(.custodyExtended) {
                    if ext.attributes.approverLevel == .county {
                        found.append("EXTENSION_WRONG_APPROVER")
                    } else {
                        months += ext.attributes.extensionMonths ?? 0
                    }
                }
                if let transfer = first(.transferredForProsecution), !withinMonths(transfer.occurredAt, of: arrest.occurredAt, months) {
                    found.append("INVESTIGATION_CUSTODY_OVERDUE")
                }
            }
        }
        let returns = all(.returnedForSupplementaryInvestigation)
        if returns.count > 2 { found.append("THIRD_SUPPLEMENTARY_RETURN") }
        for r in returns {
            if let back = first(.resubmitted, after: r.occurredAt), !withinMonths(back.occurredAt, of: r.occurredAt, 1) {
                found.append("SUPPLEMENTARY_INVESTIGATION_OVERDUE")  // P4 one month per return: never planted
            }
        }
        if let indicted = first(.indicted) {
            let receipt = ([first(.transferredForProsecution)] + all(.resubmitted)).compactMap { $0 }
                .filter { $0.occurredAt <= indicted.occurredAt }.max { $0.occurredAt < $1.occurredAt }!
            if !withinMonths(indicted.occurredAt, of: receipt.occurredAt, 1) { found.append("PROSECUTION_REVIEW_OVERDUE") }
            if indicted.attributes.procedure == .fastTrack, !withinDays(indicted.occurredAt, of: receipt.occurredAt, 10) {
                found.append("FAST_TRACK_REVIEW_OVERDUE")  // P2: never planted
            }
        }
        if let accepted = first(.courtAccepted), let verdict = first(.verdictPronounced, after: accepted.occurredAt) {
            switch accepted.attributes.procedure {
            case .fastTrack?:
                if !withinDays(verdict.occurredAt, of: accepted.occurredAt, 10) { found.append("FAST_TRACK_TRIAL_OVERDUE") }
            case .summary?:
                if !withinDays(verdict.occurredAt, of: accepted.occurredAt, 20) { found.append("SUMMARY_TRIAL_OVERDUE") }
            default:
                if !withinMonths(verdict.occurredAt, of: accepted.occurredAt, 3) {
                    found.append("TRIAL_OVERDUE")
                } else if !withinMonths(verdict.occurredAt, of: accepted.occurredAt, 2) {
                    found.append("TRIAL_OVER_TWO_MONTHS")  // allowed by the court itself, but never generated
                }
            }
            if let served = first(.judgmentServed, after: verdict.occurredAt), !withinDays(served.occurredAt, of: verdict.occurredAt, 5) {
                found.append("JUDGMENT_SERVICE_LATE")  // T10: never planted
            }
        }
        if let effective = first(.judgmentEffective), let handover = first(.handedOverForExecution),
            !withinDays(handover.occurredAt, of: effective.occurredAt, 10)
        {
            found.append("EXECUTION_HANDOVER_LATE")
        }
        if let handover = first(.handedOverForExecution), let admitted = first(.admittedToPrison),
            !withinMonths(admitted.occurredAt, of: handover.occurredAt, 1)
        {
            found.append("PRISON_ADMISSION_LATE")  // E2: never planted
        }
        return found
    }
}
