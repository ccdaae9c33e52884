import Testing
import TianpingCore
import TianpingRules
@testable import TianpingExecution

/// Worked examples from `shared/domain/commutation-parole.md` §2–§4 at their boundaries, checked by hand against the
/// official texts (SPC-2016, SPC-2019, 刑法 78–81).
@Suite struct CommutationCalculatorTests {
    let calculator = CommutationCalculator(rules: try! CommutationRules.bundled())

    func day(_ s: String) -> CalendarDate { CalendarDate(s)! }

    func fixed(_ months: Int, _ categories: [String] = [], grounds: CommutationGrounds? = .repentance,
        commutations: [PastCommutation] = [], proposal: ProposedCommutation? = nil) throws -> CommutationAssessment
    {
        try calculator.assess(CommutationQuery(sentence: .fixedTerm, termMonths: months, categories: categories,
            termStart: day("2020-01-01"), executionStart: day("2020-03-10"), commutations: commutations, grounds: grounds, proposal: proposal))
    }

    @Test func bundledRulesCiteEveryRow() throws {
        let rules = try CommutationRules.bundled()
        #expect(rules.schedules.count >= 19)
        #expect(rules.schedules.allSatisfy { !$0.citation.isEmpty })
        #expect(rules.floors.allSatisfy { !$0.citation.isEmpty })
    }

    @Test(arguments: [(59, "2021-03-10", 12), (60, "2021-09-10", 12), (119, "2021-09-10", 12), (120, "2022-03-10", 18)])
    func ordinaryFixedTermStartAndInterval(term: Int, earliest: String, interval: Int) throws {
        // SPC-2016 Art. 6: < 5 y → 1 y; 5–<10 y → 1 y 6 m; ≥ 10 y → 2 y, from delivery (Art. 40(1)).
        let first = try fixed(term)
        #expect(first.next.earliestReport == day(earliest))
        #expect(first.next.maxReductionMonths == 9)
        // The interval from the service of the last ruling (Art. 40(2)): < 10 y → 1 y; ≥ 10 y → 1 y 6 m.
        let later = try fixed(term, commutations: [PastCommutation(ruledOn: day("2022-05-03"), servedOn: day("2022-05-09"), reductionMonths: 6)])
        #expect(later.next.earliestReport == day("2022-05-09").addingMonths(interval))
    }

    @Test(arguments: [(CommutationGrounds.repentance, 9), (.merit, 9), (.repentanceAndMerit, 12), (.majorMerit, 18), (.repentanceAndMajorMerit, 24)])
    func ordinaryCapsByGrounds(grounds: CommutationGrounds, cap: Int) throws {
        #expect(try fixed(180, grounds: grounds).next.maxReductionMonths == cap)
    }

    @Test func listedGroupsAreStricter() throws {
        // SPC-2016 Art. 7(1): a recidivist with 8 years: first after 2 years, at most 1 year even with major merit.
        let r = try fixed(96, ["recidivist"], grounds: .repentanceAndMajorMerit)
        #expect(r.next.earliestReport == day("2022-03-10"))
        #expect(r.next.maxReductionMonths == 12)
        #expect(r.regimes == [.ordinary, .listed])
        // Exactly ten years falls under both paragraphs (刑法 99: 以上、以下 include the number): the longer interval.
        let ten = try fixed(120, ["recidivist"], commutations: [PastCommutation(ruledOn: day("2022-06-01"), servedOn: day("2022-06-05"), reductionMonths: 6)])
        #expect(ten.next.earliestReport == day("2023-12-05"))
        // "Violent crime sentenced to ten years or more" is the crime's own sentence (Art. 7(2)): a shorter total cannot hold it.
        #expect(throws: CommutationError.self) { try fixed(119, ["violentCrime"]) }
        #expect(try fixed(120, ["violentCrime"]).regimes == [.ordinary, .listed])
    }

    @Test func intervalNotShorterThanLastCut() throws {
        // Art. 6(3): after a cut of 1 year 3 months the next interval is 15 months, not 12.
        let a = try fixed(96, commutations: [PastCommutation(ruledOn: day("2021-10-01"), servedOn: day("2021-10-08"), reductionMonths: 15)])
        #expect(a.next.earliestReport == day("2023-01-08"))
    }

