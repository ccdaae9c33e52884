import Testing
import TianpingCore
import TianpingRules

@Suite("Deadline rules at their boundaries")
struct DeadlineRuleTests {
    let engine = try! makeEngine()

    /// Detained Monday 2024-03-04 10:00 (in custody, so no holiday extension): request by Thursday 03-07.
    func arrestRequest(on day: String) -> CaseEvaluation {
        var b = TimelineBuilder()
        b.event(.detained, "2024-03-04 10:00", TianpingCore.EventAttributes(inCustody: true))
        b.event(.arrestRequested, day)
        return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-20 09:00"))
    }

    @Test("M6: the day before and the day of the limit are in time; the day after is one day late")
    func arrestRequestBoundaries() throws {
        #expect(arrestRequest(on: "2024-03-06 16:00").findings("M6").isEmpty)
        #expect(arrestRequest(on: "2024-03-07 23:00").findings("M6").isEmpty)
        let late = try #require(arrestRequest(on: "2024-03-08 09:00").findings("M6").first)
        #expect(late.lateness == Lateness(amount: 1, unit: .days))
        #expect(late.agency == TimelineBuilder.police)
        #expect(late.events == ["E1", "E2"])
        #expect(late.explanation.hasPrefix("依据《刑事诉讼法》第九十一条第一款、第二款；《公安机关办理刑事案件程序规定》第一百二十九条，拘留（2024年3月4日）后应于2024年3月7日前提请批准逮捕"))
        #expect(late.explanation.contains("实际于2024年3月8日提请批准逮捕，超期1日"))
    }

    @Test("M6: an extension approved in time by the county police counts; one approved after expiry does not")
    func arrestRequestExtension() {
        func evaluate(extendedOn: String) -> [Finding] {
            var b = TimelineBuilder()
            b.event(.detained, "2024-03-04 10:00", EventAttributes(inCustody: true))
            b.event(.arrestRequestDeadlineExtended, extendedOn, EventAttributes(approverLevel: .county, approverAgency: TimelineBuilder.police, extensionDays: 4))
            b.event(.arrestRequested, "2024-03-10 10:00")
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-20 09:00")).findings("M6")
        }
        #expect(evaluate(extendedOn: "2024-03-06 10:00").isEmpty)
        let refused = evaluate(extendedOn: "2024-03-08 10:00")
        #expect(refused.count == 1)
        #expect(refused.first?.explanation.contains("未计入") == true)
    }

    @Test("M4: hours are counted instant to instant; a recorded lawful reason excuses a late notice")
    func familyNoticeHours() throws {
        func evaluate(_ notice: String, _ attributes: EventAttributes = EventAttributes()) -> [Finding] {
            var b = TimelineBuilder()
            b.event(.detained, "2024-03-04 22:30")
            b.event(.familyNotified, notice, attributes)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-10 09:00")).findings("M4")
        }
        #expect(evaluate("2024-03-05 22:30").isEmpty)
        let late = try #require(evaluate("2024-03-05 22:31").first)
        #expect(late.lateness == Lateness(amount: 1, unit: .hours))
        #expect(late.explanation.contains("应于2024年3月5日22时30分前通知家属"))
        #expect(evaluate("2024-03-07 10:00", EventAttributes(legalGround: "cannot_notify")).isEmpty)
    }

    @Test("P1: on bail a last day on National Day moves to 8 October; in custody it does not (CPL 105(4))")
    func holidayAndCustody() throws {
        func evaluate(custody: Bool, indicted: String) -> [Finding] {
            var b = TimelineBuilder()
            if custody {
                b.event(.detained, "2024-07-20 10:00")
                b.event(.arrested, "2024-07-25 10:00")
            } else {
                b.event(.bailGranted, "2024-08-01 10:00")
            }
            b.event(.transferredForProsecution, "2024-09-01 10:00")
            b.event(.indicted, indicted, agency: TimelineBuilder.procuratorate)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-12-01 09:00")).findings("P1")
        }
        #expect(evaluate(custody: false, indicted: "2024-10-08 16:00").isEmpty)
        #expect(evaluate(custody: false, indicted: "2024-10-09 10:00").first?.lateness == Lateness(amount: 1, unit: .days))
        let held = try #require(evaluate(custody: true, indicted: "2024-10-08 16:00").first)
        #expect(held.lateness == Lateness(amount: 7, unit: .days))
        #expect(held.explanation.contains("在押"))
        #expect(held.agency == TimelineBuilder.procuratorate)
    }

