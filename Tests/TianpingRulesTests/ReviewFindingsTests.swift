import TianpingCore
import TianpingRules
import Testing

/// Findings an independent legal check showed a supervisor would reject, or signals it showed were silenced
/// (issue 14, items 1–4). Each test failed before its fix.
@Suite("Approvals, stage ends and custody against the sentence")
struct ReviewFindingsTests {
    let engine = try! makeEngine()
    let farFuture = TimelineBuilder.time("2026-12-01 09:00")

    @Test("an extension's level is the approving agency's own: a county procuratorate labelled 'city' silences neither I1 nor I2")
    func approverLevelFromAgency() {
        var b = TimelineBuilder()
        b.event(.arrested, "2024-01-31 10:00")
        b.event(.custodyExtended, "2024-03-25 10:00", agency: TimelineBuilder.procuratorate,
            EventAttributes(approverLevel: .city, extensionMonths: 1, legalGround: "CPL156"))
        b.event(.transferredForProsecution, "2024-04-30 10:00")
        let result = engine.evaluate(b.build(), asOf: farFuture)
        #expect(result.findings("I1").first?.lateness == Lateness(amount: 30, unit: .days))
        #expect(result.findings("I1").first?.explanation.contains("记录未注明批准机关（报送机关为520102JC01）") == true)
        let i2 = result.findings("I2")
        #expect(i2.count == 1)
        #expect(i2.first?.explanation.contains("实际由县级人民检察院（520102JC01）批准") == true)
        #expect(i2.first?.explanation.contains("记录未注明批准机关") == true)
    }

