import Foundation
import Testing
import TianpingCore
import TianpingRules
@testable import TianpingSentencing

@Suite("Sentencing facts from text")
struct FactReaderTests {
    let reader: SentencingFactReader

    init() throws { reader = SentencingFactReader(graph: try SentencingGraph.bundled()) }

    @Test("amounts, drug quantities with the drug named before or after, injuries, blood alcohol, band phrases and circumstances")
    func reads() throws {
        let graph = reader.graph
        let theft = reader.read("公诉机关指控：被告人窃得现金人民币叁万伍仟元。被告人到案后如实供述，已退赃。", crime: graph.crime(named: "盗窃"))
        #expect(theft.facts.amountYuan == 35_000)
        #expect(theft.circumstances.contains("坦白") && theft.circumstances.contains("退赃退赔"))
        let drugs = reader.read("经审理查明，被告人以200元的价格出售一包0.61克的毒品甲基苯丙胺。民警查获白色晶体净重8克，检出甲基苯丙胺成分，毛重9.2克。",
            crime: graph.crime(named: "贩卖毒品"))
        #expect(drugs.facts.drug == "海洛因、甲基苯丙胺")
        #expect(abs((drugs.facts.drugGrams ?? 0) - 8.61) < 1e-9)
        let totals = reader.read("被告人贩卖毒品海洛因五次共计0.13克。", crime: graph.crime(named: "贩卖毒品"))
        #expect(totals.facts.drugGrams == 0.13)
        #expect(reader.read("致被害人左臂骨折，经鉴定为轻伤一级。", crime: nil).facts.injury == .minor)
        #expect(reader.read("经鉴定构成重伤二级。", crime: nil).facts.injury == .serious)
        #expect(reader.read("被害人损伤程度未达重伤，构成轻伤一级。", crime: nil).facts.injury == .minor)
        // MDMA's name contains 甲基苯丙胺 but it is another drug.
        #expect(reader.read("查获3,4-亚甲二氧基甲基苯丙胺片剂60克。", crime: graph.crime(named: "贩卖毒品")).facts.drugGrams == nil)
        #expect(reader.read("血液中乙醇含量为112.36mg/100ml。", crime: nil).facts.bloodAlcohol == 112.36)
        let crash = graph.crime(named: "交通肇事")
        #expect(reader.read("肇事后驾车逃逸。", crime: crash).facts.cues == ["逃逸"])
        #expect(reader.read("肇事后未逃逸，并报警。", crime: crash).facts.cues.isEmpty)
    }

    @Test("the CAIL2018 term score, and the evaluation over a small set of cases")
    func evaluation() throws {
        #expect(TermScore.score(actualMonths: 12, predictedMonths: 12) == 1.0)
        #expect(TermScore.score(actualMonths: 12, predictedMonths: 16) == 0.8)  // ln 17 − ln 13 = 0.27
        #expect(TermScore.score(actualMonths: 12, predictedMonths: 40) == 0)
        let lines = [
            #"{"id":"a","fact":"公诉机关指控：被告人盗窃现金人民币120000元。","meta":{"accusation":["盗窃"],"term_of_imprisonment":{"death_penalty":false,"life_imprisonment":false,"imprisonment":40}}}"#,
            #"{"id":"b","fact":"被告人故意杀人。","meta":{"accusation":["故意杀人"],"term_of_imprisonment":{"death_penalty":true,"life_imprisonment":false,"imprisonment":0}}}"#,
            #"{"id":"c","fact":"被告人非法买卖制毒物品。","meta":{"accusation":["非法买卖制毒物品"],"term_of_imprisonment":{"death_penalty":false,"life_imprisonment":false,"imprisonment":24}}}"#,
        ]
        let cases = try lines.map { try JSONDecoder().decode(CAILCase.self, from: Data($0.utf8)) }
        let (report, results) = SentencingEvaluation(graph: reader.graph).report(cases)
        #expect(report.overall.cases == 3)
        #expect(report.overall.covered == 2)  // 非法买卖制毒物品罪 is not in the graph
        #expect(report.overall.deathOrLife == 1)
        #expect(results[0].inRange && results[0].score > 0)
        #expect(results[1].predicted != nil && !results[1].inRange)  // estimated as a term; death is never predicted
        #expect(results[2].predicted == nil && results[2].missing == ["非法买卖制毒物品"])
    }
}

