import Foundation
import Testing

/// `tianping commutation` as a prison's legal officer or a procurator would run it.
@Suite("tianping commutation")
struct CommutationCLITests {
    @Test("a recidivist's proposal: the earliest day, the cap, the breaches and parole, as text and as JSON; bad input is refused")
    func proposal() throws {
        let options = ["commutation", "--sentence", "有期徒刑", "--term", "8年", "--term-start", "2020-01-01", "--execution-start", "2020-03-10",
            "--category", "recidivist", "--commutation", "2022-05-03 2022-05-09 9个月", "--grounds", "悔改", "--propose", "2023-04-01", "--reduce", "1年"]
        let text = try run(options)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("下一次减刑：最早 2023-05-09 报请；一次最多减去9个月"))
        #expect(text.stdout.contains("【违反规定】减刑间隔时间不足"))
        #expect(text.stdout.contains("假释：累犯，不得假释"))
        let json = try run(options + ["--format", "json"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((body["problems"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["interval_too_short", "reduction_too_large"])
        #expect(body["floorEnd"] as? String == "2023-12-31")

        let bad = try run(["commutation", "--sentence", "有期徒刑", "--term", "8年", "--execution-start", "2020-03-10", "--commutation", "2019-01-01 2019-01-02 3个月"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("早于刑罚开始执行"))
        let list = try run(["commutation", "--list"])
        #expect(list.stdout.contains("recidivist\t累犯") && list.stdout.contains("法释〔2016〕23号第六条"))
    }
}
