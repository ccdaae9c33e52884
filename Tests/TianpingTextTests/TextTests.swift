import Foundation
import Testing
import TianpingText

@Suite("Chinese legal text")
struct TextTests {
    @Test("numbers in every written form", arguments: [
        ("35000", 35_000), ("35,000", 35_000), ("3.5万", 35_000), ("三万五千", 35_000), ("叁万伍仟", 35_000), ("3万5千", 35_000),
        ("十二", 12), ("一百零五", 105), ("一千零五十", 1_050), ("两千", 2_000), ("贰佰", 200), ("一亿二千万", 120_000_000),
        ("二〇一七", 2_017), ("三点五万", 35_000), ("１２３", 123), ("拾", 10), ("十万", 100_000), ("五十万零三百", 500_300),
        ("一万零五百", 10_500), ("十万零三", 100_003), ("2万零500", 20_500), ("两万", 20_000), ("三千五", 3_500), ("一万五", 15_000),
        ("一百二", 120), ("二十五", 25), ("0.5万", 5_000),
    ] as [(String, Int)])
    func numbers(text: String, value: Int) {
        #expect(ChineseNumber.parse(text) == Decimal(value), "\(text)")
    }

    @Test("what is not a number is refused")
    func notNumbers() {
        for text in ["", "元", "被告人", "3.5.1", "万", "三四千", "四3000", "点500", "一五千"] { #expect(ChineseNumber.parse(text) == nil, "\(text)") }
        #expect(ChineseNumber.parse("0.5") == Decimal(string: "0.5"))
    }

    @Test("sums of money are found with what they are for; dates, counts and foreign currency are not money")
    func money() {
        let text = "2017年3月5日，被告人张某窃得现金人民币3.5万元及价值叁万伍仟元的手机2部，另骗取500余元，合计70500元；并处罚金人民币五千元，另有100美元。"
        let found = MoneyExtractor.mentions(in: text)
        #expect(found.map(\.yuan) == [35_000, 35_000, 500, 70_500, 5_000].map { Decimal($0) })
        #expect(found[2].approximate && !found[0].approximate)
        #expect(found[1].context.hasSuffix("价值") && found[3].context.hasSuffix("合计") && found[4].context.contains("罚金"))
        #expect(!found.contains { $0.yuan == 100 }, "dollars are not yuan")
    }

    @Test("terms in months", arguments: [
        ("一年六个月", 18), ("三年", 36), ("十个月", 10), ("1年6个月", 18), ("六个月", 6), ("二年零三个月", 27), ("十五年", 180),
    ] as [(String, Int)])
    func terms(text: String, months: Int) {
        #expect(TermParser.months(atStartOf: text + "，")?.months == months, "\(text)")
    }

    @Test("a term with days is not a whole number of months")
    func termWithDays() {
        #expect(TermParser.months(atStartOf: "一个月零十五天") == nil)
        #expect(TermParser.months(atStartOf: "罚金") == nil)
    }

    @Test("a judgment's sentences and circumstances, attributed to the defendants the court names")
    func judgment() {
        let text = """
            某某市某某区人民法院 刑事判决书 公诉机关指控，被告人甲某盗窃他人财物共计价值人民币12000元。经审理查明，被告人甲某、乙某于2018年3月盗窃\
            被害人财物，价值共计人民币12000元。本院认为，被告人甲某、乙某以非法占有为目的，秘密窃取他人财物，数额较大，其行为均已构成盗窃罪。\
            被告人甲某系累犯，应当从重处罚。被告人乙某到案后如实供述自己的罪行，系坦白，且已退赔被害人全部损失，取得被害人谅解。\
            辩护人提出被告人甲某有自首情节的意见，与事实不符，不予采纳。被告人乙某在共同犯罪中起次要作用，系从犯。\
            判决如下： 一、被告人甲某犯盗窃罪，判处有期徒刑一年六个月，并处罚金人民币三千元。 \
            二、被告人乙某犯盗窃罪，判处拘役五个月，缓刑六个月，并处罚金人民币二千元。 如不服本判决，可在接到判决书的第二日起十日内上诉。
            """
        let result = JudgmentExtractor.extract(text)
        #expect(result.defendants.map(\.name) == ["甲某", "乙某"])
        let a = result.defendants[0]
        #expect(a.charges == ["盗窃罪"] && a.principalPenalty == "有期徒刑" && a.termMonths == 18 && a.fineYuan == 3_000 && a.probationMonths == nil)
        #expect(a.circumstances == [.recidivist], "the rejected 自首 opinion is not taken")
        let b = result.defendants[1]
        #expect(b.principalPenalty == "拘役" && b.termMonths == 5 && b.probationMonths == 6 && b.fineYuan == 2_000)
        #expect(b.circumstances == [.confession, .restitution, .forgiveness, .accessory])
        #expect(result.amountYuan == 12_000)
    }

    @Test("several charges combined: the decided term and fine count")
    func combined() {
        let text = """
            本院认为，被告人丙某无前科，可酌情从轻处罚。判决如下：被告人丙某犯盗窃罪，判处有期徒刑一年，并处罚金人民币二千元；犯诈骗罪，\
            判处有期徒刑六个月，并处罚金人民币一千元，决定执行有期徒刑一年三个月，并处罚金人民币三千元。如不服本判决……
            """
        let d = JudgmentExtractor.extract(text).defendants
        #expect(d.count == 1)
        #expect(d[0].charges == ["盗窃罪", "诈骗罪"] && d[0].termMonths == 15 && d[0].fineYuan == 3_000)
        #expect(d[0].circumstances == [.firstOffence], "无前科 is a first offence, not a prior record")
    }

    @Test("second-instance judgments name the appellant")
    func appeal() {
        let text = """
            本院认为，上诉人丁某如实供述犯罪事实。判决如下：一、撤销某某县人民法院（2018）某0101刑初1号刑事判决；            二、上诉人（原审被告人）丁某犯诈骗罪，判处有期徒刑三年，缓刑四年，并处罚金人民币二万元。本判决为终审判决。
            """
        let d = JudgmentExtractor.extract(text).defendants
        #expect(d.map(\.name) == ["丁某"])
        #expect(d.first?.termMonths == 36 && d.first?.probationMonths == 48 && d.first?.fineYuan == 20_000)
        let bare = JudgmentExtractor.extract("判决如下：一、维持原判定罪部分；二、戊某犯盗窃罪，判处有期徒刑一年。本判决为终审判决。").defendants
        #expect(bare.map(\.name) == ["戊某"] && bare.first?.termMonths == 12)
    }
}