@Suite("Sentencing review of stored judgments")
struct ReviewTests {
    let review: SentencingReview

    init() throws { review = SentencingReview(graph: try SentencingGraph.bundled()) }

    func judgment(_ charge: String, _ penalty: PrincipalPenalty, term: Int, probation: Int? = nil, circumstances: [String] = [],
        facts: SentencingFacts? = nil, defendant: String = "P1", day: Int = 10) -> Judgment
    {
        Judgment(defendant: defendant, caseNumber: "（2024）黔0102刑初\(day)号", instance: 1, court: "520102FY01",
            decidedAt: Timestamp(year: 2024, month: 3, day: day, hour: 10)!, charges: [charge], principalPenalty: penalty,
            termMonths: term, probationMonths: probation, circumstances: circumstances, facts: facts)
    }

    func timeline(_ judgments: [Judgment]) -> CaseTimeline { CaseTimeline(caseID: "C1", caseRecord: nil, events: [], judgments: judgments) }

    @Test("probation against 刑法 72–74: over three years, for a recidivist, a period outside its range")
    func probation() {
        let over = review.review(timeline([judgment("盗窃罪", .fixedTermImprisonment, term: 40, probation: 48, facts: SentencingFacts(amountYuan: 120_000))]))
        #expect(over.findings.map(\.ruleID).contains("SENT-PROBATION-TERM"))
        let recidivist = review.review(timeline([judgment("盗窃罪", .fixedTermImprisonment, term: 10, probation: 12, circumstances: ["累犯"])]))
        #expect(recidivist.findings.map(\.ruleID) == ["SENT-PROBATION-RECIDIVIST"])
        let ringleader = review.review(timeline([judgment("盗窃罪", .fixedTermImprisonment, term: 10, probation: 12, circumstances: ["犯罪集团的首要分子"])]))
        #expect(ringleader.findings.map(\.ruleID) == ["SENT-PROBATION-RECIDIVIST"])
        let short = review.review(timeline([judgment("危险驾驶罪", .criminalDetention, term: 3, probation: 1, facts: SentencingFacts(bloodAlcohol: 150))]))
        #expect(short.findings.map(\.ruleID) == ["SENT-PROBATION-PERIOD"])
        let lawful = review.review(timeline([judgment("危险驾驶罪", .criminalDetention, term: 3, probation: 6, facts: SentencingFacts(bloodAlcohol: 150))]))
        #expect(lawful.findings.isEmpty)
        #expect(lawful.measures.isEmpty, "拘役 is not measured")
    }