    @Test func statutoryFloorLimitsTheLastCut() throws {
        // 8 years from 2020-01-01 end 2027-12-31 (2,922 days); half is 1,461 days: at least until 2023-12-31.
        let cuts = [(15, "2021-10-08"), (15, "2023-01-10")].map {
            PastCommutation(ruledOn: day($0.1), servedOn: day($0.1), reductionMonths: $0.0)
        }
        let a = try fixed(96, grounds: .repentanceAndMajorMerit, commutations: cuts)
        #expect(a.floorEnd == day("2023-12-31"))
        // 66 months left (to 2025-06-30): a cut of 18 would end 2023-12-31 — allowed; the cap of 24 is cut to 18.
        #expect(a.currentEnd == day("2025-06-30"))
        #expect(a.next.maxReductionMonths == 18)
        // After a third cut of 15 (to 2024-03-31), reported and ruled in time, only 3 months are left to cut.
        let third = cuts + [PastCommutation(ruledOn: day("2023-09-12"), servedOn: day("2023-09-15"), reductionMonths: 15)]
        #expect(try fixed(96, commutations: third).next.maxReductionMonths == 3)
        let proposal = ProposedCommutation(reportedOn: day("2023-12-20"), grounds: .majorMerit, reductionMonths: 4)
        let c = try fixed(96, commutations: third, proposal: proposal)
        #expect(c.problems.map(\.code).contains("below_statutory_floor"))
        // A history whose cut ends the term before its own ruling, or a proposal after the term ran out, is refused.
        #expect(throws: CommutationError.self) {
            try fixed(24, commutations: [PastCommutation(ruledOn: day("2021-09-01"), servedOn: day("2021-09-02"), reductionMonths: 9)])
        }
        #expect(throws: CommutationError.self) {
            try fixed(24, proposal: ProposedCommutation(reportedOn: day("2022-01-05"), grounds: .repentance, reductionMonths: 3))
        }
    }

    @Test func lifeSentences() throws {
        func life(_ categories: [String], _ g: CommutationGrounds) throws -> CommutationAssessment {
            try calculator.assess(CommutationQuery(sentence: .life, categories: categories, executionStart: day("2018-05-01"),
                judgmentEffective: day("2018-04-20"), grounds: g))
        }
        // SPC-2016 Art. 8: after 2 years; repentance → 22 years; both with major merit → 19–20 years.
        #expect(try life([], .repentance).next.earliestReport == day("2020-05-01"))
        #expect(try life([], .repentance).next.reduceToMonths == [264, 264])
        #expect(try life([], .repentanceAndMajorMerit).next.reduceToMonths == [228, 240])
        // Art. 9: listed groups after 3 years and never below 20 years.
        #expect(try life(["organisedCrime"], .repentanceAndMajorMerit).next.reduceToMonths == [240, 240])
        #expect(try life(["organisedCrime"], .repentance).next.earliestReport == day("2021-05-01"))
        // SPC-2019 Art. 3: former officials after 4 years, repentance → 23 years; it replaces Art. 9 (Art. 7).
        let corrupt = try life(["formerOfficialCorruption", "dutyCrime"], .repentance)
        #expect(corrupt.regimes == [.ordinary, .formerOfficialCorruption])
        #expect(corrupt.next.earliestReport == day("2022-05-01"))
        #expect(corrupt.next.reduceToMonths == [276, 276])
        // Parole: 13 years from the judgment taking effect (Art. 23(2)); probation ten years.
        #expect(try life([], .repentance).parole.eligibleFrom == day("2031-04-20"))
        #expect(try life([], .repentance).parole.probation == "十年")
        // After reduction to 22 years the term runs from the ruling (刑法 80); later cuts: interval 2 years (Art. 8).
        let reduced = try calculator.assess(CommutationQuery(sentence: .life, executionStart: day("2018-05-01"),
            commutations: [PastCommutation(ruledOn: day("2020-08-01"), servedOn: day("2020-08-06"), reducedToMonths: 264)], grounds: .repentance))
        #expect(reduced.currentEnd == day("2042-07-31"))
        #expect(reduced.next.earliestReport == day("2022-08-06"))
        #expect(reduced.next.maxReductionMonths == 9)
    }

    @Test func deathWithReprieve() throws {
        func reprieve(_ categories: [String], _ g: CommutationGrounds, proposal: ProposedCommutation? = nil) throws -> CommutationAssessment {
            try calculator.assess(CommutationQuery(sentence: .deathReprieve, categories: categories, executionStart: day("2017-06-01"),
                reprieveExpired: day("2019-06-01"), reprievedTo: .life, grounds: g, proposal: proposal))
        }
        // SPC-2016 Art. 10: 3 years after reduction to life; both with major merit → 22–23 years.
        let a = try reprieve([], .repentanceAndMajorMerit)
        #expect(a.next.earliestReport == day("2022-06-01"))
        #expect(a.next.reduceToMonths == [264, 276])
        // Art. 10 has no major-merit exemption from the start.
        #expect(!a.next.startAndIntervalWaived)
        // Art. 11 (listed): merit → 23 to 25 years, never below 23.
        #expect(try reprieve(["recidivist"], .repentanceAndMajorMerit).next.reduceToMonths == [276, 276])
        // Restricted (Art. 13): after 5 years; floor 25 years (刑法 78(2)(3)).
        let restricted = try reprieve(["restrictedCommutation", "violentCrime"], .repentance)
        #expect(restricted.next.earliestReport == day("2024-06-01"))
        #expect(restricted.floorEnd == day("2044-05-31"))
        // SPC-2019 Art. 4–5: former officials after 4 years, and major merit frees them from it.
        let official = try reprieve(["formerOfficialCorruption"], .majorMerit)
        #expect(official.next.earliestReport == day("2023-06-01"))
        #expect(official.next.startAndIntervalWaived)
        // Ordinary floor: 15 years excluding the reprieve (Art. 12); parole from 2034-06-01 (Art. 23(3)).
        #expect(try reprieve([], .repentance).floorEnd == day("2034-05-31"))
        #expect(try reprieve([], .repentance).parole.eligibleFrom == day("2034-06-01"))
        // Reduced below what Art. 10 allows: a violation.
        let low = try reprieve([], .repentance, proposal: ProposedCommutation(reportedOn: day("2022-07-01"), grounds: .repentance, reducedToMonths: 288))
        #expect(low.problems.map(\.code) == ["reduced_term_too_short"])
    }

    @Test func parole() throws {
        // Half of 10 years from 2020-01-01 (3,653 days, custody credited): eligible from 2025-01-01.
        #expect(try fixed(120).parole.eligibleFrom == day("2025-01-01"))
        // 刑法 81(2): recidivists never; violent crimes from ten years (以上 includes ten), not below.
        #expect(try !fixed(96, ["recidivist"]).parole.barred.isEmpty)
        #expect(try !fixed(120, ["violentCrime"]).parole.barred.isEmpty)
        #expect(try !fixed(60, ["ableButNotPaying"]).parole.barred.isEmpty)
        // Art. 28: a year after a commutation; 18 months after a cut of a year or more.
        let small = try fixed(120, commutations: [PastCommutation(ruledOn: day("2024-06-01"), servedOn: day("2024-06-03"), reductionMonths: 9)])
        #expect(small.parole.eligibleFrom == day("2025-06-03"))
        let large = try fixed(120, commutations: [PastCommutation(ruledOn: day("2024-06-01"), servedOn: day("2024-06-03"), reductionMonths: 12)])
        #expect(large.parole.eligibleFrom == day("2025-12-03"))
    }

    @Test func proposalsChecked() throws {
        let early = ProposedCommutation(reportedOn: day("2021-09-09"), grounds: .repentance, reductionMonths: 6)
        #expect(try fixed(96, proposal: early).problems.map(\.code) == ["too_early"])
        let onTime = ProposedCommutation(reportedOn: day("2021-09-10"), grounds: .repentance, reductionMonths: 9)
        #expect(try fixed(96, proposal: onTime).problems.isEmpty)
        let large = ProposedCommutation(reportedOn: day("2021-09-10"), grounds: .repentance, reductionMonths: 10)
        #expect(try fixed(96, proposal: large).problems.map(\.code) == ["reduction_too_large"])
        // Major merit: early is allowed with reasons and an open hearing (Art. 6(4); SPC-Interp 538).
        let merit = ProposedCommutation(reportedOn: day("2020-09-10"), grounds: .majorMerit, reductionMonths: 18)
        let m = try fixed(96, proposal: merit)
        #expect(m.problems.map(\.severity) == [.review])
        #expect(m.next.hearingRequired.contains("因重大立功报请减刑"))
        // A new intentional crime: three years from the new judgment (Art. 21).
        var q = CommutationQuery(sentence: .fixedTerm, termMonths: 96, termStart: day("2020-01-01"), executionStart: day("2020-03-10"),
            newCrimeFinal: day("2021-01-15"), proposal: onTime)
        #expect(try calculator.assess(q).problems.map(\.code) == ["new_crime_bar"])
        q.categories = ["lifetimeImprisonment"]
        q.sentence = .life
        q.termMonths = nil
        q.proposal = ProposedCommutation(reportedOn: day("2030-01-01"), grounds: .repentance, reducedToMonths: 264)
        q.newCrimeFinal = nil
        let lifetime = try calculator.assess(q)
        #expect(!lifetime.next.allowed)
        #expect(lifetime.problems.map(\.code) == ["lifetime_imprisonment"])
    }

    @Test func relaxationForMinorsAndTheInfirm() throws {
        // Art. 19–20: start 12 months may shorten to 8, a cut of 9 may widen to 12; beyond that is a violation.
        let a = try fixed(48, ["elderlyOrInfirm"])
        #expect(a.next.earliestReportRelaxed == day("2020-11-10"))
        #expect(a.next.maxReductionMonths == 12)
        let inside = ProposedCommutation(reportedOn: day("2020-11-10"), grounds: .repentance, reductionMonths: 12)
        let relaxed = try fixed(48, ["minor"], proposal: inside)
        #expect(relaxed.problems.map(\.code) == ["early_relaxed", "reduction_relaxed"])
        // Outside the general rules: the court must hear it openly (SPC-Interp 538).
        #expect(relaxed.next.hearingRequired.contains("报请减刑的起始时间、间隔时间或者减刑幅度不符合一般规定"))
        let outside = ProposedCommutation(reportedOn: day("2020-11-09"), grounds: .repentance, reductionMonths: 13)
        #expect(try fixed(48, ["elderlyOrInfirm"], proposal: outside).problems.map(\.code) == ["too_early", "reduction_too_large"])
        // Art. 19 excludes a minor recidivist: the listed rules hold in full.
        let recidivist = try fixed(48, ["minor", "recidivist"])
        #expect(recidivist.next.earliestReportRelaxed == nil)
        #expect(recidivist.next.maxReductionMonths == 9)
    }

    @Test func mendsFromTheLegalReview() throws {
        func reprieve(_ categories: [String], _ g: CommutationGrounds, commutations: [PastCommutation] = [],
            proposal: ProposedCommutation? = nil) throws -> CommutationAssessment
        {
            try calculator.assess(CommutationQuery(sentence: .deathReprieve, categories: categories, executionStart: day("2017-06-01"),
                reprieveExpired: day("2019-06-01"), reprievedTo: .life, commutations: commutations, grounds: g, proposal: proposal))
        }
        // Art. 21(2): five years after reduction to life, whatever the grounds or relaxation.
        let early = ProposedCommutation(reportedOn: day("2023-01-10"), grounds: .majorMerit, reducedToMonths: 288)
        let barred = try reprieve(["crimeDuringReprieve", "formerOfficialCorruption", "elderlyOrInfirm"], .majorMerit, proposal: early)
        #expect(barred.problems.map(\.code).contains("new_crime_bar"))
        #expect(barred.next.earliestReport == day("2024-06-01"))
        // 刑法 50(2): a restricted reprieve is a recidivist's or a violent crime's; parole is barred (Art. 25(2)).
        #expect(try !reprieve(["restrictedCommutation"], .repentance).parole.barred.isEmpty)
        // Art. 14: major merit may shorten the restricted interval — reasons, not a breach, and not a silent waiver.
        let toLife = [PastCommutation(ruledOn: day("2024-07-01"), servedOn: day("2024-07-05"), reducedToMonths: 300)]
        let shortened = ProposedCommutation(reportedOn: day("2025-07-05"), grounds: .majorMerit, reductionMonths: 12)
        let r = try reprieve(["restrictedCommutation", "violentCrime"], .majorMerit, commutations: toLife, proposal: shortened)
        #expect(r.problems.map(\.code) == ["early_major_merit"])
        #expect(!r.next.startAndIntervalWaived)
        #expect(r.next.maxReductionMonths == 12)
        // SPC-2019 takes over the 职务犯罪 listing only: a recidivist former official keeps Art. 11, without the waiver.
        let both = try reprieve(["formerOfficialCorruption", "dutyCrime", "recidivist"], .majorMerit)
        #expect(both.regimes == [.ordinary, .listed, .formerOfficialCorruption])
        #expect(!both.next.startAndIntervalWaived)
        // SPC-2019's ranges replace Art. 8's: life with repentance and merit → 22 to 23 years.
        let life = try calculator.assess(CommutationQuery(sentence: .life, categories: ["formerOfficialCorruption"], executionStart: day("2018-05-01"),
            grounds: .repentanceAndMerit))
        #expect(life.next.reduceToMonths == [264, 276])
        // Before SPC-2019 was in force, a former official's proposal is checked as a 职务犯罪 prisoner's (Art. 7).
        let before = try calculator.assess(CommutationQuery(sentence: .fixedTerm, termMonths: 96, categories: ["formerOfficialCorruption"],
            termStart: day("2016-01-01"), executionStart: day("2016-03-10"),
            proposal: ProposedCommutation(reportedOn: day("2019-05-20"), grounds: .repentance, reductionMonths: 9)))
        #expect(before.regimes == [.ordinary, .listed])
        #expect(before.problems.isEmpty)
        // Parole is for fixed terms and life only (刑法 81).
        let detention = try calculator.assess(CommutationQuery(sentence: .criminalDetention, termMonths: 6, termStart: day("2024-01-01"),
            executionStart: day("2024-01-05")))
        #expect(detention.parole.eligibleFrom == nil && detention.parole.barred == ["拘役不适用假释"])
        // Parole of a listed category is heard in open court.
        #expect(try fixed(96, ["financialCrime"]).parole.hearingRequired == ["罪犯属于破坏金融管理秩序和金融诈骗犯罪（假释）"])
        // Proposals reported before SPC-2016 took effect are not checked against it.
        let old = try calculator.assess(CommutationQuery(sentence: .fixedTerm, termMonths: 96, termStart: day("2015-01-01"), executionStart: day("2015-02-01"),
            proposal: ProposedCommutation(reportedOn: day("2016-03-01"), grounds: .repentance, reductionMonths: 20)))
        #expect(old.problems.isEmpty)
    }

    @Test func impossibleHistoriesAreRefused() throws {
        #expect(throws: CommutationError.self) { try fixed(96, ["nonsense"]) }
        #expect(throws: CommutationError.self) {
            try fixed(96, commutations: [PastCommutation(ruledOn: day("2019-01-01"), servedOn: day("2019-01-05"), reductionMonths: 6)])
        }
        #expect(throws: CommutationError.self) {
            try fixed(96, commutations: [PastCommutation(ruledOn: day("2022-01-01"), servedOn: day("2021-12-05"), reductionMonths: 6)])
        }
        #expect(throws: CommutationError.self) {
            try fixed(12, commutations: [PastCommutation(ruledOn: day("2020-06-01"), servedOn: day("2020-06-05"), reductionMonths: 12)])
        }
        #expect(throws: CommutationError.self) {
            try fixed(96, commutations: [PastCommutation(ruledOn: day("2022-01-01"), servedOn: day("2022-01-05"), reductionMonths: 6)],
                proposal: ProposedCommutation(reportedOn: day("2022-01-04"), grounds: .repentance, reductionMonths: 6))
        }
        #expect(throws: CommutationError.self) {
            try calculator.assess(CommutationQuery(sentence: .deathReprieve, executionStart: day("2017-06-01")))
        }
        // A placeholder year is refused before any arithmetic; 拘役 is at most a year even combined (刑法 69).
        #expect(throws: CommutationError.self) { try calculator.assess(CommutationQuery(sentence: .fixedTerm, termMonths: 12, executionStart: day("9999-06-01"))) }
        #expect(throws: CommutationError.self) {
            try calculator.assess(CommutationQuery(sentence: .criminalDetention, termMonths: 13, executionStart: day("2024-06-01")))
        }
        // Calendar arithmetic at the end of the calendar saturates instead of trapping.
        #expect(day("9999-06-01").addingMonths(12) == day("9999-12-01"))
        #expect(day("9999-06-01").sentenceEnd(months: 12) == day("9999-11-30"))
    }

    @Test func monthsAreWrittenAsJudgmentsWriteThem() {
        #expect(CommutationCalculator.months(9) == "9个月")
        #expect(CommutationCalculator.months(18) == "1年6个月")
        #expect(CommutationCalculator.months(264) == "22年")
    }
}
