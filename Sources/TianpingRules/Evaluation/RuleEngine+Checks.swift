import TianpingCore

extension RuleEngine {
    // MARK: - Precedence: B requires an earlier A

    func evaluatePrecedence(_ spec: PrecedenceSpec, _ context: Context, _ output: inout Output) {
        let events = context.events
        let cutoff = spec.onlyBefore.flatMap { m in events.first { matches(m, $0) }?.at }
        let leadDays = spec.minLead.map { $0.days + $0.totalMonths * 30 } ?? 0
        for p in context.timeline.positions(of: spec.event.kinds) {
            let b = events[p]
            guard matches(spec.event, b), procedureAllows(context.rule, at: b, context.timeline) else { continue }
            if let cutoff, b.at >= cutoff { continue }
            let candidates = events[..<p].filter { matches(spec.requires, $0) && samePerson(b.event.person, $0.event.person) }
            let day = b.at.chinaTime.localDate.dayNumber
            if candidates.contains(where: { spec.minLead == nil || $0.at.chinaTime.localDate.dayNumber + leadDays <= day }) {
                continue
            }
            var text = "依据\(context.rule.citationText)，\(b.kind.chineseName)（\(b.at.chineseText)）"
            var involved = [b]
            if let lead = spec.minLead, let late = candidates.last {
                let latest = CalendarDate(dayNumber: day - leadDays)
                text += "应至迟于\(latest.chineseText)\(spec.requirement)，实际于\(late.at.chinaTime.localDate.chineseText)，"
                text += "距\(b.kind.chineseName)不足\(lead)。"
                involved.insert(late, at: 0)
            } else {
                text += "之前应有\(spec.requirement)，案卷中未见记录。"
            }
            output.findings.append(finding(context, anchor: b.id, involved: involved, person: b.event.person,
                occurredAt: b.at, explanation: text))
        }
    }

    // MARK: - Count: at most N occurrences per person

    func evaluateCount(_ spec: CountSpec, _ context: Context, _ output: inout Output) {
        var byPerson: [String: [TimelineEvent]] = [:]
        for p in context.timeline.positions(of: spec.event.kinds) {
            let e = context.events[p]
            guard matches(spec.event, e) else { continue }
            byPerson[e.event.person ?? "", default: []].append(e)
        }
        for (person, list) in byPerson.sorted(by: { $0.key < $1.key }) where list.count > spec.max {
            let excess = list[spec.max]
            let text = "依据\(context.rule.citationText)，\(excess.kind.chineseName)以\(spec.max)次为限，"
                + "本案已\(excess.kind.chineseName)\(list.count)次（第\(spec.max + 1)次于\(excess.at.chinaTime.localDate.chineseText)）。"
            output.findings.append(finding(context, anchor: excess.id, involved: list, person: person.isEmpty ? nil : person,
                occurredAt: excess.at, explanation: text))
        }
    }

    // MARK: - Required documents

    func evaluateDocuments(_ spec: DocumentSpec, _ context: Context, _ output: inout Output) {
        let before = Int64(spec.before.approximateHours) * 3600
        let after = Int64(spec.after.approximateHours) * 3600
        var used = Set<Int>()
        for p in context.timeline.positions(of: spec.trigger.kinds) {
            let e = context.events[p]
            guard matches(spec.trigger, e), procedureAllows(context.rule, at: e, context.timeline) else { continue }
            let from = e.at.secondsSinceEpoch - before
            let to = e.at.secondsSinceEpoch + after
            var missing: [[DocumentType]] = []
            var found: [String] = []
            let documents = context.timeline.documents
            let bits = context.timeline.documentBits
            for group in spec.require {
                let groupBits = group.reduce(UInt64(0)) { $0 | $1.bit }
                var match: Int?
                for j in documents.indices where bits[j] & groupBits != 0 && !used.contains(j) {
                    let issued = documents[j].document.issuedAt.secondsSinceEpoch
                    guard issued >= from, issued <= to else { continue }
                    if spec.sameIssuer == true, documents[j].document.issuer != e.event.agency { continue }
                    match = j
                    break
                }
                if let match {
                    used.insert(match)
                    found.append(documents[match].id)
                } else {
                    missing.append(group)
                }
            }
            guard !missing.isEmpty else { continue }
            let names = missing.map { $0.map(\.chineseName).joined(separator: "或") }.map { "《\($0)》" }
                .joined(separator: "、")
            let text = "依据\(context.rule.citationText)，\(e.kind.chineseName)（\(e.at.chineseText)）应有\(names)，"
                + "案卷中未见（查找范围：\(e.kind.chineseName)前\(spec.before)至后\(spec.after)）。"
            output.findings.append(finding(context, anchor: e.id, involved: [e], documents: found, person: e.event.person,
                occurredAt: e.at, explanation: text))
        }
    }

    // MARK: - Approval authority

    func evaluateApproval(_ spec: ApprovalSpec, _ context: Context, _ output: inout Output) {
        let events = context.events
        for p in context.timeline.positions(of: spec.event.kinds) {
            let e = events[p]
            guard matches(spec.event, e) else { continue }
            let reference = events[..<p].last { matches(spec.relativeTo, $0) && samePerson(e.event.person, $0.event.person) }
            let ground = e.event.attributes.legalGround
            let candidates = spec.alternatives.filter { alt in
                guard let grounds = alt.grounds, let ground else { return true }
                return grounds.contains(ground)
            }
            if candidates.contains(where: { approverAccepts($0.approver, approval: e, reference: reference?.event.agency) }) {
                continue
            }
            let required = (candidates.isEmpty ? spec.alternatives : candidates).map(\.approver.description)
                .joined(separator: "或")
            let approver = e.event.attributes.approverAgency ?? e.event.agency
            // The level is the approving agency's own (read from its code), whatever the record's label says.
            let level = AgencyCode.level(approver)?.chineseName ?? "级别不明的"
            let kind = AgencyCode.kind(approver)?.chineseName ?? "机关"
            var text = "依据\(context.rule.citationText)，\(e.kind.chineseName)（\(e.at.chinaTime.localDate.chineseText)）"
            text += "应由\(required)批准，实际由\(level)\(kind)（\(approver)）批准"
            if e.event.attributes.approverAgency == nil { text += "（记录未注明批准机关，以报送机关为批准机关）" }
            if let ground { text += "（所引依据：\(ground)）" }
            text += "。"
            var involved = [e]
            if let reference { involved.insert(reference, at: 0) }
            output.findings.append(finding(context, anchor: e.id, involved: involved, person: e.event.person,
                occurredAt: e.at, explanation: text))
        }
    }
}
