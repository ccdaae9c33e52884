import TianpingRetrieval

/// Small judgments written for the tests (not taken from any corpus), in the shape of real first-instance judgments.
enum Fixtures {
    static func judgment(_ id: String, court: String = "安徽省涡阳县人民法院", number: String = "（2018）皖1621刑初101号", facts: String,
                         reasoning: String, decision: String, version: Int = 1) -> LibraryJudgment {
        let text = """
            \(court)刑事判决书\(number)公诉机关涡阳县人民检察院。被告人某甲，男，汉族。\
            涡阳县人民检察院指控被告人犯罪一案，本院依法组成合议庭公开开庭审理。经审理查明，\(facts)\
            本院认为，\(reasoning)判决如下：\(decision)如不服本判决，可在接到判决书的第二日起十日内上诉。审判长王某
            """
        return LibraryJudgment(id: "test:\(id)", version: version, source: "test", title: "\(id)刑事判决书", text: text)
    }

    static let theft = judgment("theft", facts: "2018年3月5日凌晨，被告人张三窜至涡阳县城关镇某小区，撬开车库门盗窃电动车一辆，价值人民币3200元。案发后被告人张三如实供述。",
        reasoning: "被告人张三以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成盗窃罪。被告人张三如实供述自己的罪行，依法可以从轻处罚。依照《中华人民共和国刑法》第二百六十四条、第六十七条第三款之规定，",
        decision: "被告人张三犯盗窃罪，判处有期徒刑八个月，并处罚金人民币3000元。")
    static let theftTwo = judgment("theft-two", number: "（2019）皖1621刑初202号",
        facts: "2019年1月，被告人李四在涡阳县某超市内趁人不备盗窃手机一部，价值人民币2500元，后被抓获。",
        reasoning: "被告人李四秘密窃取他人财物，数额较大，其行为已构成盗窃罪。依照《刑法》第264条之规定，",
        decision: "被告人李四犯盗窃罪，判处拘役五个月，并处罚金人民币2000元。")
    static let fraud = judgment("fraud", court: "江苏省南京市中级人民法院", number: "（2020）苏01刑初5号",
        facts: "被告人王五冒充银行工作人员，以办理贷款为名骗取被害人人民币80000元。",
        reasoning: "被告人王五以非法占有为目的，虚构事实骗取他人财物，数额巨大，其行为已构成诈骗罪。依照《中华人民共和国刑法》第二百六十六条之规定，",
        decision: "被告人王五犯诈骗罪，判处有期徒刑四年，并处罚金人民币40000元。")
    static let drugs = judgment("drugs", number: "（2018）皖1621刑初303号",
        facts: "被告人赵六在涡阳县城关镇向他人贩卖甲基苯丙胺0.5克，得款人民币300元。",
        reasoning: "被告人赵六贩卖毒品，其行为已构成贩卖毒品罪。依照《中华人民共和国刑法》第三百四十七条之规定，",
        decision: "被告人赵六犯贩卖毒品罪，判处有期徒刑八个月，并处罚金人民币2000元。")

    static let all = [theft, theftTwo, fraud, drugs]

    static func indexed(_ judgments: [LibraryJudgment]) -> [IndexedJudgment] {
        judgments.map { IndexedJudgment($0, reading: JudgmentReading($0)) }
    }
}