    @Test("P1 restarts after a return for supplementary investigation; P4-time limits the return to one month")
    func restartAfterReturn() {
        func evaluate(resubmitted: String, indicted: String) -> CaseEvaluation {
            var b = TimelineBuilder()
            b.event(.bailGranted, "2024-02-20 10:00")
            b.event(.transferredForProsecution, "2024-03-01 10:00")
            b.event(.returnedForSupplementaryInvestigation, "2024-03-20 10:00", agency: TimelineBuilder.procuratorate)
            b.event(.resubmitted, resubmitted)
            b.event(.indicted, indicted, agency: TimelineBuilder.procuratorate)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-12-01 09:00"))
        }
        let inTime = evaluate(resubmitted: "2024-04-15 10:00", indicted: "2024-05-10 10:00")
        #expect(inTime.findings("P1").isEmpty)
        #expect(inTime.findings("P4-time").isEmpty)
        let lateReturn = evaluate(resubmitted: "2024-04-25 10:00", indicted: "2024-05-10 10:00")
        // One month from 03-20 ends Saturday 04-20; on bail it moves to Monday 04-22, so 04-25 is 3 days late.
        #expect(lateReturn.findings("P4-time").first?.lateness == Lateness(amount: 3, unit: .days))
        #expect(lateReturn.findings("P1").isEmpty)
        // Counted from the resubmission (2024-04-15 → 2024-05-15), not from the first transfer.
        let lateReview = evaluate(resubmitted: "2024-04-15 10:00", indicted: "2024-05-17 10:00")
        #expect(lateReview.findings("P1").map(\.lateness) == [Lateness(amount: 2, unit: .days)])
        #expect(lateReview.findings("P1").first?.events.first == "E4")
    }

