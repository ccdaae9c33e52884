import Crypto
import TianpingCore

/// Civil, administrative and enforcement cases: the court's records.
extension CaseBuilder {
    // MARK: - Civil and administrative cases

    mutating func writeCourtCase(_ type: CaseType, serial: Int, acceptanceDay: Int) {
        let court = agency(.court)
        let cause = type == .civil ? rng.pick(Causes.civil) : rng.pick(Causes.administrative)
        let procedure: TrialProcedure = type == .civil && rng.chance(0.6) ? .summary : .ordinary
        let violation: PlantedViolation? = rng.chance(violationRate)
            ? (type == .civil ? (procedure == .summary ? .civilTrialOverdue : nil) : .administrativeTrialOverdue) : nil
        let typeCode = type == .civil ? "民初" : "行初"
        let number = courtNumber(year: year(acceptanceDay), type: typeCode, serial: serial)
        let plaintiffName = Names.person(&rng)
        let respondentName = type == .administrative
            ? city.name + county.name + rng.pick(["人民政府", "市场监督管理局", "自然资源局", "人力资源和社会保障局"])
            : Names.person(&rng)
        let acceptedAt = office(acceptanceDay)
        let title = String(plaintiffName.prefix(1)) + "某与" + (type == .civil ? String(respondentName.prefix(1)) + "某" : respondentName)
            + cause
        caseRecord(type: type, source: court, title: title, charges: [], cause: cause, accepted: acceptedAt,
            numbers: [(court, number)], procedure: procedure, flags: [])
        _ = party(.plaintiff, source: court, name: plaintiffName, withIdentity: rng.chance(0.7))
        _ = party(.respondent, source: court, name: respondentName, withIdentity: type == .civil && rng.chance(0.7))
        document(.complaint, acceptedAt, court, number: nil)
        let accepted = event(.courtAccepted, acceptedAt, court, Attributes(procedure: procedure))
        // CivPL 164 (summary, 3 months), 152 (ordinary, 6 months); AdmPL 81 (6 months); counted from the day after filing.
        let limitMonths = procedure == .summary ? 3 : 6
        var verdictDay: Int
        if violation != nil {
            verdictDay = monthsAfter(acceptanceDay, limitMonths) + rng.int(Self.holidayMargin...40)
        } else if type == .civil, procedure == .ordinary, rng.chance(0.1) {
            let extensionDay = monthsAfter(acceptanceDay, 6) - rng.int(5...20)
            event(.trialPeriodExtended, office(extensionDay), court,
                Attributes(approverLevel: .county, approverAgency: court, extensionMonths: 6, legalGround: "CivPL152"))
            document(.extensionApproval, office(extensionDay), court, number: nil)
            verdictDay = monthsAfter(acceptanceDay, 6) + rng.int(10...150)
        } else {
            verdictDay = acceptanceDay + (procedure == .summary ? rng.int(20...85) : rng.int(40...170))
        }
        let hearingDay = max(acceptanceDay + 15, verdictDay - rng.int(0...30))
        let hearingAt = office(hearingDay)
        event(.hearingHeld, hearingAt, court)
        let verdictAt = office(max(verdictDay, hearingDay), after: hearingAt)
        verdictDay = verdictAt.day
        let verdict = event(.verdictPronounced, verdictAt, court)
        document(.judgment, verdictAt, court, number: number)
        if let violation {
            plant(violation, events: [accepted, verdict],
                detail: "立案后第 \(verdictDay - acceptanceDay) 日宣判，超过\(limitMonths)个月且无延长")
        }
        let served = max(office(verdictDay + rng.int(0...5)), verdictAt.plus(hours: 1))
        event(.judgmentServed, served, court)
        // CivPL 171 / AdmPL 85: 15 days to appeal a judgment.
        event(.judgmentEffective, LocalTime(day: served.day + 16, hour: 9), court)
        event(.caseClosed, office(served.day + 16 + rng.int(0...5)), court)
    }

    mutating func writeEnforcementCase(serial: Int, acceptanceDay: Int) {
        let court = agency(.court)
        let violation: PlantedViolation? = rng.chance(violationRate) ? .enforcementOverdue : nil
        let number = courtNumber(year: year(acceptanceDay), type: "执", serial: serial)
        let applicantName = Names.person(&rng)
        let debtorName = Names.person(&rng)
        let cause = rng.pick(Causes.enforcement)
        let filedAt = office(acceptanceDay)
        caseRecord(type: .enforcement, source: court,
            title: String(applicantName.prefix(1)) + "某申请执行" + String(debtorName.prefix(1)) + "某" + cause,
            charges: [], cause: cause, accepted: filedAt, numbers: [(court, number)], procedure: nil, flags: [])
        _ = party(.plaintiff, source: court, name: applicantName, withIdentity: rng.chance(0.7))
        _ = party(.respondent, source: court, name: debtorName, withIdentity: rng.chance(0.7))
        document(.enforcementApplication, filedAt, court, number: nil)
        let filed = event(.enforcementFiled, filedAt, court)
        // SPC-2000 Art. 5: conclude within 6 months of filing.
        let concludedDay = violation != nil
            ? monthsAfter(acceptanceDay, 6) + rng.int(Self.holidayMargin...60) : acceptanceDay + rng.int(20...170)
        let concluded = event(.enforcementConcluded, office(concludedDay), court, Attributes(outcome: rng.pick(["fully_performed", "terminated", "settled"])))
        if let violation {
            plant(violation, events: [filed, concluded], detail: "执行立案后第 \(concludedDay - acceptanceDay) 日结案，超过六个月")
        }
    }
}
