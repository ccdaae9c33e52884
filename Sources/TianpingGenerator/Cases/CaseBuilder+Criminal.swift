import Crypto
import TianpingCore

/// Criminal cases from acceptance to execution: the police, procuratorate, court and prison records of one case.
extension CaseBuilder {
    // MARK: - Criminal cases

    mutating func writeCriminalCase(serial: Int, acceptanceDay: Int) {
        let profile = rng.weighted(CrimeProfile.all.map { ($0, $0.weight) })
        let police = agency(.publicSecurity)
        let procuratorate = agency(.procuratorate)
        let court = agency(.court)
        let detentionHouse = agency(.detentionHouse)
        let custody = rng.chance(profile.custodyRate)
        let complex = custody && rng.chance(profile.complexRate)
        let detentionSentence = rng.chance(profile.detentionShare)
        let term = detentionSentence ? rng.int(1...6) : rng.int(profile.termMonths)
        let guiltyPlea = rng.chance(0.7)
        var flags = profile.flags
        if complex { flags.append("major_complex") }
        if guiltyPlea { flags.append("guilty_plea") }
        let procedure: TrialProcedure
        if complex || term > 36 || profile.flags.contains("possible_death") {
            procedure = .ordinary
        } else if guiltyPlea {
            procedure = rng.weighted([(.fastTrack, 40), (.summary, 40), (.ordinary, 20)])
        } else {
            procedure = rng.chance(0.5) ? .summary : .ordinary
        }

        // Choose at most one violation that this path can carry.
        var violation: PlantedViolation?
        if rng.chance(violationRate) {
            var options: [PlantedViolation] = [.executionHandoverLate]
            // Fast-track cases are not returned for supplementary investigation (a return ends the fast track).
            if procedure != .fastTrack { options.append(.thirdSupplementaryReturn) }
            // A fast-track review over a month would also break the 10-day fast-track limit (CPL 172).
            if procedure != .fastTrack { options.append(.prosecutionReviewOverdue) }
            if custody {
                options += [.familyNoticeLate, .firstInterrogationLate, .arrestRequestLate, .arrestDecisionLate,
                    .arrestWithoutApproval, .investigationCustodyOverdue, .extensionWrongApprover,
                    .missingDetentionWarrant, .missingArrestWarrant]
            }
            if procedure == .ordinary { options.append(.trialOverdue) }
            violation = rng.pick(options)
        }

        let accepted = office(acceptanceDay)
        let suspectName = Names.person(&rng)
        let title = String(suspectName.prefix(1)) + "某" + String(profile.charge.dropLast()) + "案"
        let policeNumber = localShort + "公（刑）立字〔\(year(acceptanceDay))〕\(serial)号"
        caseRecord(type: .criminal, source: police, title: title, charges: [profile.charge], cause: nil, accepted: accepted,
            numbers: [(police, policeNumber)], procedure: nil, flags: flags)
        let suspect = party(.suspect, source: police, name: suspectName, withIdentity: true)
        if profile.hasVictim { _ = party(.victim, source: police, withIdentity: rng.chance(0.5)) }
        // Most defendants retain counsel (or are assigned a legal-aid lawyer); counsel keeps its name on publication.
        if rng.chance(0.65) { defenseLawyer(source: police) }

        event(.caseAccepted, accepted, police)
        document(.acceptanceRegister, accepted.plus(hours: 0, minutes: 20), police, number: nil)
        let filed = office(acceptanceDay + rng.int(0...2))
        event(.caseFiled, max(filed, accepted.plus(hours: 1)), police)
        if profile.hasVictim { evidence(.victimStatement, "被害人陈述（询问笔录）", accepted.plus(hours: 1), police) }
        if rng.chance(0.5) {
            evidence(rng.pick([.physical, .documentary, .audioVisualElectronic, .inspectionRecord]),
                rng.pick(["扣押物品清单及照片", "现场勘验笔录", "监控视频", "转账记录", "鉴定意见书"]),
                max(filed, accepted.plus(hours: 2)), police)
        }
        document(.filingDecision, max(filed, accepted.plus(hours: 1)), police,
            number: localShort + "公（刑）立字〔\(year(filed.day))〕\(serial)号")

        var releaseAnchorDay: Int  // the day custody (for sentence credit) began
        var transferDay: Int
        var arrestEvent: String?
        var arrestDay = 0
        if custody {
            // Compulsory measures follow the filing decision (立案), never precede it.
            let filedAt = max(filed, accepted.plus(hours: 1))
            let detainedAt = max(LocalTime(day: filed.day + rng.int(0...7), hour: rng.int(8...20), minute: rng.int(0...59)),
                filedAt.plus(hours: 1))
            releaseAnchorDay = detainedAt.day
            let detention = event(.detained, detainedAt, police, person: suspect.id, Attributes(inCustody: true))
            if violation == .missingDetentionWarrant {
                plant(.missingDetentionWarrant, events: [detention], detail: "拘留事件无对应拘留证")
            } else {
                document(.detentionWarrant, detainedAt, police, number: localShort + "公（刑）拘字〔\(year(detainedAt.day))〕\(serial)号")
            }
            event(.deliveredToDetentionHouse, detainedAt.plus(hours: rng.int(1...8)), police, person: suspect.id)
            let noticeAt = violation == .familyNoticeLate
                ? detainedAt.plus(hours: rng.int(30...70)) : detainedAt.plus(hours: rng.int(2...20))
            let notice = event(.familyNotified, noticeAt, police, person: suspect.id, Attributes(recipient: "近亲属"))
            let noticeDoc = document(.detentionNotice, noticeAt, police, number: nil)
            if violation == .familyNoticeLate {
                plant(.familyNoticeLate, events: [detention, notice], documents: [noticeDoc],
                    detail: "拘留后 \((noticeAt.seconds - detainedAt.seconds) / 3600) 小时通知家属")
            }
            let interrogationAt = violation == .firstInterrogationLate
                ? detainedAt.plus(hours: rng.int(26...48)) : detainedAt.plus(hours: rng.int(1...12))
            let interrogation = event(.interrogated, interrogationAt, police, person: suspect.id)
            evidence(.accusedStatement, "犯罪嫌疑人供述和辩解（讯问笔录）", interrogationAt, police, person: suspect.id)
            if violation == .firstInterrogationLate {
                plant(.firstInterrogationLate, events: [detention, interrogation],
                    detail: "拘留后 \((interrogationAt.seconds - detainedAt.seconds) / 3600) 小时首次讯问")
            }
            // CPL 91: request within 3 days of detention (start day not counted: by the end of day D+3).
            let requestDay: Int
            switch violation {
            case .arrestRequestLate: requestDay = detainedAt.day + rng.int(5...6)
            case .arrestDecisionLate: requestDay = detainedAt.day + 1
            default: requestDay = detainedAt.day + rng.int(1...3)
            }
            let requestAt = office(requestDay)
            let request = event(.arrestRequested, requestAt, police, person: suspect.id)
            document(.arrestRequest, requestAt, police, number: localShort + "公（刑）提捕字〔\(year(requestDay))〕\(serial)号")
            if violation == .arrestRequestLate {
                plant(.arrestRequestLate, events: [detention, request], detail: "拘留后第 \(requestDay - detainedAt.day) 日提请批准逮捕")
            }
            // CPL 91(3): decide within 7 days of receiving the request.
            // M8: at most ten days in all from detention to the decision (3 + 7), kept even when the request was late.
            let decisionDay = violation == .arrestDecisionLate
                ? requestDay + rng.int(8...9) : min(requestDay + rng.int(1...6), detainedAt.day + 10)
            let decisionAt = LocalTime(day: decisionDay, hour: 9, minute: rng.int(0...59))
            var approval: String?
            if violation != .arrestWithoutApproval {
                approval = event(.arrestApproved, decisionAt, procuratorate, person: suspect.id, Attributes(outcome: "approved"))
                document(.arrestApproval, decisionAt, procuratorate, number: localShort + "检批捕〔\(year(decisionDay))〕\(serial)号")
                if violation == .arrestDecisionLate {
                    plant(.arrestDecisionLate, events: [request, approval!],
                        detail: "收到提请批准逮捕书后第 \(decisionDay - requestDay) 日作出批准决定")
                }
            }
            let arrestedAt = decisionAt.plus(hours: rng.int(1...6))
            let arrest = event(.arrested, arrestedAt, police, person: suspect.id, Attributes(inCustody: true))
            arrestEvent = arrest
            arrestDay = arrestedAt.day
            if violation == .arrestWithoutApproval {
                plant(.arrestWithoutApproval, events: [request, arrest], detail: "逮捕前无批准逮捕决定")
            }
            if violation == .missingArrestWarrant {
                plant(.missingArrestWarrant, events: [arrest], detail: "逮捕事件无对应逮捕证")
            } else {
                document(.arrestWarrant, arrestedAt, police, number: localShort + "公（刑）捕字〔\(year(arrestedAt.day))〕\(serial)号")
            }
            event(.familyNotified, arrestedAt.plus(hours: rng.int(2...20)), police, person: suspect.id, Attributes(recipient: "近亲属"))
            document(.arrestNotice, arrestedAt.plus(hours: rng.int(2...20)), police, number: nil)
            event(.interrogated, arrestedAt.plus(hours: rng.int(1...20)), police, person: suspect.id)

            // CPL 156: two months of investigation custody after arrest; one more month with the approval
            // of the procuratorate one level up.
            let twoMonths = monthsAfter(arrestedAt.day, 2)
            switch violation {
            case .investigationCustodyOverdue:
                transferDay = twoMonths + rng.int(5...20)
            case .extensionWrongApprover:
                let requestExt = event(.custodyExtensionRequested, office(arrestedAt.day + rng.int(40...48)), police, person: suspect.id)
                let wrongAt = office(twoMonths - rng.int(2...5))
                let ext = event(.custodyExtended, wrongAt, procuratorate, person: suspect.id,
                    Attributes(approverLevel: .county, approverAgency: procuratorate, extensionMonths: 1, legalGround: "CPL156"))
                document(.custodyExtensionApproval, wrongAt, procuratorate, number: nil)
                transferDay = twoMonths + rng.int(6...25)
                plant(.extensionWrongApprover, events: [arrest, requestExt, ext],
                    detail: "延长侦查羁押期限由同级（县级）人民检察院批准，应由上一级人民检察院批准")
            default:
                if complex {
                    let cityProcuratorate = agency(.procuratorate, level: .city)
                    event(.custodyExtensionRequested, office(arrestedAt.day + rng.int(40...48)), police, person: suspect.id)
                    let extAt = office(twoMonths - rng.int(2...5))
                    event(.custodyExtended, extAt, cityProcuratorate, person: suspect.id,
                        Attributes(approverLevel: .city, approverAgency: cityProcuratorate, extensionMonths: 1, legalGround: "CPL156"))
                    document(.custodyExtensionApproval, extAt, cityProcuratorate, number: nil)
                    transferDay = twoMonths + rng.int(3...25)
                } else {
                    transferDay = arrestedAt.day + rng.int(20...55)
                }
            }
        } else {
            let summonsAt = max(LocalTime(day: filed.day + rng.int(0...10), hour: rng.int(8...12), minute: rng.int(0...59)),
                max(filed, accepted.plus(hours: 1)).plus(hours: 1))
            event(.summoned, summonsAt, police, person: suspect.id)
            event(.summonsEnded, summonsAt.plus(hours: rng.int(2...10)), police, person: suspect.id)
            evidence(.accusedStatement, "犯罪嫌疑人供述和辩解（讯问笔录）", summonsAt.plus(hours: 1), police, person: suspect.id)
            let bailAt = summonsAt.plus(hours: rng.int(3...11))
            event(.bailGranted, bailAt, police, person: suspect.id, Attributes(inCustody: false))
            document(.bailDecision, bailAt, police, number: nil)
            transferDay = bailAt.day + rng.int(15...90)
            releaseAnchorDay = -1
        }
        let t = office(transferDay)
        let transfer = event(.transferredForProsecution, t, police, person: suspect.id)
        document(.prosecutionOpinion, t, police, number: localShort + "公（刑）诉字〔\(year(transferDay))〕\(serial)号")
        if violation == .investigationCustodyOverdue, let arrestEvent {
            plant(.investigationCustodyOverdue, events: [arrestEvent, transfer],
                detail: "逮捕后第 \(transferDay - arrestDay) 日才移送审查起诉，超过二个月且无延长批准")
        }
        writeProsecutionAndTrial(from: t, profile: profile, term: term, detentionSentence: detentionSentence,
            procedure: procedure, suspect: suspect, custody: custody, anchorDay: releaseAnchorDay, violation: violation,
            serial: serial, police: police, procuratorate: procuratorate, court: court, detentionHouse: detentionHouse,
            flags: flags, accepted: accepted, policeNumber: policeNumber)
    }

