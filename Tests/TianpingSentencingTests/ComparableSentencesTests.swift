import Foundation
import Testing
import TianpingRetrieval
import TianpingText
@testable import TianpingSentencing

/// Sentences of comparable judgments beside the guideline: which judgments count, the distribution, the fixed rule
/// that combines the two, and the leave-one-out evaluation.
@Suite("Comparable judgments in sentencing")
struct ComparableSentencesTests {
    static func theft(_ id: String, yuan: Int, months: Int, place: String = "超市") -> LibraryJudgment {
        LibraryJudgment(id: "cail2018:\(id)", source: "cail2018",
            text: "经审理查明，被告人某甲在\(place)内趁人不备盗窃他人财物，价值人民币\(yuan)元。",
            statedCharges: ["盗窃"], statedSentence: StatedSentence(termMonths: months))
    }

    static func fraud(_ id: String, months: Int) -> LibraryJudgment {
        LibraryJudgment(id: "cail2018:\(id)", source: "cail2018", text: "经审理查明，被告人某乙在超市内冒充店员骗取他人财物，价值人民币4000元。",
            statedCharges: ["诈骗"], statedSentence: StatedSentence(termMonths: months))
    }

    /// Six thefts of the lowest band (one ended without custody), three of the second band, two frauds.
    static func library() async throws -> InMemoryLibrary {
        let small = [(1, 6), (2, 7), (3, 8), (4, 9), (5, 10), (6, 0)].map { theft("s\($0.0)", yuan: 4000 + $0.0 * 100, months: $0.1) }
        let large = [(1, 40), (2, 44), (3, 50)].map { theft("l\($0.0)", yuan: 200_000 + $0.0 * 1000, months: $0.1) }
        return try await InMemoryLibrary.build(small + large + [fraud("f1", months: 30), fraud("f2", months: 36)])
    }

    static let sentencing = ComparableSentencing(calculator: SentencingCalculator(graph: try! SentencingGraph.bundled()))

    @Test("only judgments of the same charges count; with enough of the same band, only those; the quartiles are of their terms")
    func sameChargesAndBand() async throws {
        let lib = try await Self.library()
        let facts = "经审理查明，被告人某丙在超市内趁人不备盗窃他人财物，价值人民币4200元。"
        let similar = lib.similar(ComparableSentencing.query(facts: facts, charges: ["盗窃罪"]), limit: ComparableSentencing.searched)
        let found = Self.sentencing.comparables(facts: facts, charges: ["盗窃罪"], similar: similar)
        #expect(found.scope == .sameChargesAndBand)
        #expect(Set(found.comparables.map(\.id)) == Set((1...6).map { "cail2018:s\($0)" }))
        #expect(found.months == [0, 6, 7, 8, 9, 10])
        #expect(found.median == 7.5 && found.lowerQuartile == 6.25 && found.upperQuartile == 8.75)
        #expect(found.nonCustodial == 1 && found.life == 0 && found.death == 0)
        #expect(found.comparables.allSatisfy { $0.guidelineCentre != nil }, "each comparable is measured against its own estimate")
        #expect(found.summary.hasPrefix("同罪名、同量刑幅度的最相似判决 6 份"))

        // The second band has only three judgments: fewer than the minimum, so the charges alone decide.
        let large = "经审理查明，被告人某丙在超市内趁人不备盗窃他人财物，价值人民币205000元。"
        let wide = Self.sentencing.comparables(facts: large, charges: ["盗窃罪"],
            similar: lib.similar(ComparableSentencing.query(facts: large, charges: ["盗窃罪"]), limit: 60))
        #expect(wide.scope == .sameCharges && wide.count == 9 && !wide.comparables.contains { $0.id.contains(":f") })
    }

    @Test("the combined centre: life or death by majority, else the guideline corrected by the comparables' median departure; each source alone when the other is missing")
    func combinedRule() throws {
        func judgment(_ n: Int, _ outcome: SentenceOutcome, centre: Double? = 6) -> ComparableJudgment {
            ComparableJudgment(id: "x:\(n)", title: nil, caseNumber: nil, court: nil, rank: n, charges: ["盗窃罪"], outcome: outcome, guidelineCentre: centre)
        }
        let guideline = MonthRange(lower: 3, centre: 6, upper: 10)
        // Courts gave 12 months where the guideline said 6 for each comparable: the case's 6 becomes 12.
        let doubled = ComparableSentences(scope: .sameChargesAndBand, searched: 5, comparables: (1...5).map { judgment($0, .term(months: 12)) })
        let both = try #require(CombinedEstimate(guideline: guideline, comparables: doubled))
        #expect(both.basis == .guidelineAndComparables)
        #expect(abs((both.months ?? 0) - 12) < 1e-9 && both.outcome == .term(months: 12))
        #expect(both.explanation.contains("+86%"), "(12+1)/(6+1) − 1 = 86 %: \(both.explanation)")

        let few = ComparableSentences(scope: .sameCharges, searched: 4, comparables: (1...4).map { judgment($0, .term(months: 12)) })
        #expect(CombinedEstimate(guideline: guideline, comparables: few)?.basis == .guideline)
        #expect(CombinedEstimate(guideline: guideline, comparables: few)?.months == 6)
        #expect(CombinedEstimate(guideline: nil, comparables: few) == nil, "four comparables and no guideline say too little")
        let alone = try #require(CombinedEstimate(guideline: nil, comparables: doubled))
        #expect(alone.basis == .comparables && alone.months == 12)

        let grave = ComparableSentences(scope: .sameCharges, searched: 5,
            comparables: [judgment(1, .life), judgment(2, .death), judgment(3, .death), judgment(4, .term(months: 180)), judgment(5, .life)])
        #expect(CombinedEstimate(guideline: guideline, comparables: grave)?.outcome == .life, "two life, two death: life on a tie")
        // Two of seven: no majority, and the five terms give the median.
        let notMajority = ComparableSentences(scope: .sameCharges, searched: 7,
            comparables: [judgment(1, .life), judgment(2, .death)] + [170, 175, 180, 185, 190].enumerated().map { judgment($0.offset + 3, .term(months: $0.element)) })
        #expect(CombinedEstimate(guideline: nil, comparables: notMajority)?.months == 180)
    }

