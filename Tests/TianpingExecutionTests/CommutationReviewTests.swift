import Testing
import TianpingCore
import TianpingRules
@testable import TianpingExecution

/// The review over a case's execution records: each commutation checked as it was proposed, gaps in the record read in
/// the convict's favour, findings with stable ids against the proposing facility.
@Suite struct CommutationReviewTests {
    let review = CommutationReview(calculator: CommutationCalculator(rules: try! CommutationRules.bundled()))
    let prison = "520000JY01"
    let convict = "C1-P1"

    func t(_ s: String) -> Timestamp { Timestamp(s + "T10:00:00+08:00")! }
    func day(_ s: String) -> CalendarDate { CalendarDate(s)! }

    func timeline(charges: [String] = ["盗窃罪"], term: Int = 96, circumstances: [String] = [], _ commutations: [Commutation],
        categories: [String]? = nil) -> CaseTimeline
    {
        let judgment = Judgment(defendant: convict, caseNumber: "（2020）黔0102刑初1号", instance: 1, court: "520102FY01", decidedAt: t("2020-02-20"),
            charges: charges, principalPenalty: .fixedTermImprisonment, termMonths: term, circumstances: circumstances)
        let events = [
            TimelineEvent(id: "E1", event: CaseEvent(kind: .judgmentEffective, occurredAt: t("2020-03-02"), agency: "520102FY01", person: convict)),
            TimelineEvent(id: "E2", event: CaseEvent(kind: .admittedToPrison, occurredAt: t("2020-03-10"), agency: prison, person: convict)),
        ]
        let x = ExecutionRecord(convict: convict, facility: prison, termStart: day("2020-01-01"), termEnd: nil, commutations: commutations,
            categories: categories)
        return CaseTimeline(caseID: "C1", caseRecord: nil, events: events, judgments: [judgment], executions: [x])
    }

    func cut(_ ruled: String, proposed: String? = nil, served: String? = nil, months: Int = 6, grounds: CommutationGrounds? = .repentance) -> Commutation {
        Commutation(ruledAt: t(ruled), rulingNumber: "（\(ruled.prefix(4))）黔01刑更\(ruled.suffix(2))号", reductionMonths: months,
            proposedOn: proposed.map(day), servedOn: served.map(day), grounds: grounds)
    }

    @Test func eachCommutationIsCheckedAsItWasProposed() {
        // Delivered 2020-03-10 (the admission): 8 years, first proposal from 2021-09-10 (Art. 6).
        let lawful = cut("2021-10-20", proposed: "2021-09-15", served: "2021-10-25")
        let early = cut("2022-05-10", proposed: "2022-04-01", served: "2022-05-12", months: 10)
        let findings = review.findings(in: timeline([lawful, early]), asOf: t("2026-01-01"))
        #expect(Set(findings.map(\.ruleID)) == ["CP-INTERVAL", "CP-CAP"])
        #expect(findings.allSatisfy { $0.agency == prison && $0.person == convict && $0.grade == .a && !$0.citation.isEmpty })
        #expect(findings.allSatisfy { $0.explanation.contains("（2022）黔01刑更10号") })
        // Stable ids: the same data gives the same findings.
        #expect(review.findings(in: timeline([lawful, early]), asOf: t("2026-01-01")).map(\.id) == findings.map(\.id))
        // Nothing ruled after the moment evaluated.
        #expect(review.findings(in: timeline([lawful, early]), asOf: t("2022-01-01")).isEmpty)
        #expect(review.findings(in: timeline([lawful]), asOf: t("2026-01-01")).isEmpty)
    }

    @Test func oneFindingPerRuleAndRuling() {
        // A minor's commutation early and large, both inside the relaxed limits (Art. 19): one lead with both reasons.
        let relaxed = cut("2021-05-20", proposed: "2021-04-15", served: "2021-05-25", months: 12)
        let findings = review.findings(in: timeline([relaxed], categories: ["minor"]), asOf: t("2026-01-01"))
        #expect(findings.map(\.ruleID) == ["CP-REASONS"] && findings[0].kind == .signal)
        #expect(findings[0].explanation.contains("起始时间") && findings[0].explanation.contains("从宽上限"))
    }

    @Test func gapsInTheRecordAreReadInTheConvictsFavour() {
        // No report date: the ruling's date stands in; ruled 2021-09-20, after the earliest report day — no finding.
        #expect(review.findings(in: timeline([cut("2021-09-20")]), asOf: t("2026-01-01")).isEmpty)
        // Ruled before the earliest report day: early whatever the report date was.
        let early = review.findings(in: timeline([cut("2021-05-20")]), asOf: t("2026-01-01"))
        #expect(early.map(\.ruleID) == ["CP-START"])
        #expect(early.first?.explanation.contains("记录未载明报请日") == true)
        // No grounds: the grounds with the largest cut, which frees start and interval — only a cut over two years is flagged.
        #expect(review.findings(in: timeline([cut("2021-05-20", months: 20, grounds: nil)]), asOf: t("2026-01-01")).isEmpty)
    }