    mutating func writeProsecutionAndTrial(from transfer: LocalTime, profile: CrimeProfile, term: Int,
        detentionSentence: Bool, procedure: TrialProcedure, suspect: (id: String, name: String), custody: Bool,
        anchorDay: Int, violation: PlantedViolation?, serial: Int, police: String, procuratorate: String, court: String,
        detentionHouse: String, flags: [String], accepted: LocalTime, policeNumber: String)
    {
        var receipt = transfer
        if !custody {
            let bailAt = office(transfer.day + rng.int(0...3), after: transfer)
            event(.bailGranted, bailAt, procuratorate, person: suspect.id, Attributes(inCustody: false))
            document(.bailDecision, bailAt, procuratorate, number: nil)
        }
        // CPL 175(3): at most two returns for supplementary investigation, one month each.
        let returns = violation == .thirdSupplementaryReturn ? 3 : procedure == .fastTrack ? 0 : rng.weighted([(0, 85), (1, 11), (2, 4)])
        var returnEvents: [String] = []
        for n in 0..<returns {
            let back = office(receipt.day + rng.int(10...20))
            returnEvents.append(event(.returnedForSupplementaryInvestigation, back, procuratorate, person: suspect.id,
                Attributes(sequence: n + 1)))
            document(.supplementaryInvestigationDecision, back, procuratorate, number: nil)
            receipt = office(back.day + rng.int(10...27))
            returnEvents.append(event(.resubmitted, receipt, police, person: suspect.id, Attributes(sequence: n + 1)))
        }
        if violation == .thirdSupplementaryReturn {
            plant(.thirdSupplementaryReturn, events: returnEvents, detail: "退回补充侦查三次")
        }
        // CPL 172: decide within one month (10 days for fast-track with a guilty plea).
        let indictDay: Int
        if violation == .prosecutionReviewOverdue {
            indictDay = monthsAfter(receipt.day, 1) + rng.int(Self.holidayMargin...25)
        } else if procedure == .fastTrack {
            indictDay = receipt.day + rng.int(3...9)
        } else {
            indictDay = receipt.day + rng.int(5...25)
        }
        let indictAt = office(indictDay)
        if flags.contains("guilty_plea") {
            document(.pleaAgreement, office(max(receipt.day, indictDay - rng.int(1...3))), procuratorate, number: nil)
        }
        let indictment = event(.indicted, indictAt, procuratorate, person: suspect.id, Attributes(procedure: procedure))
        let procuratorateNumber = localShort + "检刑诉〔\(year(indictDay))〕\(serial)号"
        document(.indictment, indictAt, procuratorate, number: procuratorateNumber)
        if violation == .prosecutionReviewOverdue {
            let lastReceipt = returnEvents.last ?? (caseID + "-E?")
            plant(.prosecutionReviewOverdue, events: returns > 0 ? [lastReceipt, indictment] : [indictment],
                detail: "收案后第 \(indictDay - receipt.day) 日提起公诉，超过一个月且无延长")
        }

        // Trial: CPL 208 (2 months, at most 3), 220 (summary 20 days), 225 (fast-track 10 days).
        let acceptDay = indictDay + rng.int(1...4)
        let acceptedAt = office(acceptDay)
        let courtAccepted = event(.courtAccepted, acceptedAt, court, person: suspect.id, Attributes(procedure: procedure))
        if !custody {
            let bailAt = office(acceptDay + rng.int(0...5), after: acceptedAt)
            event(.bailGranted, bailAt, court, person: suspect.id, Attributes(inCustody: false))
            document(.bailDecision, bailAt, court, number: nil)
        }
        let courtNumber = courtNumber(year: year(acceptDay), type: "刑初", serial: serial)
        let hearingDay: Int
        var verdictDay: Int
        switch procedure {
        case .fastTrack:
            hearingDay = acceptDay + rng.int(3...7)
            verdictDay = hearingDay
        case .summary:
            hearingDay = acceptDay + rng.int(5...12)
            verdictDay = hearingDay + rng.int(0...5)
        default:
            event(.indictmentServed, office(acceptDay + rng.int(1...3)), court, person: suspect.id)
            hearingDay = acceptDay + rng.int(15...40)
            verdictDay = hearingDay + rng.int(0...10)
        }
        if violation == .trialOverdue {
            verdictDay = monthsAfter(acceptDay, 3) + rng.int(Self.holidayMargin...30)
        }
        let hearingAt = office(hearingDay)
        event(.hearingHeld, hearingAt, court, person: suspect.id)
        let verdictAt = office(verdictDay, after: hearingAt)
        let verdict = event(.verdictPronounced, verdictAt, court, person: suspect.id)
        if violation == .trialOverdue {
            plant(.trialOverdue, events: [courtAccepted, verdict], detail: "受理后第 \(verdictDay - acceptDay) 日宣判，无延长批准")
        }
        let judgmentNumber = courtNumber
        document(.judgment, verdictAt, court, number: judgmentNumber)
        let penalty: PrincipalPenalty = detentionSentence ? .criminalDetention : .fixedTermImprisonment
        let probation: Int? = {
            guard (detentionSentence || term <= 36), rng.chance(profile.probationRate) else { return nil }
            return detentionSentence ? max(term, rng.int(2...12)) : max(term, rng.int(12...60))
        }()
        var circumstances: [String] = flags.contains("guilty_plea") ? ["认罪认罚"] : []
        if rng.chance(0.5) { circumstances.append(rng.pick(["坦白", "自首", "退赃退赔", "取得谅解", "初犯"])) }
        let fine = profile.fine.upperBound > 0 ? rng.int(profile.fine) / 100 * 100 : nil
        let facts = Self.sentencingFacts(charge: profile.charge, term: term, circumstances: circumstances, caseID: caseID)
        writeJudgment(defendant: suspect.id, number: courtNumber, instance: 1, court: court, at: verdictAt,
            charges: [profile.charge], penalty: penalty, term: term, probation: probation, fine: fine,
            circumstances: circumstances, facts: facts)
        let servedAt = max(office(verdictDay + rng.int(0...4)), verdictAt.plus(hours: 1))
        event(.judgmentServed, servedAt, court, person: suspect.id)
        var effectiveDay = servedAt.day + 11
        var appealRuling: LocalTime?
        if rng.chance(0.05) {
            let appealAt = office(servedAt.day + rng.int(2...9))
            event(.appealed, appealAt, court, person: suspect.id)
            document(.appealPetition, appealAt, court, number: nil)
            let forward = office(appealAt.day + rng.int(1...3))
            event(.appealForwarded, forward, court, person: suspect.id)
            let cityCourt = agency(.court, level: .city)
            let second = office(forward.day + rng.int(1...4))
            event(.secondInstanceAccepted, second, cityCourt, person: suspect.id)
            let ruling = office(second.day + rng.int(20...50))
            event(.verdictPronounced, ruling, cityCourt, person: suspect.id, Attributes(outcome: "appeal_rejected"))
            let secondNumber = self.courtNumber(year: year(second.day), type: "刑终", serial: serial, intermediate: true)
            document(.ruling, ruling, cityCourt, number: secondNumber)
            writeJudgment(defendant: suspect.id, number: secondNumber, instance: 2, court: cityCourt, at: ruling,
                charges: [profile.charge], penalty: penalty, term: term, probation: probation, fine: fine,
                circumstances: circumstances, facts: facts)
            event(.judgmentServed, max(office(ruling.day + rng.int(0...4)), ruling.plus(hours: 1)), cityCourt, person: suspect.id)
            // A second-instance judgment takes effect when pronounced.
            effectiveDay = ruling.day
            appealRuling = ruling
        }
        let effective = appealRuling.map { $0.plus(hours: 0, minutes: 30) } ?? LocalTime(day: effectiveDay, hour: 9)
        let effectiveEvent = event(.judgmentEffective, effective, court, person: suspect.id)
        // CPL 264, SPC-Interp 511: hand over for execution within 10 days of effect.
        let handoverDay = violation == .executionHandoverLate
            ? effectiveDay + 10 + rng.int(Self.holidayMargin...25) : effectiveDay + rng.int(1...9)
        let handoverAt = office(handoverDay, after: effective)
        let handover = event(.handedOverForExecution, handoverAt, court, person: suspect.id)
        document(.executionNotice, handoverAt, court, number: nil)
        document(.caseClosingRegister, handoverAt, court, number: nil)
        if violation == .executionHandoverLate {
            plant(.executionHandoverLate, events: [effectiveEvent, handover],
                detail: "判决生效后第 \(handoverDay - effectiveDay) 日交付执行")
        }
        // Execution: probation → community correction; 拘役 or ≤3 months left → detention house; else prison.
        let startDay = anchorDay >= 0 ? anchorDay : handoverDay + 1
        let endDay = monthsAfter(startDay, term) - 1
        if let probation {
            let correction = agency(.communityCorrection)
            let reportDay = handoverDay + rng.int(1...9)
            event(.communityCorrectionStarted, office(reportDay), correction, person: suspect.id)
            if custody {
                let releasedAt = office(handoverDay, after: handoverAt)
                event(.released, releasedAt, detentionHouse, person: suspect.id)
                document(.releaseCertificate, releasedAt, detentionHouse, number: nil)
            }
            writeExecution(convict: suspect.id, facility: correction, source: correction, start: effectiveDay,
                end: monthsAfter(effectiveDay, probation) - 1, status: "community_correction")
        } else {
            let remainingDays = endDay - handoverDay
            let facility = detentionSentence || remainingDays <= 92
                ? detentionHouse : ProvinceLayout.agencyCode(ProvinceLayout.provinceCode, .prison, county.cityIndex % 2 + 1)
            let admittedDay = facility == detentionHouse ? handoverDay : handoverDay + rng.int(3...25)
            let admittedAt = office(admittedDay, after: handoverAt)
            event(.admittedToPrison, admittedAt, facility, person: suspect.id)
            let commutations = facility == detentionHouse ? CommutationPlan()
                : planCommutations(term: term, start: startDay, delivered: admittedDay, effective: effectiveDay)
            let parole = facility == detentionHouse || !commutations.steps.isEmpty ? nil
                : planParole(term: term, start: startDay, delivered: admittedDay)
            // A parolee leaves prison the day the ruling is served; a commuted convict when the shortened term ends.
            let servedEnd = parole.map { $0.served - 1 }
                ?? (commutations.steps.isEmpty ? endDay : monthsAfter(startDay, term - commutations.totalCut) - 1)
            let released = servedEnd + 1 <= Self.horizonDay
            // Commutations move the release earlier; the main stream is drawn exactly as without them, so that every
            // later record of the seed stays as it was (a release they bring inside the horizon draws from its own).
            if endDay + 1 <= Self.horizonDay {
                let drawn = office(max(endDay + 1, admittedDay), after: admittedAt)
                let releasedAt = drawn.plus(hours: 24 * (max(servedEnd + 1, admittedDay) - drawn.day), minutes: 0)
                event(.released, releasedAt, facility, person: suspect.id)
                document(.releaseCertificate, releasedAt, facility, number: nil)
            } else if released {
                let main = rng
                rng = SplitMix64(seed: Self.streamSeed(caseID), stream: 0xC0_34)
                let releasedAt = office(servedEnd + 1, after: admittedAt)
                event(.released, releasedAt, facility, person: suspect.id)
                document(.releaseCertificate, releasedAt, facility, number: nil)
                rng = main
            }
            writeExecution(convict: suspect.id, facility: facility, source: facility, start: startDay, end: parole == nil ? servedEnd : endDay,
                status: parole != nil ? "paroled" : released ? "released" : "serving",
                delivered: commutations.steps.isEmpty && parole == nil ? nil : admittedDay, commutations: commutations.steps, parole: parole)
            if let p = commutations.planted ?? parole?.planted { plant(p.violation, events: [], detail: p.detail) }
        }
        // The police, who keep the case record, re-send it with the numbers other agencies assigned.
        caseRecord(type: .criminal, source: police, title: String(suspect.name.prefix(1)) + "某" + String(profile.charge.dropLast()) + "案",
            charges: [profile.charge], cause: nil, accepted: accepted,
            numbers: [(police, policeNumber), (procuratorate, procuratorateNumber), (court, courtNumber)],
            procedure: procedure, flags: flags, version: 2)
    }
}
