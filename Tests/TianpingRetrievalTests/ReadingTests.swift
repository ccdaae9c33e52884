import Foundation
import Testing
import TianpingRetrieval
import TianpingText

@Suite("Reading judgments for the library")
struct ReadingTests {
    @Test("terms: bigrams of Chinese runs, a lone character alone, Latin words and numbers folded")
    func terms() {
        #expect(TermEncoder.terms(of: "盗窃罪").count == 2)
        #expect(TermEncoder.terms(of: "盗").count == 1)
        // 盗窃 and 窃盗 are different bigrams; punctuation breaks a run (no bigram 窃，).
        #expect(Set(TermEncoder.terms(of: "盗窃")) != Set(TermEncoder.terms(of: "窃盗")))
        #expect(TermEncoder.terms(of: "盗窃，抢劫").count == 2)
        // Full-width and upper-case forms are the same word as the ASCII lower-case form.
        #expect(TermEncoder.terms(of: "ＫＴＶ") == TermEncoder.terms(of: "ktv"))
        #expect(TermEncoder.terms(of: "3200元") == TermEncoder.terms(of: "３２００") + TermEncoder.terms(of: "元"))
        #expect(TermEncoder.terms(of: "").isEmpty)
        #expect(TermEncoder.terms(of: "×××，。").isEmpty)
    }

    @Test("sections, charges, articles, court, level, province, case number and year are read from the text")
    func reading() {
        let judgment = Fixtures.theft
        let reading = JudgmentReading(judgment)
        let facts = JudgmentReading.section(reading.facts, of: judgment.text)
        #expect(facts.hasPrefix("经审理查明"))
        #expect(facts.contains("盗窃电动车") && !facts.contains("本院认为"))
        #expect(JudgmentReading.section(reading.reasoning, of: judgment.text).hasPrefix("本院认为"))
        #expect(reading.charges == ["盗窃罪"])
        #expect(reading.articles == [67, 264])
        #expect(reading.court == "安徽省涡阳县人民法院")
        #expect(reading.courtLevel == .basic)
        #expect(reading.province == "安徽省")
        #expect(reading.caseNumber == "（2018）皖1621刑初101号")
        #expect(reading.year == 2018)
        #expect(reading.defendants.first?.termMonths == 8)
        #expect(reading.circumstances.contains(.confession))
        #expect(JudgmentReading(Fixtures.theftTwo).articles == [264])
        #expect(JudgmentReading(Fixtures.fraud).courtLevel == .intermediate)
    }

    @Test("a text without sections is all facts; stated charges fill what the text does not say")
    func factsOnly() {
        let judgment = LibraryJudgment(id: "cail2018:1", source: "cail2018", text: "公诉机关指控，被告人某某盗窃现金500元。", statedCharges: ["盗窃"],
            statedArticles: [264])
        let reading = JudgmentReading(judgment)
        #expect(reading.facts == [0, judgment.text.utf8.count])
        #expect(reading.reasoning.isEmpty)
        #expect(reading.charges == ["盗窃罪"])
        #expect(reading.articles == [264])
        #expect(reading.court == nil && reading.year == nil)
    }

    @Test("charge names: equal without 罪; a selective name covers the acts it lists; plain names only match equal ones")
    func charges() {
        #expect(ChargeName.matches("盗窃罪", "盗窃"))
        #expect(ChargeName.matches("走私、贩卖、运输、制造毒品罪", "贩卖毒品罪"))
        #expect(ChargeName.matches("掩饰、隐瞒犯罪所得、犯罪所得收益罪", "掩饰、隐瞒犯罪所得罪"))
        #expect(ChargeName.matches("非法持有、私藏枪支、弹药罪", "非法持有枪支罪"))
        #expect(!ChargeName.matches("盗窃罪", "抢夺罪"))
        #expect(!ChargeName.matches("故意伤害罪", "故意杀人罪"))
        #expect(!ChargeName.matches("罪", ""))
        #expect(ChargeName.recall(of: ["盗窃罪", "诈骗罪"], in: ["盗窃罪"]) == 0.5)
        #expect(ChargeName.recall(of: [], in: ["盗窃罪"]) == 0)
    }

    @Test("import lines: LeCaRD and CAIL2018 forms are recognised; a bad line says why")
    func importLines() throws {
        let lecard = try JudgmentImport.judgment(fromLine: Data(#"{"cid": "13", "ajName": "某盗窃一案", "writName": "某盗窃一审刑事判决书", "qw": "正文"}"#.utf8))
        #expect(lecard.id == "lecard:13" && lecard.source == "lecard" && lecard.title == "某盗窃一审刑事判决书" && lecard.text == "正文")
        let cail = try JudgmentImport.judgment(fromLine: Data(#"""
            {"id": "cail2018-ab12", "fact": "被告人盗窃。", "meta": {"relevant_articles": [264], "accusation": ["盗窃"], "punish_of_money": 1000,
             "criminals": ["某"], "term_of_imprisonment": {"death_penalty": false, "imprisonment": 6, "life_imprisonment": false}}}
            """#.utf8))
        #expect(cail.id == "cail2018:ab12" && cail.statedCharges == ["盗窃"] && cail.statedArticles == [264])
        #expect(cail.statedSentence == StatedSentence(termMonths: 6, fineYuan: 1000))
        #expect(throws: JudgmentImport.LineError.notJSON) { try JudgmentImport.judgment(fromLine: Data("not json".utf8)) }
        #expect(throws: JudgmentImport.LineError.unknownForm) { try JudgmentImport.judgment(fromLine: Data(#"{"a": 1}"#.utf8)) }
        #expect(throws: JudgmentImport.LineError.emptyText) { try JudgmentImport.judgment(fromLine: Data(#"{"cid": "1", "qw": "  "}"#.utf8)) }
        #expect(throws: JudgmentImport.LineError.missing("qw")) { try JudgmentImport.judgment(fromLine: Data(#"{"cid": "1"}"#.utf8)) }
    }
}