    @Test("a sentence below the band's minimum without a mitigation ground, one beyond the caps, one above the band")
    func deviations() throws {
        let below = review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 12, circumstances: ["认罪认罚"],
            facts: SentencingFacts(amountYuan: 200_000))]))
        let f = try #require(below.findings.first)
        #expect(f.ruleID == "SENT-BELOW-MINIMUM" && f.kind == .signal && f.grade == .b && f.agency == "520102FY01")
        #expect(f.explanation.contains("3年") && f.explanation.contains("最高人民法院核准"))
        let cap = review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 8, circumstances: ["自首", "认罪认罚"],
            facts: SentencingFacts(amountYuan: 200_000))]))
        #expect(cap.findings.map(\.ruleID) == ["SENT-BEYOND-CAP"])
        let above = review.review(timeline([judgment("盗窃罪", .fixedTermImprisonment, term: 60, facts: SentencingFacts(amountYuan: 20_000))]))
        #expect(above.findings.map(\.ruleID) == ["SENT-ABOVE-BAND"])
        // Inside: nothing. Without facts the band of 诈骗罪 is unknown: nothing either.
        #expect(review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 40, facts: SentencingFacts(amountYuan: 200_000))])).findings.isEmpty)
        #expect(review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 60)])).findings.isEmpty)
        // A band nobody reported a fact for is the basic one by default: a heavier sentence may rest on a fact the data lacks.
        #expect(review.review(timeline([judgment("抢劫罪", .fixedTermImprisonment, term: 150)])).findings.isEmpty)
        // Two bands share a drug quantity level (少量 / 少量且情节严重); a phrase above the reported injury, or an amount phrase
        // that contradicts the amount, names a possible band, not an established one: no finding either way.
        #expect(review.review(timeline([judgment("贩卖毒品罪", .fixedTermImprisonment, term: 48, facts: SentencingFacts(drugGrams: 5, drug: "甲基苯丙胺"))])).findings.isEmpty)
        #expect(review.review(timeline([judgment("故意伤害罪", .fixedTermImprisonment, term: 24, facts: SentencingFacts(injury: .minor, cues: ["特别残忍"]))])).findings.isEmpty)
        #expect(review.review(timeline([judgment("盗窃罪", .fixedTermImprisonment, term: 20, facts: SentencingFacts(amountYuan: 5_000, cues: ["数额巨大"]))])).findings.isEmpty)
        // 逃逸 may be an element of the basic crime: it does not settle the band, so no finding either way.
        #expect(review.review(timeline([judgment("交通肇事罪", .fixedTermImprisonment, term: 12, facts: SentencingFacts(cues: ["逃逸"]))])).findings.isEmpty)
        // 刑事和解 allows going below the minimum (SPC Interpretation of the CPL, Art. 596).
        #expect(review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 24, circumstances: ["刑事和解"],
            facts: SentencingFacts(amountYuan: 200_000))])).findings.isEmpty)
        // 拘役 outcomes are not measured by the step method; an unknown circumstance is set aside, not a reason to skip.
        #expect(review.review(timeline([judgment("诈骗罪", .criminalDetention, term: 3, facts: SentencingFacts(amountYuan: 200_000))])).findings.isEmpty)
        #expect(review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 12, circumstances: ["某种未收录情节"],
            facts: SentencingFacts(amountYuan: 200_000))])).findings.map(\.ruleID) == ["SENT-BELOW-MINIMUM"])
        // A second-instance ruling replaces the first.
        let twice = review.review(timeline([judgment("诈骗罪", .fixedTermImprisonment, term: 12, facts: SentencingFacts(amountYuan: 200_000), day: 1),
            judgment("诈骗罪", .fixedTermImprisonment, term: 40, facts: SentencingFacts(amountYuan: 200_000), day: 20)]))
        #expect(twice.findings.isEmpty && twice.measures.map(\.months) == [40])
    }

    @Test("同案不同判: a term far from its comparable group's median is a lead; a group too small says nothing")
    func cohorts() throws {
        let outcome = review.review(timeline([judgment("盗窃罪", .fixedTermImprisonment, term: 30, circumstances: ["坦白"],
            facts: SentencingFacts(amountYuan: 5_000))]))
        // Only estimates that may alert are measured: a grade-C crime (合同诈骗罪) or a judgment before 2021-07-01 is not.
        #expect(review.review(timeline([judgment("合同诈骗罪", .fixedTermImprisonment, term: 30, facts: SentencingFacts(amountYuan: 5_000))])).measures.isEmpty)
        let key = try #require(outcome.measures.first?.cohort)
        let group = SentencingCohorts(terms: [key: [6, 7, 6, 8, 7, 6, 7, 8, 6, 7, 30]])
        let leads = review.cohortFindings(outcome.measures, group)
        #expect(leads.map(\.ruleID) == ["SENT-COHORT-OUTLIER"])
        #expect(leads.first?.explanation.contains("中位数7个月") == true)
        #expect(review.cohortFindings(outcome.measures, SentencingCohorts(terms: [key: [6, 7, 30]])).isEmpty)
        let histogram = SentencingCohorts(histograms: [key: [(months: 6, count: 4), (months: 7, count: 4), (months: 8, count: 2), (months: 30, count: 1)]])
        #expect(histogram.stats[key]?.median == 7 && histogram.stats[key]?.count == 11)
    }
}
