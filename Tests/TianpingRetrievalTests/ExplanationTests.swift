import Foundation
import Testing
import TianpingRetrieval
import TianpingText

@Suite("Why a judgment was retrieved")
struct ExplanationTests {
    @Test("shared charges, articles and circumstances; passages in text order with matched characters marked; a repeated sentence once")
    func explanation() {
        var judgment = Fixtures.theft
        // The court's findings repeat a sentence of the facts: it is shown once.
        judgment.text = judgment.text.replacingOccurrences(of: "案发后被告人张三如实供述。", with: "案发后被告人张三如实供述。撬开车库门盗窃电动车一辆。撬开车库门盗窃电动车一辆。")
        let reading = JudgmentReading(judgment)
        let query = SimilarCaseQuery(text: "被告人撬开车库门盗窃电动车，到案后如实供述。", charges: ["盗窃"])
        let explanation = SimilarityExplanation(query: query, judgment: judgment, reading: reading, queryArticles: [264, 303])
        #expect(explanation.sharedCharges == ["盗窃罪"])
        #expect(explanation.sharedArticles == [264])
        #expect(explanation.sharedCircumstances == [.confession])
        #expect(explanation.sentences == ["张三：盗窃罪，有期徒刑8个月，罚金3000元"])
        let texts = explanation.passages.map(\.text)
        #expect(texts.count == 3 && Set(texts).count == 3, "\(texts)")
        #expect(texts.contains("撬开车库门盗窃电动车一辆。"))
        let passage = explanation.passages.first { $0.text == "撬开车库门盗窃电动车一辆。" }!
        #expect(passage.fragments.first == SimilarityExplanation.Fragment(text: "撬开车库门盗窃电动车", matched: true))
        #expect(passage.fragments.last == SimilarityExplanation.Fragment(text: "一辆。", matched: false))
        // A query sharing nothing explains nothing.
        let unrelated = SimilarityExplanation(query: SimilarCaseQuery(text: "鲸鱼"), judgment: judgment, reading: reading)
        #expect(unrelated.passages.isEmpty && unrelated.sharedCharges.isEmpty && unrelated.sharedCircumstances.isEmpty)
    }

    @Test("a sentence stated by the source (CAIL2018) is described when the text has none")
    func statedSentence() {
        let judgment = LibraryJudgment(id: "cail2018:x", source: "cail2018", text: "被告人盗窃现金。", statedCharges: ["盗窃"],
            statedSentence: StatedSentence(termMonths: 18, fineYuan: 2000))
        let explanation = SimilarityExplanation(query: SimilarCaseQuery(text: "盗窃"), judgment: judgment, reading: JudgmentReading(judgment))
        #expect(explanation.sentences == ["有期徒刑或拘役1年6个月，罚金2000元"])
        let life = LibraryJudgment(id: "cail2018:y", source: "cail2018", text: "被告人抢劫。", statedSentence: StatedSentence(termMonths: 0, life: true))
        #expect(SimilarityExplanation(query: SimilarCaseQuery(text: "抢劫"), judgment: life, reading: JudgmentReading(life)).sentences == ["无期徒刑"])
    }
}