    @Test("T3 restarts when a remanded case is accepted again; T15 ends with the remand")
    func restartAfterRemand() {
        func evaluate(retrialVerdict: String) -> CaseEvaluation {
            var b = TimelineBuilder(procedure: .ordinary)
            b.event(.courtAccepted, "2024-01-10 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
            b.event(.verdictPronounced, "2024-03-01 10:00", agency: TimelineBuilder.court)
            b.event(.appealed, "2024-03-05 10:00", agency: TimelineBuilder.court)
            b.event(.appealForwarded, "2024-03-06 10:00", agency: TimelineBuilder.court)
            b.event(.secondInstanceAccepted, "2024-03-10 10:00", agency: TimelineBuilder.cityCourt)
            b.event(.remanded, "2024-04-15 10:00", agency: TimelineBuilder.cityCourt)
            b.event(.courtAccepted, "2024-04-20 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
            b.event(.verdictPronounced, retrialVerdict, agency: TimelineBuilder.court)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-12-01 09:00"))
        }
        let inTime = evaluate(retrialVerdict: "2024-07-19 10:00")
        #expect(inTime.findings("T3").isEmpty)
        #expect(inTime.findings("T15").isEmpty)
        // 2024-07-20 (three months after 04-20) is a Saturday: not in custody, so the limit ends Monday 07-22.
        #expect(evaluate(retrialVerdict: "2024-07-22 10:00").findings("T3").isEmpty)
        let late = evaluate(retrialVerdict: "2024-07-23 10:00").findings("T3")
        #expect(late.map(\.lateness) == [Lateness(amount: 1, unit: .days)])
        #expect(late.first?.events.first == "E7")
    }

    @Test("I1: month ends, an extension by the procuratorate one level up, and excluded assessment time")
    func investigationCustody() {
        func evaluate(_ extra: (inout TimelineBuilder) -> Void, transfer: String) -> CaseEvaluation {
            var b = TimelineBuilder()
            b.event(.arrested, "2024-01-31 10:00")
            extra(&b)
            b.event(.transferredForProsecution, transfer)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-12-01 09:00"))
        }
        #expect(evaluate({ _ in }, transfer: "2024-03-31 10:00").findings("I1").isEmpty)
        #expect(evaluate({ _ in }, transfer: "2024-04-01 10:00").findings("I1").first?.lateness == Lateness(amount: 1, unit: .days))
        let cityExtension = evaluate({ b in
            b.event(.custodyExtended, "2024-03-25 10:00", agency: TimelineBuilder.cityProcuratorate,
                EventAttributes(approverLevel: .city, approverAgency: TimelineBuilder.cityProcuratorate, extensionMonths: 1, legalGround: "CPL156"))
        }, transfer: "2024-04-30 10:00")
        #expect(cityExtension.findings("I1").isEmpty)
        #expect(cityExtension.findings("I2").isEmpty)
        let sameLevel = evaluate({ b in
            b.event(.custodyExtended, "2024-03-25 10:00", agency: TimelineBuilder.procuratorate,
                EventAttributes(approverLevel: .county, approverAgency: TimelineBuilder.procuratorate, extensionMonths: 1, legalGround: "CPL156"))
        }, transfer: "2024-04-30 10:00")
        #expect(sameLevel.findings("I1").first?.lateness == Lateness(amount: 30, unit: .days))
        #expect(sameLevel.findings("I2").first?.explanation.contains("应由上一级人民检察院批准，实际由县级人民检察院") == true)
        let assessed = evaluate({ b in
            b.event(.assessmentStarted, "2024-02-10 10:00")
            b.event(.assessmentEnded, "2024-02-20 10:00")
        }, transfer: "2024-04-10 10:00")
        #expect(assessed.findings("I1").isEmpty)
    }

    @Test("civil summary procedure: three months from filing, always extended past a holiday (CivPL 85)")
    func civilSummary() {
        func evaluate(_ verdict: String) -> [Finding] {
            var b = TimelineBuilder(.civil, procedure: .summary)
            b.event(.courtAccepted, "2024-01-10 10:00", agency: TimelineBuilder.court, person: nil, EventAttributes(procedure: .summary))
            b.event(.verdictPronounced, verdict, agency: TimelineBuilder.court, person: nil)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-12-01 09:00")).findings("V3")
        }
        #expect(evaluate("2024-04-10 10:00").isEmpty)
        #expect(evaluate("2024-04-11 10:00").first?.lateness == Lateness(amount: 1, unit: .days))
    }
}

@Suite("Execution and trial exclusions")
struct ExecutionRuleTests {
    let engine = try! makeEngine()

    /// Hand-over on 2024-06-10, never admitted to prison: does E2 (one month) apply?
    func e2(penalty: PrincipalPenalty, months: Int, detained: String?) -> [RunningClock] {
        var b = TimelineBuilder()
        if let detained { b.event(.detained, detained) }
        b.event(.verdictPronounced, "2024-05-20 10:00", agency: TimelineBuilder.court)
        b.judgment("2024-05-20 10:00", penalty: penalty, months: months)
        b.event(.judgmentEffective, "2024-06-01 09:00", agency: TimelineBuilder.court)
        b.event(.handedOverForExecution, "2024-06-10 10:00", agency: TimelineBuilder.court)
        return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-06-15 12:00")).clocks("E2")
    }

    @Test("E2 applies to prison sentences with more than three months left, not to 拘役 or a short remainder (CPL 264(2))")
    func deliveryToPrison() {
        #expect(e2(penalty: .fixedTermImprisonment, months: 24, detained: "2024-01-10 10:00").count == 1)
        #expect(e2(penalty: .criminalDetention, months: 5, detained: nil).isEmpty)
        // 6 months from 2024-01-10 ends 2024-07-09: less than three months after the hand-over.
        #expect(e2(penalty: .fixedTermImprisonment, months: 6, detained: "2024-01-10 10:00").isEmpty)
        #expect(e2(penalty: .fixedTermImprisonment, months: 12, detained: nil).count == 1)
    }

    @Test("T3 does not count psychiatric assessment time, and accepts an SPC extension marked in legalGround")
    func trialExclusions() {
        func evaluate(_ extra: (inout TimelineBuilder) -> Void, verdict: String) -> [Finding] {
            var b = TimelineBuilder(procedure: .ordinary)
            b.event(.arrested, "2024-01-02 10:00")
            b.event(.courtAccepted, "2024-03-01 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
            extra(&b)
            b.event(.verdictPronounced, verdict, agency: TimelineBuilder.court)
            return engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-12-31 09:00")).findings("T3")
        }
        #expect(evaluate({ _ in }, verdict: "2024-06-05 10:00").count == 1)
        #expect(evaluate({ b in
            b.event(.assessmentStarted, "2024-04-01 10:00", agency: TimelineBuilder.court)
            b.event(.assessmentEnded, "2024-04-20 10:00", agency: TimelineBuilder.court)
        }, verdict: "2024-06-05 10:00").isEmpty)
        #expect(evaluate({ b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.cityCourt,
                EventAttributes(approverLevel: .city, approverAgency: TimelineBuilder.cityCourt, extensionMonths: 3))
            b.event(.trialPeriodExtended, "2024-08-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: Agency.supremePeoplesCourt, extensionMonths: 2, legalGround: "SPC"))
        }, verdict: "2024-10-20 10:00").isEmpty)
    }
}