    /// T3 with a first-instance court accepting on 2024-03-01 (limit 3 months → 2024-06-01) and a verdict on `verdict`.
    func t3(verdict: String, _ extensions: (inout TimelineBuilder) -> Void) -> [Finding] {
        var b = TimelineBuilder(procedure: .ordinary)
        b.event(.arrested, "2024-01-02 10:00")
        b.event(.courtAccepted, "2024-03-01 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
        extensions(&b)
        b.event(.verdictPronounced, verdict, agency: TimelineBuilder.court)
        return engine.evaluate(b.build(), asOf: farFuture).findings("T3")
    }

    @Test("an SPC extension counts only when the Supreme People's Court is the approver; the finding says why it did not")
    func supremeCourtApprover() {
        let unnamed = t3(verdict: "2024-08-20 10:00") { b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(extensionMonths: 3, legalGround: "SPC"))
        }
        #expect(unnamed.count == 1, "the trial court's own record cannot stand for the SPC's approval")
        #expect(unnamed.first?.explanation.contains("应由最高人民法院批准，记录未注明批准机关（报送机关为520102FY01）") == true)
        let wrongApprover = t3(verdict: "2024-08-20 10:00") { b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: TimelineBuilder.cityCourt, extensionMonths: 3, legalGround: "SPC"))
        }
        #expect(wrongApprover.first?.explanation.contains("应由最高人民法院批准，批准机关520100FY01") == true)
        let approved = t3(verdict: "2024-08-20 10:00") { b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: Agency.supremePeoplesCourt, extensionMonths: 3, legalGround: "SPC"))
        }
        #expect(approved.isEmpty)
    }

    @Test("SPC extensions are 1–3 months each and renewable; the higher court's is allowed once")
    func repeats() {
        // Two SPC approvals of 3 months each, each within the limit then in force: 2024-06-01 → 09-01 → 12-01.
        let renewed = t3(verdict: "2024-11-20 10:00") { b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: Agency.supremePeoplesCourt, extensionMonths: 3, legalGround: "SPC"))
            b.event(.trialPeriodExtended, "2024-08-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: Agency.supremePeoplesCourt, extensionMonths: 3, legalGround: "SPC"))
        }
        #expect(renewed.isEmpty)
        // Six months asked of the SPC in one approval: only three count.
        let capped = t3(verdict: "2024-11-20 10:00") { b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: Agency.supremePeoplesCourt, extensionMonths: 6, legalGround: "SPC"))
        }
        #expect(capped.count == 1)
        // The court one level up approves once: a second approval of its own is not counted, and the finding says so.
        let twice = t3(verdict: "2024-11-20 10:00") { b in
            b.event(.trialPeriodExtended, "2024-05-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: TimelineBuilder.cityCourt, extensionMonths: 3))
            b.event(.trialPeriodExtended, "2024-08-25 10:00", agency: TimelineBuilder.court,
                EventAttributes(approverAgency: TimelineBuilder.cityCourt, extensionMonths: 3))
        }
        #expect(twice.count == 1)
        #expect(twice.first?.explanation.contains("以1次为限，已用1次") == true)
    }

    @Test("an arrest without a recorded decision stops M7 and M8 at the arrest; lateness is measured to it, not to now")
    func arrestEndsTheArrestReview() {
        var b = TimelineBuilder()
        b.event(.detained, "2024-01-02 10:00", EventAttributes(inCustody: true))
        b.event(.arrestRequested, "2024-01-05 10:00")
        b.event(.arrested, "2024-01-20 10:00")
        let result = engine.evaluate(b.build(), asOf: farFuture)
        for rule in ["M7", "M8"] {
            let f = result.findings(rule)
            #expect(f.count == 1, "\(rule)")
            #expect(f.first?.ongoing == false, "\(rule) is not 'still running' years later")
            #expect(f.first?.explanation.contains("至逮捕（2024年1月20日）仍未作出是否批准逮捕的决定") == true, "\(rule)")
            #expect(result.clocks(rule).isEmpty, "\(rule)")
        }
        // M7: requested 5 January, 7 days in custody → last day 12 January; the arrest came 8 days later.
        #expect(result.findings("M7").first?.lateness == Lateness(amount: 8, unit: .days))
        // The missing approval itself is CPL80's finding.
        #expect(result.findings("CPL80").count == 1)
    }

    @Test("a concluded case has no running clock: a judgment of 2021 and a release in 2023 are not '计时中' in 2026")
    func concludedCaseHasNoRunningClocks() {
        var b = TimelineBuilder()
        b.event(.detained, "2021-01-04 10:00", EventAttributes(inCustody: true))
        b.event(.deliveredToDetentionHouse, "2021-01-04 18:00")
        b.event(.familyNotified, "2021-01-04 20:00")
        b.event(.interrogated, "2021-01-05 09:00")
        b.event(.arrestRequested, "2021-01-06 10:00")
        b.event(.arrestApproved, "2021-01-10 10:00", agency: TimelineBuilder.procuratorate)
        b.event(.arrested, "2021-01-10 16:00")
        b.event(.transferredForProsecution, "2021-03-01 10:00", person: nil)
        b.event(.indicted, "2021-03-25 10:00", agency: TimelineBuilder.procuratorate, person: nil)
        b.event(.courtAccepted, "2021-03-26 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
        b.event(.verdictPronounced, "2021-05-20 10:00", agency: TimelineBuilder.court)
        b.judgment("2021-05-20 10:00", penalty: .fixedTermImprisonment, months: 30)
        // No service of the judgment recorded (T10), no hand-over for execution recorded (E1) …
        b.event(.judgmentEffective, "2021-06-01 09:00", agency: TimelineBuilder.court)
        // … and the person was released in 2023.
        b.event(.released, "2023-07-03 10:00", agency: "520102JY01")
        let result = engine.evaluate(b.build(), asOf: farFuture)
        #expect(result.clocks.isEmpty, "running: \(result.clocks.map(\.ruleID))")
        #expect(result.findings.allSatisfy { !$0.ongoing }, "ongoing: \(result.findings.filter(\.ongoing).map(\.ruleID))")
        // The missing service is a finding measured to the judgment's taking effect, not to 2026.
        let t10 = result.findings("T10")
        #expect(t10.count == 1)
        #expect(t10.first?.explanation.contains("至裁判生效（2021年6月1日）仍未") == true, "\(t10.first?.explanation ?? "")")
        // The missing hand-over is measured to the release.
        #expect(result.findings("E1").first?.explanation.contains("至释放（2023年7月3日）仍未") == true)
    }

    @Test("no probation or other non-custodial sentence raises custody-exceeds-sentence; a short prison term does, from the exact term end")
    func custodyAgainstTheTermImposed() {
        func evaluate(_ penalty: PrincipalPenalty, months: Int?, probation: Int? = nil, verdict: String = "2024-05-01 10:00") -> CaseEvaluation {
            var b = TimelineBuilder()
            b.event(.detained, "2024-01-01 10:00")
            b.event(.arrested, "2024-01-05 10:00")
            b.event(.verdictPronounced, verdict, agency: TimelineBuilder.court)
            b.judgment(verdict, penalty: penalty, months: months, probation: probation)
            return engine.evaluate(b.build(), asOf: farFuture)
        }
        for (penalty, months, probation) in [(PrincipalPenalty.fixedTermImprisonment, 12, 24), (.criminalDetention, 3, 6)] {
            let result = evaluate(penalty, months: months, probation: probation)
            #expect(result.findings("S-CUSTODY-EXCEEDS-SENTENCE").isEmpty, "\(penalty) with probation")
            #expect(result.findings("S-ARREST-NON-CUSTODIAL").count == 1, "probation after arrest is that signal's")
        }
        for penalty in [PrincipalPenalty.fineOnly, .exemptFromPunishment, .acquitted] {
            #expect(evaluate(penalty, months: nil).findings("S-CUSTODY-EXCEEDS-SENTENCE").isEmpty, "\(penalty)")
        }
        // 管制: one day of custody for two (刑法 41). Six months from 1 January are 182 days: 91 days of custody do
        // not exceed them, 92 do.
        #expect(evaluate(.publicSurveillance, months: 6, verdict: "2024-03-31 10:00").findings("S-CUSTODY-EXCEEDS-SENTENCE").isEmpty)
        #expect(evaluate(.publicSurveillance, months: 6, verdict: "2024-04-01 10:00").findings("S-CUSTODY-EXCEEDS-SENTENCE").count == 1)
        // Four months from 1 January end on 30 April: a verdict that day does not exceed, one on 1 May does.
        #expect(evaluate(.fixedTermImprisonment, months: 4, verdict: "2024-04-30 10:00").findings("S-CUSTODY-EXCEEDS-SENTENCE").isEmpty)
        let exceeded = evaluate(.fixedTermImprisonment, months: 4, verdict: "2024-05-01 10:00").findings("S-CUSTODY-EXCEEDS-SENTENCE")
        #expect(exceeded.count == 1)
        #expect(exceeded.first?.explanation.contains("应于2024年4月30日届满") == true)
    }

    @Test("a term ends the day before the same date N months later (SPC-Interp 202(2)), not by the procedural month-end rule")
    func sentenceEnds() {
        func end(_ y: Int, _ m: Int, _ d: Int, months: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d)!.sentenceEnd(months: months) }
        #expect(end(2024, 1, 1, months: 4) == CalendarDate(year: 2024, month: 4, day: 30))
        #expect(end(2024, 4, 30, months: 1) == CalendarDate(year: 2024, month: 5, day: 29), "not 30 May, as 202(1)'s month-end rule gives")
        #expect(end(2024, 2, 29, months: 12) == CalendarDate(year: 2025, month: 2, day: 28))
        #expect(end(2024, 1, 31, months: 1) == CalendarDate(year: 2024, month: 2, day: 29), "no 31 February: the month's last day")
    }

    @Test("a release frees the person but concludes nothing before execution: service of a judgment is still owed")
    func releaseIsNotAConclusion() {
        var b = TimelineBuilder()
        b.event(.detained, "2024-01-02 10:00", EventAttributes(inCustody: true))
        b.event(.courtAccepted, "2024-03-01 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
        b.event(.verdictPronounced, "2024-05-20 10:00", agency: TimelineBuilder.court)
        b.judgment("2024-05-20 10:00", penalty: .acquitted, months: nil)
        b.event(.released, "2024-05-20 15:00", agency: TimelineBuilder.detentionHouse)
        let t10 = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-06-30 09:00")).findings("T10")
        #expect(t10.count == 1, "the acquitted defendant's judgment was never served")
        #expect(t10.first?.ongoing == true)
    }

    @Test("an arrest the court orders during the trial keeps its 24-hour clocks through the trial's next steps")
    func clockStageIsTheCases() {
        var b = TimelineBuilder()
        b.event(.courtAccepted, "2024-03-01 10:00", agency: TimelineBuilder.court, EventAttributes(procedure: .ordinary))
        b.event(.arrested, "2024-03-10 10:00", agency: TimelineBuilder.court)
        b.event(.hearingHeld, "2024-03-10 12:00", agency: TimelineBuilder.court)
        let result = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-03-20 09:00"))
        #expect(result.findings("M12a").count == 1, "no family notice within 24 hours; the hearing two hours later does not excuse it")
    }

    @Test("a clock of no person is not ended by one co-defendant's conclusion")
    func coDefendants() {
        var b = TimelineBuilder()
        b.event(.courtAccepted, "2024-03-01 10:00", agency: TimelineBuilder.court, person: nil, EventAttributes(procedure: .ordinary))
        b.event(.notProsecuted, "2024-03-05 10:00", agency: TimelineBuilder.procuratorate, person: "P2")
        let result = engine.evaluate(b.build(), asOf: TimelineBuilder.time("2024-07-01 09:00"))
        let t3 = result.findings("T3")
        #expect(t3.count == 1 && t3.first?.ongoing == true, "the trial of the others is still running, and late")
    }
}
