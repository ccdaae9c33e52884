import Foundation
import Testing
import TianpingCore
import TianpingRules
@testable import TianpingSentencing

@Suite("Sentencing knowledge graph")
struct GraphTests {
    @Test("the bundled graph loads, and every band's starting range lies inside its statutory band")
    func loads() throws {
        let g = try SentencingGraph.bundled()
        #expect(g.docNo == "法发〔2021〕21号")
        #expect(g.inForce == CalendarDate(year: 2021, month: 7, day: 1))
        #expect(g.discretion == 0.20)
        // The 23 crimes of the 2021 Guideline are there with their starting points.
        let guideline = g.crimes.filter { $0.statutoryOnly != true }
        #expect(guideline.count == 23)
        for crime in guideline { #expect(crime.bands.contains { $0.startMax != nil }, "\(crime.name) has no starting point") }
        for crime in g.crimes {
            for band in crime.bands {
                if let hi = band.startMax { #expect(hi <= band.max && hi >= band.min, "\(crime.name) \(band.trigger)") }
            }
        }
        // Values the domain file states, read back through the lookups.
        #expect(g.circumstance(named: "自首")?.min == -0.40)
        #expect(g.circumstance(named: "累犯")?.minMonths == 3)
        #expect(g.circumstance(named: "plea_leniency_plus")?.min == -0.60)
        #expect(g.crime(named: "[走私、贩卖、运输、制造]毒品")?.article == "347")
        #expect(g.crime(named: "盗窃")?.bands.map(\.startMax) == [12, 48, 144])
        #expect(g.thresholds.first { $0.id == "theft" }?.levels.map(\.max) == [3000, 100000, 500000])
    }

    @Test("a graph with a start outside its band, or an unknown circumstance in the plea rule, is refused with the reason")
    func refusesBadGraphs() throws {
        var g = try SentencingGraph.bundled()
        g.crimes[0].bands[0].startMax = 999
        let data = try JSONEncoder().encode(g)
        #expect(throws: SentencingError.self) { try SentencingGraph.load(data) }
        var h = try SentencingGraph.bundled()
        h.stacking.pleaPlusWith.append("no_such_circumstance")
        do {
            _ = try SentencingGraph.load(try JSONEncoder().encode(h))
            Issue.record("accepted a bad graph")
        } catch {
            #expect("\(error)".contains("no_such_circumstance"))
        }
    }
}

@Suite("Sentencing calculator")
struct CalculatorTests {
    let calculator: SentencingCalculator

    init() throws { calculator = SentencingCalculator(graph: try SentencingGraph.bundled()) }

    @Test("the domain file's worked example: first tier multiplies, the rest are summed (24 × 0.7 × (1 − 0.2 + 0.2))")
    func combination() throws {
        // 故意伤害致一人重伤: start 3–5 years, no amount → benchmark centre 36 + (60 − 36) / 4 = 42 months.
        let e = try calculator.estimate(SentencingInput(crime: "故意伤害罪", facts: SentencingFacts(injury: .serious),
            circumstances: ["从犯=-0.3", "自首=-0.2", "累犯=0.2"]))
        #expect(e.bandIndex == 1)
        #expect(e.benchmark.centre == 42)
        #expect(abs(e.expected.centre - 42 * 0.7 * (1 - 0.2 + 0.2)) < 1e-9)
        // 从犯 and 自首 allow a sentence below the band's minimum of three years.
        #expect(e.mitigationBelowMinimum)
        #expect(e.trace.map(\.step).contains("量刑情节：从犯"))
        // Same input, same output.
        #expect(try calculator.estimate(SentencingInput(crime: "故意伤害罪", facts: SentencingFacts(injury: .serious),
            circumstances: ["从犯=-0.3", "自首=-0.2", "累犯=0.2"])) == e)
    }

    @Test("认罪认罚 is not counted twice: with 自首 the combined cap of 60 % applies, and 自首 still allows going below the minimum")
    func pleaStacking() throws {
        let e = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 120_000), circumstances: ["自首", "认罪认罚"]))
        #expect(e.circumstances.map(\.id) == ["plea_leniency_plus"])
        #expect(e.notCounted.contains { $0.hasPrefix("自首") })
        #expect(e.mitigationBelowMinimum)
        // 36 months × (1 − 0.6) × (1 − 0.2): the lowest the caps and the discretion reach.
        #expect(abs((e.alertLower ?? 0) - 36 * 0.4 * 0.8) < 1e-9)
        let plain = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 120_000), circumstances: ["坦白", "认罪认罚"]))
        #expect(plain.circumstances.map(\.id) == ["plea_leniency"])
        #expect(!plain.mitigationBelowMinimum)
        // 当庭认罪 is not credited after 坦白.
        let court = try calculator.estimate(SentencingInput(crime: "诈骗罪", facts: SentencingFacts(amountYuan: 20_000), circumstances: ["坦白", "当庭认罪"]))
        #expect(court.circumstances.map(\.id) == ["confession"])
    }

    @Test("the band follows the amount; an amount inside the national range of a threshold leaves the band uncertain")
    func bands() throws {
        let certain = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 120_000)))
        #expect(certain.bandIndex == 1 && certain.bandCertain && certain.alertable)
        #expect(certain.statutoryMin == 36 && certain.statutoryMax == 120)
        let unsure = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 52_000)))
        #expect(!unsure.bandCertain && !unsure.alertable)
        // A province's chosen values settle it.
        var graph = try SentencingGraph.bundled()
        let i = try #require(graph.thresholds.firstIndex { $0.id == "theft" })
        graph.thresholds[i].chosen = .init(province: "某省", document: "某高法〔2024〕1号", effectiveFrom: CalendarDate(year: 2024, month: 1, day: 1)!,
            values: [2000, 60000, 400000])
        let province = try SentencingCalculator(graph: graph).estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 52_000)))
        #expect(province.bandIndex == 0 && province.bandCertain)
        // Drugs by quantity, drunk driving within 1–6 months of 拘役.
        let drug = try calculator.estimate(SentencingInput(crime: "贩卖毒品罪", facts: SentencingFacts(drugGrams: 12, drug: "海洛因")))
        #expect(drug.statutoryMin == 84)
        // MDMA is not methamphetamine: its quantity standard is not in the graph, so the band stays uncertain.
        let mdma = try calculator.estimate(SentencingInput(crime: "贩卖毒品罪", facts: SentencingFacts(drugGrams: 60, drug: "3,4-亚甲二氧基甲基苯丙胺")))
        #expect(!mdma.bandCertain && mdma.statutoryMin == 0)
        // An unreported age band of a minor takes the union of both bands' ratios.
        let minor = try calculator.estimate(SentencingInput(crime: "故意伤害罪", facts: SentencingFacts(injury: .serious), circumstances: ["未成年"]))
        #expect(minor.circumstances.first?.min == -0.60 && minor.circumstances.first?.max == -0.10)
        // Theft's top band carries life imprisonment but not death.
        let top = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 600_000)))
        #expect(top.trace[0].detail.contains("无期徒刑") && !top.trace[0].detail.contains("死刑"))
        let dui = try calculator.estimate(SentencingInput(crime: "危险驾驶罪", facts: SentencingFacts(bloodAlcohol: 180)))
        #expect(dui.expected.lower >= 1 && dui.expected.upper <= 6 && dui.expected.centre == 3)
    }

    @Test("grade-C rules feed estimates but raise no alert until a person confirms them; nor do rules not yet in force")
    func gradesAndDates() throws {
        let rape = SentencingInput(crime: "强奸罪")
        let unconfirmed = try calculator.estimate(rape)
        #expect(unconfirmed.bandIndex == 0)
        #expect(!unconfirmed.alertable)
        #expect(unconfirmed.notAlertableBecause.contains { $0.contains("crime:rape/band:0") })
        var graph = try SentencingGraph.bundled()
        graph.confirmations.append(.init(item: "crime:rape/band:0", by: "省法院审管办 张某", at: CalendarDate(year: 2026, month: 11, day: 1)!,
            checkedAgainst: "法发〔2021〕21号 正式文本"))
        #expect(try SentencingCalculator(graph: graph).estimate(rape).alertable)
        let early = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 120_000),
            decidedOn: CalendarDate(year: 2020, month: 5, day: 1)))
        #expect(!early.alertable)
    }

    @Test("a deviation is measured against the range and explained; only what lies beyond the alert bounds alerts")
    func deviation() throws {
        let e = try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 120_000), circumstances: ["认罪认罚"]))
        let below = calculator.deviation(of: 12, from: e)
        #expect(below.position == .below && below.beyondAlertBounds)
        #expect(below.explanations.contains { $0.contains("刑法第六十三条第二款") })
        let inside = calculator.deviation(of: e.expected.centre, from: e)
        #expect(inside.position == .inside && !inside.beyondAlertBounds)
        let above = calculator.deviation(of: 130, from: e)
        #expect(above.position == .above && above.beyondAlertBounds)
        // Above the estimate but inside the band: explained by provincial add-penalty steps, not an alert.
        let high = calculator.deviation(of: 110, from: e)
        #expect(high.position == .above && !high.beyondAlertBounds)
    }

    @Test("an unknown crime or circumstance, an unreadable ratio or an impossible amount is refused with a Chinese reason")
    func unknowns() {
        #expect(throws: SentencingError.self) { try calculator.estimate(SentencingInput(crime: "不存在罪")) }
        #expect(throws: SentencingError.self) { try calculator.estimate(SentencingInput(crime: "盗窃罪", circumstances: ["自首=abc"])) }
        #expect(throws: SentencingError.self) { try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: 1e20))) }
        #expect(throws: SentencingError.self) { try calculator.estimate(SentencingInput(crime: "盗窃罪", facts: SentencingFacts(amountYuan: -1))) }
        #expect(SentencingCalculator.months(.infinity) == "—" && SentencingCalculator.percent(1e300) == "—")
        #expect([SentencingCalculator.months(20.4), SentencingCalculator.months(36), SentencingCalculator.months(0.3), SentencingCalculator.months(6.6)]
            == ["1年8个月", "3年", "不足1个月", "7个月"], "terms in whole months, as sentences are written")
        #expect(SentencingCalculator.boundMonths(35.3) == "2年11.3个月" && SentencingCalculator.boundMonths(36.02) == "3年",
            "a bound keeps its tenth, so that it never reads as equal to a whole-month term below it")
        #expect(["12", "12.5", "12.25", "0.05", "-3.1", "1年3个月"] == [SentencingCalculator.number(12), SentencingCalculator.number(12.5),
            SentencingCalculator.number(12.249), SentencingCalculator.number(0.05), SentencingCalculator.number(-3.1), SentencingCalculator.months(14.77)])
        do {
            _ = try calculator.estimate(SentencingInput(crime: "盗窃罪", circumstances: ["神秘情节"]))
            Issue.record("accepted an unknown circumstance")
        } catch { #expect("\(error)".contains("神秘情节")) }
    }

    @Test("several crimes: not below the heaviest, not above the sum or the cap of 刑法 69")
    func combined() {
        let a = MonthRange(lower: 10, centre: 20, upper: 30)
        let b = MonthRange(lower: 5, centre: 8, upper: 12)
        let c = SentencingCalculator.combine([a, b])
        #expect(c.lower == 10 && c.upper == 42 && c.centre == 24)
        let big = SentencingCalculator.combine([MonthRange(lower: 150, centre: 170, upper: 180), MonthRange(lower: 150, centre: 170, upper: 180),
            MonthRange(lower: 100, centre: 120, upper: 180)])
        #expect(big.upper == 300)
    }
}