@Suite("Precedence, count, document, approval and signal rules")
struct CheckRuleTests {
    let engine = try! makeEngine()
    let asOf = TimelineBuilder.time("2024-12-01 09:00")

    @Test("CPL80: an arrest needs an earlier approval; one dated after the arrest does not cure it")
    func arrestNeedsApproval() {
        func evaluate(approval: String?) -> [Finding] {
            var b = TimelineBuilder()
            b.event(.arrestRequested, "2024-03-01 10:00")
            if let approval { b.event(.arrestApproved, approval, agency: TimelineBuilder.procuratorate) }
            b.event(.arrested, "2024-03-05 10:00")
            return engine.evaluate(b.build(), asOf: asOf).findings("CPL80")
        }
        #expect(evaluate(approval: "2024-03-04 10:00").isEmpty)
        #expect(evaluate(approval: nil).count == 1)
        #expect(evaluate(approval: "2024-03-06 10:00").count == 1)
    }

    @Test("T1: the indictment copy must be served at least ten days before an ordinary-procedure hearing")
    func indictmentLeadTime() {
        func evaluate(served: String) -> [Finding] {
            var b = TimelineBuilder(procedure: .ordinary)
            b.event(.courtAccepted, "2024-03-01 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
            b.event(.indictmentServed, served, agency: TimelineBuilder.court)
            b.event(.hearingHeld, "2024-03-20 10:00", agency: TimelineBuilder.court)
            return engine.evaluate(b.build(), asOf: asOf).findings("T1")
        }
        #expect(evaluate(served: "2024-03-10 10:00").isEmpty)
        #expect(evaluate(served: "2024-03-11 10:00").count == 1)
    }

    @Test("P4: supplementary investigation at most twice")
    func returnCount() {
        func evaluate(returns: Int) -> [Finding] {
            var b = TimelineBuilder()
            b.event(.transferredForProsecution, "2024-03-01 10:00")
            for n in 0..<returns {
                b.event(.returnedForSupplementaryInvestigation, "2024-0\(3 + n)-10 10:00", agency: TimelineBuilder.procuratorate)
                b.event(.resubmitted, "2024-0\(3 + n)-25 10:00")
            }
            return engine.evaluate(b.build(), asOf: asOf).findings("P4")
        }
        #expect(evaluate(returns: 2).isEmpty)
        let third = evaluate(returns: 3)
        #expect(third.count == 1)
        #expect(third.first?.explanation.contains("以2次为限") == true)
        #expect(third.first?.events.count == 3)
    }

    @Test("M2: a detention needs its warrant at execution, not hours later")
    func detentionWarrant() {
        func evaluate(warrant: String?) -> [Finding] {
            var b = TimelineBuilder()
            b.event(.detained, "2024-03-04 10:00")
            if let warrant { b.document(.detentionWarrant, warrant) }
            return engine.evaluate(b.build(), asOf: asOf).findings("M2")
        }
        #expect(evaluate(warrant: "2024-03-04 09:30").isEmpty)
        #expect(evaluate(warrant: nil).count == 1)
        #expect(evaluate(warrant: "2024-03-04 15:00").count == 1)
        #expect(evaluate(warrant: nil).first?.explanation.contains("《拘留证》") == true)
    }

    @Test("signals: arrested then not prosecuted; custody longer than the sentence")
    func signals() {
        var b = TimelineBuilder()
        b.event(.detained, "2024-01-01 10:00")
        b.event(.arrested, "2024-01-05 10:00")
        b.event(.notProsecuted, "2024-04-01 10:00", agency: TimelineBuilder.procuratorate)
        #expect(engine.evaluate(b.build(), asOf: asOf).findings("S-ARREST-NOT-PROSECUTED").count == 1)

        var c = TimelineBuilder()
        c.event(.detained, "2024-01-01 10:00")
        c.event(.verdictPronounced, "2024-05-01 10:00", agency: TimelineBuilder.court)
        c.judgment("2024-05-01 10:00", penalty: .criminalDetention, months: 2)
        let found = engine.evaluate(c.build(), asOf: asOf).findings("S-CUSTODY-EXCEEDS-SENTENCE")
        #expect(found.count == 1)
        #expect(found.first?.kind == .signal)
        #expect(found.first?.explanation.contains("羁押122日") == true, "1 January to 1 May, both days in custody")
    }
}

@Suite("Running clocks and finding identity")
struct ClockTests {
    @Test("a running clock turns yellow, orange and red as the deadline nears and passes")
    func statuses() throws {
        let engine = try makeEngine(ClockThresholds(approachingDays: 2, imminentDays: 1, approachingHours: 12, imminentHours: 4))
        var b = TimelineBuilder()
        b.event(.detained, "2024-03-04 10:00", EventAttributes(inCustody: true))
        let timeline = b.build()
        func status(_ rule: String, at time: String) -> ClockStatus? {
            engine.evaluate(timeline, asOf: TimelineBuilder.time(time)).clocks(rule).first?.status
        }
        // M4, 24 hours.
        #expect(status("M4", at: "2024-03-04 20:00") == .normal)
        #expect(status("M4", at: "2024-03-04 23:00") == .approaching)
        #expect(status("M4", at: "2024-03-05 07:00") == .imminent)
        #expect(status("M4", at: "2024-03-05 11:00") == .overdue)
        // M6, last day 2024-03-07.
        #expect(status("M6", at: "2024-03-04 12:00") == .normal)
        #expect(status("M6", at: "2024-03-05 12:00") == .approaching)
        #expect(status("M6", at: "2024-03-06 12:00") == .imminent)
        #expect(status("M6", at: "2024-03-08 12:00") == .overdue)
        let overdue = engine.evaluate(timeline, asOf: TimelineBuilder.time("2024-03-09 12:00"))
        let running = try #require(overdue.findings("M6").first)
        #expect(running.ongoing)
        #expect(running.explanation.contains("截至2024年3月9日仍未提请批准逮捕，已超期2日"))
    }

    @Test("a finding keeps its id when the late act arrives; records after the moment are not read")
    func stableIdentity() throws {
        let engine = try makeEngine()
        var b = TimelineBuilder()
        b.event(.detained, "2024-03-04 10:00", EventAttributes(inCustody: true))
        let before = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-10 12:00")).findings("M6")
        b.event(.arrestRequested, "2024-03-11 10:00")
        let after = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-12 12:00")).findings("M6")
        #expect(before.map(\.id) == after.map(\.id))
        #expect(before.first?.ongoing == true && after.first?.ongoing == false)
        #expect(after.first?.lateness == Lateness(amount: 4, unit: .days))
        let replay = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-10 12:00")).findings("M6")
        #expect(replay.first?.ongoing == true)
        let again = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-12 12:00"))
        #expect(again.findings.map(\.id) == engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-12 12:00")).findings.map(\.id))
    }
}
