import Foundation
import Testing
import TianpingText

@Suite("Chinese legal text: boundaries")
struct BoundaryTests {
    @Test("a numeral of the word before a sum is not part of it; approximations are marked")
    func moneyBoundaries() {
        func first(_ text: String) -> MoneyMention? { MoneyExtractor.mentions(in: text).first }
        #expect(first("退还李四五千元")?.yuan == 5_000)
        #expect(first("被害人李四3000元")?.yuan == 3_000)
        #expect(first("统一五千元")?.yuan == 5_000)
        #expect(first("到达地点500元")?.yuan == 500)
        let range = first("价值三四千元")
        #expect(range?.yuan == 4_000 && range?.approximate == true)
        let many = first("骗取十余万元")
        #expect(many?.yuan == 100_000 && many?.approximate == true)
        #expect(first("共计二十余万元")?.yuan == 200_000)
    }

    @Test("negation stays in its clause; the victim's age and 不区分主从犯 are not the defendant's circumstances")
    func negation() {
        let text = "本院认为，被告人庚某虽不构成自首，但能如实供述自己的罪行；被告人尚未赔偿被害人损失，被害人不予谅解；被害人系未成年人；"
            + "本案不区分主从犯。判决如下：被告人庚某犯故意伤害罪，判处有期徒刑一年。如不服本判决……"
        #expect(JudgmentExtractor.extract(text).defendants.first?.circumstances == [.confession])
    }

    @Test("numbered items end at the next one; a phrase after 被告人 is not a defendant")
    func items() {
        let numbered = JudgmentExtractor.extract(
            "判决如下：一、辛某犯盗窃罪，判处有期徒刑一年，并处罚金一千元；二、壬某犯诈骗罪，判处拘役三个月，并处罚金二千元。本判决为终审判决。")
        #expect(numbered.defendants.map(\.name) == ["辛某", "壬某"])
        #expect(numbered.defendants.first?.charges == ["盗窃罪"] && numbered.defendants.first?.fineYuan == 1_000)
        let phrase = JudgmentExtractor.extract("判决如下：一、被告人癸某的犯罪所得予以追缴；二、被告人癸某犯盗窃罪，判处有期徒刑六个月。如不服……")
        #expect(phrase.defendants.map(\.name) == ["癸某"])
        #expect(phrase.defendants.first?.termMonths == 6)
    }
}