    @Test func categoriesFromTheJudgment() {
        let c = cut("2022-01-20", proposed: "2022-01-05", served: "2022-01-25")
        // A recidivist (the judgment's circumstance) is listed: first commutation after two years (Art. 7).
        #expect(review.findings(in: timeline(circumstances: ["累犯"], [c]), asOf: t("2026-01-01")).map(\.ruleID) == ["CP-START"])
        // Robbery alone with twelve years is a violent crime sentenced to ten years or more; with a second charge its own
        // sentence is unknown, and nothing is assumed; under ten years it cannot be.
        let rules = review.calculator.rules
        #expect(rules.categories(charges: ["抢劫罪"], circumstances: [], termMonths: 144, life: false) == ["violentCrime"])
        #expect(rules.categories(charges: ["抢劫罪", "盗窃罪"], circumstances: [], termMonths: 144, life: false).isEmpty)
        #expect(rules.categories(charges: ["抢劫罪"], circumstances: [], termMonths: 100, life: false).isEmpty)
        #expect(rules.categories(charges: ["集资诈骗罪"], circumstances: ["累犯"], termMonths: 60, life: false) == ["financialCrime", "recidivist"])
        // The facility's own categories count too.
        #expect(review.findings(in: timeline([c], categories: ["financialCrime"]), asOf: t("2026-01-01")).map(\.ruleID) == ["CP-START"])
    }

    func paroled(_ ruled: String, commutations: [Commutation] = [], categories: [String]? = nil) -> CaseTimeline {
        let t = timeline(commutations, categories: categories)
        var x = t.executions[0]
        x.parole = ParoleGrant(ruledAt: self.t(ruled), rulingNumber: "（\(ruled.prefix(4))）黔01刑更2号", proposedOn: nil, servedOn: nil)
        return CaseTimeline(caseID: t.caseID, caseRecord: nil, events: t.events, judgments: t.judgments, executions: [x])
    }

    @Test func parolesAreChecked() {
        // 8 years from 2020-01-01 (2,922 days): half served on 2023-12-31, parole from 2024-01-01 (刑法 81, Art. 23(1)).
        #expect(review.findings(in: paroled("2024-01-01"), asOf: t("2026-01-01")).isEmpty)
        #expect(review.findings(in: paroled("2023-12-29"), asOf: t("2026-01-01")).map(\.ruleID) == ["CP-PAROLE-EARLY"])
        // A recidivist by the record: never (刑法 81(2)).
        let barred = review.findings(in: paroled("2025-01-01", categories: ["recidivist"]), asOf: t("2026-01-01"))
        #expect(barred.map(\.ruleID) == ["CP-PAROLE-BARRED"] && barred.first?.severity == .critical)
        // A year after a commutation of 9 months (Art. 28): too soon with years left; after it, lawful.
        let commuted = [cut("2023-06-20", proposed: "2023-06-01", served: "2023-06-25", months: 9)]
        #expect(review.findings(in: paroled("2024-03-01", commutations: commuted), asOf: t("2026-01-01")).map(\.ruleID) == ["CP-PAROLE-INTERVAL"])
        #expect(review.findings(in: paroled("2024-06-25", commutations: commuted), asOf: t("2026-01-01")).isEmpty)
        // Not yet ruled at the moment evaluated: nothing.
        #expect(review.findings(in: paroled("2023-12-29"), asOf: t("2023-12-01")).isEmpty)
    }

    @Test func mendsFromTheCodeReview() {
        // 终身监禁 rides on a reprieve: any commutation or parole is a breach whatever its dates (Art. 15).
        var x = ExecutionRecord(convict: convict, facility: prison, termStart: day("2016-01-01"), termEnd: nil,
            commutations: [cut("2022-05-10")], categories: ["lifetimeImprisonment"])
        x.parole = ParoleGrant(ruledAt: t("2025-05-10"), rulingNumber: "（2025）黔01刑更9号")
        let reprieve = Judgment(defendant: convict, caseNumber: "（2015）黔01刑初1号", instance: 1, court: "520100FY01", decidedAt: t("2015-12-01"),
            charges: ["受贿罪"], principalPenalty: .deathWithReprieve)
        let lifetime = review.findings(in: CaseTimeline(caseID: "C1", caseRecord: nil, events: [], judgments: [reprieve], executions: [x]),
            asOf: t("2026-01-01"))
        #expect(lifetime.map(\.ruleID) == ["CP-LIFETIME", "CP-PAROLE-BARRED"])
        // What the calculator cannot read (a ruling after the term ran out) is a lead to check the data, not silence.
        let late = review.findings(in: timeline(term: 12, [cut("2021-05-20")]), asOf: t("2026-01-01"))
        #expect(late.map(\.ruleID) == ["CP-UNREADABLE"])
        // Two records of one convict (a transfer) repeating a history give each finding once.
        let one = timeline([cut("2021-05-20")])
        let twice = CaseTimeline(caseID: "C1", caseRecord: nil, events: one.events, judgments: one.judgments, executions: one.executions + one.executions)
        let findings = review.findings(in: twice, asOf: t("2026-01-01"))
        #expect(findings.map(\.ruleID) == ["CP-START"])
        #expect(Set(findings.map(\.id)).count == findings.count)
        // A parole before SPC-2016 took effect is not checked against it.
        let old = timeline([])
        var early = old.executions[0]
        early.parole = ParoleGrant(ruledAt: t("2016-06-01"), rulingNumber: "（2016）黔01刑更1号")
        #expect(review.findings(in: CaseTimeline(caseID: "C1", caseRecord: nil, events: old.events, judgments: old.judgments, executions: [early]),
            asOf: t("2026-01-01")).isEmpty)
    }

    @Test func theReviewsRulesAreCatalogued() {
        #expect(review.rules.count == 12)
        #expect(Set(review.rules.map(\.family.id)) == ["commutation"])
        #expect(review.rules.filter { $0.kind == .violation }.allSatisfy { $0.grade == .a && !$0.citation.isEmpty })
    }
}
