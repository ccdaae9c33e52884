import Foundation
import Testing

/// The similar-case library from the command line: import (with a bad line), search with its explanation, withdraw,
/// and the evaluation on a tiny labelled set written for the test in LeCaRD's form.
@Suite("tianping judgments, search and evaluate-retrieval", .serialized)
struct RetrievalCLITests {
    static func judgment(_ cid: String, _ court: String, _ facts: String, _ charge: String, _ term: String) -> String {
        let text = "\(court)刑事判决书（2019）皖1621刑初\(cid)号。公诉机关指控被告人犯罪。经审理查明，\(facts)本院认为，被告人的行为已构成\(charge)。"
            + "依照《中华人民共和国刑法》第二百六十四条之规定，判决如下：被告人某甲犯\(charge)，判处\(term)。"
        let object: [String: Any] = ["cid": cid, "ajName": "某甲\(charge)一案", "writName": "某甲\(charge)一审刑事判决书", "qw": text]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static let lines = [
        judgment("1", "安徽省涡阳县人民法院", "被告人某甲深夜撬开车库门，盗窃电动车一辆，价值人民币3200元。", "盗窃罪", "有期徒刑八个月"),
        judgment("2", "安徽省蒙城县人民法院", "被告人某甲在超市内趁人不备盗窃手机一部，价值人民币2500元。", "盗窃罪", "拘役五个月"),
        judgment("3", "江苏省南京市中级人民法院", "被告人某甲冒充银行工作人员，以办理贷款为名骗取被害人人民币八万元。", "诈骗罪", "有期徒刑四年"),
        "this line is not a judgment",
    ]

    @Test("import keeps judgments and quarantines the bad line; search explains each hit; withdraw removes it; the evaluation prints NDCG")
    func library() throws {
        let work = try TemporaryDirectory()
        let db = work.path("lib.sqlite")
        let docs = work.path("docs.jsonl")
        try Self.lines.joined(separator: "\n").write(toFile: docs, atomically: true, encoding: .utf8)

        let imported = try run(["judgments", "import", docs, "--database", db, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Int])
        #expect(summary["added"] == 3 && summary["quarantined"] == 1 && summary["lines"] == 4)
        let quarantine = try run(["quarantine", "list", "--database", db])
        #expect(quarantine.stdout.contains("docs.jsonl:4") && quarantine.stdout.contains("文书库导入"))

        let search = try run(["search", "--database", db, "--charge", "盗窃罪", "--limit", "2", "被告人夜间撬开车库门盗窃电动车"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.hasPrefix("1. 某甲盗窃罪一审刑事判决书  [lecard:1]"))
        #expect(search.stdout.contains("共同 罪名：盗窃罪") && search.stdout.contains("判决 某甲：盗窃罪，有期徒刑8个月"))
        #expect(search.stdout.contains("【车库】") || search.stdout.contains("【撬开车库门】"), "matched passages are marked: \(search.stdout)")
        #expect(!search.stdout.contains("lecard:3"), "two hits asked for, both thefts")

        let filtered = try run(["search", "--database", db, "--court-level", "intermediate", "--format", "json", "骗取钱款"])
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [[String: Any]])
        #expect(hits.map { $0["id"] as? String } == ["lecard:3"])

        #expect(try run(["judgments", "withdraw", "lecard:1", "--database", db]).stdout.contains("已撤回 1 篇"))
        let after = try run(["search", "--database", db, "--format", "json", "撬开车库门盗窃电动车"])
        #expect(!after.stdout.contains("lecard:1"))
        let shown = try run(["judgments", "show", "lecard:1", "--database", db])
        #expect(shown.stdout.contains("\"withdrawn\" : true") && shown.stdout.contains("\"courtLevel\" : \"basic\""))

        // Bad input: an empty query, an unknown judgment.
        let empty = try run(["search", "--database", db, "  "])
        #expect(empty.status != 0 && empty.stderr.contains("请给出案情文本"))
        #expect(try run(["judgments", "show", "lecard:99", "--database", db]).stderr.contains("文书库中没有 lecard:99"))

        // Evaluation on a labelled set in LeCaRD's form: the theft query's pool has both thefts relevant.
        try #"{"ridx": 7, "q": "被告人撬开车库门盗窃电动车一辆", "crime": ["盗窃罪"]}"#.write(toFile: work.path("q.jsonl"), atomically: true, encoding: .utf8)
        try #"{"7": {"1": 3, "2": 2}}"#.write(toFile: work.path("labels.json"), atomically: true, encoding: .utf8)
        try #"{"7": ["3", "2", "1"]}"#.write(toFile: work.path("pools.json"), atomically: true, encoding: .utf8)
        try Self.lines.prefix(3).joined(separator: "\n").write(toFile: work.path("eval.jsonl"), atomically: true, encoding: .utf8)
        let evaluation = try run(["evaluate-retrieval", "--queries", work.path("q.jsonl"), "--labels", work.path("labels.json"),
            "--pools", work.path("pools.json"), "--docs", work.path("eval.jsonl"), "--format", "json"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])
        let method = try #require(result["method"] as? [String: Any])
        #expect(method["ndcg30"] as? Double == 1.0, "the ideal order: 1, 2, then the fraud")
        #expect((result["randomFloor"] as? [String: Any])?["ndcg30"] as? Double ?? 1 < 1)
        #expect((result["parts"] as? [[String: Any]])?.count == 6)
    }

    static func cail(_ id: String, yuan: Int, months: Int) -> String {
        let object: [String: Any] = ["id": "cail2018-\(id)", "fact": "经审理查明，被告人某甲在超市内趁人不备盗窃他人手机，价值人民币\(yuan)元。",
            "meta": ["accusation": ["盗窃"], "relevant_articles": [264], "punish_of_money": 1000, "criminals": ["某甲"],
                     "term_of_imprisonment": ["death_penalty": false, "life_imprisonment": false, "imprisonment": months]]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("evaluate-sentencing --library scores three centres leave-one-out; sentence --facts-text shows comparable sentences from the store's library")
    func sentencingWithLibrary() throws {
        let work = try TemporaryDirectory()
        let file = work.path("cail.jsonl")
        let lines = [(1, 6), (2, 7), (3, 8), (4, 9), (5, 10), (6, 12)].map { Self.cail("a\($0.0)", yuan: 4000 + 100 * $0.0, months: $0.1) }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let evaluated = try run(["evaluate-sentencing", file, "--library", file, "--format", "json", "--cases", work.path("cases.jsonl")])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
        #expect(output["cases"] as? Int == 6 && output["library"] as? Int == 6)
        let report = try #require(output["report"] as? [String: Any])
        for centre in ["guideline", "comparables", "combined"] {
            #expect((report[centre] as? [String: Any])?["cases"] as? Int == 6, "\(centre)")
        }
        let perCase = try String(contentsOfFile: work.path("cases.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(perCase.count == 6)
        for line in perCase {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let own = "cail2018:" + (object["id"] as? String ?? "").replacingOccurrences(of: "cail2018-", with: "")
            let ids = ((object["comparables"] as? [String: Any])?["comparables"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            #expect(ids.count == 5 && !ids.contains(own) && ids.allSatisfy { $0.hasPrefix("cail2018:a") }, "leave-one-out: \(own) among \(ids)")
        }
        let text = try run(["evaluate-sentencing", file, "--library", file])
        #expect(text.stdout.contains("两者结合") && text.stdout.contains("可比判决中位数"))

        let db = work.path("lib.sqlite")
        #expect(try run(["judgments", "import", file, "--database", db]).status == 0)
        let sentence = try run(["sentence", "--crime", "盗窃罪", "--amount", "4300", "--database", db,
                                "--facts-text", "被告人在超市内趁人不备盗窃手机，价值人民币4300元。"])
        #expect(sentence.status == 0, "\(sentence.stderr)")
        #expect(sentence.stdout.contains("类案对照：同罪名、同量刑幅度的最相似判决 6 份"))
        #expect(sentence.stdout.contains("刑期中位数 8.5 个月") && sentence.stdout.contains("结合类案的中心"))
        let json = try run(["sentence", "--crime", "盗窃罪", "--amount", "4300", "--database", db, "--format", "json",
                            "--facts-text", "被告人在超市内趁人不备盗窃手机，价值人民币4300元。"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((parsed["combined"] as? [String: Any])?["basis"] as? String == "guidelineAndComparables")
        let blank = try run(["sentence", "--crime", "盗窃罪", "--amount", "4300", "--database", db, "--facts-text", "  "])
        #expect(blank.status != 0 && blank.stderr.contains("案情文本为空"))
        // Without facts, no store is opened: the command still works on a machine without a database.
        #expect(try run(["sentence", "--crime", "盗窃罪", "--amount", "4300", "--database", work.path("absent/none.sqlite")]).status == 0)
    }

    @Test("bench library generates, reads and indexes judgments and times queries, as JSON")
    func benchLibrary() throws {
        let result = try run(["bench", "library", "--judgments", "300", "--queries", "20", "--batch", "100"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(output["benchmark"] as? String == "library" && output["judgments"] as? Int == 300 && output["segments"] as? Int == 3)
        #expect((output["indexBytesPerJudgment"] as? Double ?? 0) > 0 && (output["queryP99Milliseconds"] as? Double ?? 0) > 0)
        #expect(try run(["bench", "library", "--judgments", "0"]).status != 0)
    }
}