    @Test("the CAIL2018 score of an outcome: life and death only when matched, no custody as 0 months")
    func outcomeScore() {
        #expect(TermScore.score(actual: .life, predicted: .life) == 1)
        #expect(TermScore.score(actual: .death, predicted: .life) == 0)
        #expect(TermScore.score(actual: .term(months: 120), predicted: .death) == 0)
        #expect(TermScore.score(actual: .nonCustodial, predicted: .nonCustodial) == 1)
        #expect(TermScore.score(actual: .nonCustodial, predicted: .term(months: 6)) == 0)
        #expect(TermScore.score(actual: .term(months: 12), predicted: .term(months: 13)) == 1)
    }

    @Test("a judgment's outcome: the stated sentence first, else the defendant convicted of most of the charges searched for")
    func outcomeOfJudgment() {
        let text = "经审理查明，被告人张三、李四盗窃。判决如下：一、被告人张三犯窝藏罪，判处有期徒刑一年；二、被告人李四犯盗窃罪，判处有期徒刑八个月。"
        let judgment = LibraryJudgment(id: "t:1", source: "test", text: text)
        let reading = JudgmentReading(judgment)
        #expect(judgment.outcome(for: ["盗窃罪"], reading: reading) == .term(months: 8))
        #expect(judgment.outcome(for: ["窝藏罪"], reading: reading) == .term(months: 12))
        var stated = judgment
        stated.statedSentence = StatedSentence(termMonths: 0, life: true)
        #expect(stated.outcome(for: ["盗窃罪"], reading: reading) == .life)
        stated.statedSentence = StatedSentence(termMonths: 0)
        #expect(stated.outcome(for: ["盗窃罪"], reading: reading) == .nonCustodial)
        #expect(LibraryJudgment.decides(exactly: ["盗窃"], ["盗窃罪"]))
        #expect(!LibraryJudgment.decides(exactly: ["盗窃罪"], ["盗窃罪", "诈骗罪"]), "a judgment of more charges is not of the same charges")
    }

    @Test("leave-one-out: a case never compares with itself, and all three centres are scored on every case")
    func leaveOneOut() async throws {
        let lib = try await Self.library()
        let evaluation = LibrarySentencingEvaluation(graph: try SentencingGraph.bundled())
        let cases = (1...6).map { n in
            CAILCase(id: "s\(n)", fact: Self.theft("s\(n)", yuan: 4000 + n * 100, months: 0).text,
                meta: .init(accusation: ["盗窃"], term_of_imprisonment: .init(death_penalty: false, life_imprisonment: false, imprisonment: [6, 7, 8, 9, 10, 0][n - 1])))
        }
        let results = cases.map { c in
            evaluation.evaluate(c, similar: lib.similar(SimilarCaseQuery(text: c.fact, charges: ["盗窃"], filters: SearchFilters(charges: ["盗窃"]),
                excluded: ["cail2018:" + c.id]), limit: 60))
        }
        for (c, r) in zip(cases, results) {
            #expect(!r.comparables.comparables.contains { $0.id == "cail2018:" + c.id })
            #expect(r.comparables.count == 5 && r.comparables.scope == .sameChargesAndBand, "the other five of its band, never the other band")
        }
        let report = evaluation.report(results)
        #expect(report.combined.cases == 6 && report.guideline.cases == 6 && report.comparables.cases == 6)
        #expect(report.combined.predicted == 6 && report.scopes["sameChargesAndBand"] == 6)
        #expect(report.guideline.predicted == 6 && report.comparables.predicted == 6, "each centre gave every case a prediction")
        #expect(results.allSatisfy { $0.combined?.basis == .guidelineAndComparables })
        #expect(report.combinedByOutcome["nonCustodial"]?.cases == 1)
    }
}
