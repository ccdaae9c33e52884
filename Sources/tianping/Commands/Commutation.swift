import ArgumentParser
import Foundation
import TianpingCore
import TianpingExecution
import TianpingRules

/// `tianping commutation`: the earliest lawful commutation, its largest size, the statutory floor and parole, for one
/// prisoner, each number with the rule it rests on; with a proposal, what is wrong with it.
struct CommutationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commutation",
        abstract: "减刑假释测算：依减刑、假释规则包计算最早报请日期、最大减刑幅度、法定最低实际执行期限和假释条件，并审查报请",
        discussion: """
            Example: tianping commutation --sentence 有期徒刑 --term 8年 --term-start 2020-01-01 --execution-start 2020-03-10 --grounds 悔改
                     tianping commutation --sentence 无期徒刑 --execution-start 2018-05-01 --judgment-effective 2018-04-20 \\
                         --category organisedCrime --commutation "2021-06-01 2021-06-08 减为22年" --grounds 悔改 --format json
                     tianping commutation --sentence 有期徒刑 --term 96 --term-start 2020-01-01 --execution-start 2020-03-10 \\
                         --propose 2021-08-01 --reduce 10个月 --grounds 悔改
                     tianping commutation --input query.json      (the API's JSON body; - reads standard input)
                     tianping commutation --list
            Categories (--category, repeatable) make the rules stricter: recidivist, dutyCrime, violentCrime … (--list).
            """)

    @Option(help: "有期徒刑, 拘役, 管制, 无期徒刑 or 死缓 (or fixedTerm, criminalDetention, publicSurveillance, life, deathReprieve).")
    var sentence: String?
    @Option(help: "The pronounced term: 96, 8年, 1年6个月.") var term: String?
    @Option(help: "First day of the term with custody credited (YYYY-MM-DD).") var termStart: String?
    @Option(help: "判决执行之日: the day the prisoner was delivered to the prison (YYYY-MM-DD).") var executionStart: String?
    @Option(help: "Life: the day the judgment took effect (YYYY-MM-DD).") var judgmentEffective: String?
    @Option(help: "Death with reprieve: the day the two years ran out (YYYY-MM-DD).") var reprieveExpired: String?
    @Flag(help: "Death with reprieve reduced straight to 25 years (major meritorious service).") var reprievedToTwentyFiveYears = false
    @Option(help: "A category id (repeatable): recidivist, dutyCrime, violentCrime, formerOfficialCorruption … (--list).")
    var category: [String] = []
    @Option(help: "An earlier commutation (repeatable): \"ruled served cut\", e.g. \"2022-05-03 2022-05-09 9个月\" or \"… 减为22年\".")
    var commutation: [String] = []
    @Option(help: "Grounds: 悔改, 立功, 悔改+立功, 重大立功, 悔改+重大立功 (or repentance, merit …).") var grounds: String?
    @Option(help: "A proposal's report date (YYYY-MM-DD), to check it.") var propose: String?
    @Option(help: "The proposal's cut: 9, 9个月, 1年.") var reduce: String?
    @Option(help: "The proposal's new term for a life sentence: 22年.") var reduceTo: String?
    @Option(help: "A new intentional crime during the sentence: the day its judgment became final (YYYY-MM-DD).") var newCrimeFinal: String?
    @Flag(help: "The new crime's sentence was life imprisonment.") var newCrimeLife = false
    @Option(help: "A JSON query (the API's body) instead of the options above; - reads standard input.") var input: String?
    @Option(help: "A province's rule file (JSON); default: the bundled national rules.") var rules: String?
    @Option(help: "Output format: text or json.") var format = "text"
    @Flag(help: "List the categories and the rule rows with their sources.") var list = false

    func run() throws {
        let rules = try loadRules()
        if list {
            for c in rules.categories { print("\(c.id)\t\(c.name)") }
            print("")
            for s in rules.schedules { print("\(s.id)\t\(s.citation)\t\(s.grade.rawValue)级") }
            return
        }
        let assessment = try CommutationCalculator(rules: rules).assess(try query())
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(assessment), as: UTF8.self))
        } else {
            print(Self.text(assessment), terminator: "")
        }
    }

    func loadRules() throws -> CommutationRules {
        guard let rules else { return try CommutationRules.bundled() }
        guard let data = FileManager.default.contents(atPath: rules) else { throw ValidationError("找不到减刑假释规则文件：\(rules)") }
        return try CommutationRules.load(data)
    }

    func query() throws -> CommutationQuery {
        if let input {
            let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: input)
            guard let data else { throw ValidationError("找不到查询文件：\(input)") }
            do { return try JSONDecoder().decode(CommutationQuery.self, from: data) } catch {
                throw ValidationError("查询文件不是有效的 JSON：\(error)")
            }
        }
        var form = CommutationForm()
        form.sentence = sentence ?? ""
        form.term = term ?? ""
        form.termStart = termStart ?? ""
        form.executionStart = executionStart ?? ""
        form.judgmentEffective = judgmentEffective ?? ""
        form.reprieveExpired = reprieveExpired ?? ""
        form.reprievedToTwentyFiveYears = reprievedToTwentyFiveYears
        form.categories = category
        form.commutations = commutation
        form.grounds = grounds ?? ""
        form.propose = propose ?? ""
        form.reduce = reduce ?? ""
        form.reduceTo = reduceTo ?? ""
        form.newCrimeFinal = newCrimeFinal ?? ""
        form.newCrimeLife = newCrimeLife
        do { return try form.query() } catch let e as CommutationError { throw ValidationError(e.description) }
    }

    /// The assessment as a supervisor reads it: the answer first, then each step with its source.
    static func text(_ a: CommutationAssessment) -> String {
        var out = "刑罚：\(a.sentence)\n"
        if !a.categories.isEmpty { out += "类别：\(a.categories.joined(separator: "、"))\n" }
        out += "现行刑期：\(a.currentTerm)" + (a.currentEnd.map { "，至 \($0) 止" } ?? "") + "\n"
        if let f = a.floorEnd { out += "法定最低实际执行：至少至 \(f)（\(a.floorCitation)）\n" }
        let n = a.next
        if !n.allowed {
            out += "下一次减刑：不得减刑（\(n.reason ?? "")）\n"
        } else {
            out += "下一次减刑：" + (n.earliestReport.map { "最早 \($0) 报请" } ?? "起始、间隔不受限制")
            if n.startAndIntervalWaived { out += "（重大立功可不受起始、间隔限制）" }
            if let r = n.earliestReportRelaxed { out += "；从宽最早 \(r)" }
            if let m = n.maxReductionMonths { out += "；一次最多减去\(CommutationCalculator.months(m))" }
            if let r = n.reduceToMonths { out += "；可以减为\(CommutationCalculator.months(r[0]))" + (r[1] > r[0] ? "至\(CommutationCalculator.months(r[1]))" : "") }
            out += "\n"
        }
        if !n.hearingRequired.isEmpty { out += "应当开庭审理：\(n.hearingRequired.joined(separator: "；"))（刑诉法解释第五百三十八条）\n" }
        if a.parole.barred.isEmpty {
            out += "假释：" + (a.parole.eligibleFrom.map { "\($0) 起可以假释" } ?? "—") + (a.parole.probation.map { "，考验期为\($0)" } ?? "") + "\n"
        } else {
            out += "假释：\(a.parole.barred.joined(separator: "；"))\n"
        }
        for p in a.problems { out += "【\(p.severity.chineseName)】\(p.message)（\(p.citation)，\(p.grade.rawValue)级）\n" }
        out += "\n计算过程（规则包 \(a.rulesVersion)）：\n"
        for (i, s) in a.trace.enumerated() { out += "\(i + 1). \(s.step)：\(s.detail)（\(s.citation)，\(s.grade.rawValue)级）\n" }
        return out
    }
}
