import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingExecution
import TianpingRules

/// Commutation and parole assistance over HTTP (减刑假释测算): the rule pack, the calculator with its cited trace, and the
/// workbench page — the counterpart of 量刑测算 for the execution stage. Read-only and about no stored case, so nothing
/// is audited; the permission is the one that reads risk findings.
struct CommutationRoutes: Sendable {
    let templates: Templates
    let calculator: CommutationCalculator

    struct RulesResponse: ResponseEncodable { var rules: CommutationRules }
    struct AssessResponse: ResponseEncodable { var assessment: CommutationAssessment }

    func register(on routes: SecureRoutes, v1: SecureRoutes) {
        v1.get("commutation/rules", .permission(.readFindings)) { _, _ in RulesResponse(rules: calculator.rules) }
        v1.post("commutation/assess", .permission(.readFindings)) { request, context in
            let query: CommutationQuery
            do { query = try await request.decode(as: CommutationQuery.self, context: context) } catch {
                throw APIFailure(.badRequest, code: "invalid_body",
                    message: "请求体应为 JSON：{\"sentence\", \"termMonths\", \"termStart\", \"executionStart\", \"categories\", \"commutations\", \"grounds\", \"proposal\" …}，日期写作 YYYY-MM-DD")
            }
            return try AssessResponse(assessment: try assess(query)).response(from: request, context: context)
        }
        routes.get("workbench/commutation", .permission(.readFindings)) { request, context in
            try page(request, context)
        }
    }

    func assess(_ query: CommutationQuery) throws -> CommutationAssessment {
        do { return try calculator.assess(query) } catch let e as CommutationError {
            throw APIFailure(.unprocessableContent, code: "commutation_input", message: e.description)
        }
    }

    // MARK: The page

    struct Page {
        var frame: Frame
        var form: Form
        var sentences: [SelectOption]
        var groundsOptions: [SelectOption]
        var categories: [CheckOption]
        var hasResult: Bool
        var result: Result?
        var problem: String
        var hasProblem: Bool
        var rulesVersion: String
        var sources: [String]
    }

    struct Form {
        var term: String
        var termStart: String
        var executionStart: String
        var judgmentEffective: String
        var reprieveExpired: String
        var reprieved25: Bool
        var commutations: String
        var propose: String
        var reduce: String
        var reduceTo: String
        var newCrimeFinal: String
        var newCrimeLife: Bool
    }

    struct Row { var label: String; var value: String }
    struct ProblemRow { var severity: String; var violation: Bool; var message: String; var citation: String; var grade: String }
    struct Step { var number: Int; var step: String; var detail: String; var citation: String; var grade: String }

    struct Result {
        var summary: [Row]
        var problems: [ProblemRow]
        var hasProblems: Bool
        var steps: [Step]
    }

    func page(_ request: Request, _ context: TianpingRequestContext) throws -> HTML {
        let principal = try context.requirePrincipal()
        let q = request.uri.formParameters
        func text(_ key: String) -> String { q[Substring(key)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
        var typed = CommutationForm()
        typed.sentence = text("sentence")
        typed.term = text("term")
        typed.termStart = text("termStart")
        typed.executionStart = text("executionStart")
        typed.judgmentEffective = text("judgmentEffective")
        typed.reprieveExpired = text("reprieveExpired")
        typed.reprievedToTwentyFiveYears = text("reprieved25") == "1"
        typed.categories = q.getAll("c").map { String($0) }
        typed.commutations = text("commutations").split(whereSeparator: \.isNewline).map(String.init)
        typed.grounds = text("grounds")
        typed.propose = text("propose")
        typed.reduce = text("reduce")
        typed.reduceTo = text("reduceTo")
        typed.newCrimeFinal = text("newCrimeFinal")
        typed.newCrimeLife = text("newCrimeLife") == "1"
        var result: Result?
        var error = ""
        if !typed.isEmpty {
            do { result = Self.result(try calculator.assess(try typed.query())) } catch let e as CommutationError { error = e.description }
        }
        let rules = calculator.rules
        let chosen = Set(typed.categories)
        let page = Page(frame: Frame("减刑假释测算", path: "/workbench/commutation", principal: principal, csrf: context.csrfToken),
            form: Form(term: typed.term, termStart: typed.termStart, executionStart: typed.executionStart, judgmentEffective: typed.judgmentEffective,
                reprieveExpired: typed.reprieveExpired, reprieved25: typed.reprievedToTwentyFiveYears, commutations: text("commutations"),
                propose: typed.propose, reduce: typed.reduce, reduceTo: typed.reduceTo, newCrimeFinal: typed.newCrimeFinal, newCrimeLife: typed.newCrimeLife),
            sentences: OriginalSentence.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.chineseName, selected: OriginalSentence(typed: typed.sentence) == $0)
            },
            groundsOptions: [SelectOption(value: "", label: "—", selected: typed.grounds.isEmpty)] + CommutationGrounds.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.chineseName, selected: CommutationGrounds(typed: typed.grounds) == $0)
            },
            categories: rules.categories.map { CheckOption(value: $0.id, label: $0.name, checked: chosen.contains($0.id)) },
            hasResult: result != nil, result: result, problem: error, hasProblem: !error.isEmpty,
            rulesVersion: "\(rules.title) \(rules.id)@\(rules.version)",
            sources: rules.sources.map { "\($0.title)（\($0.docNo)，\($0.inForce)施行，\($0.grade.rawValue)级）" })
        return try templates.render(page, "commutation")
    }

    static func result(_ a: CommutationAssessment) -> Result {
        let months = CommutationCalculator.months
        var rows = [Row(label: "刑罚", value: a.sentence)]
        if !a.categories.isEmpty { rows.append(Row(label: "罪犯类别", value: a.categories.joined(separator: "、"))) }
        rows.append(Row(label: "现行刑期", value: a.currentTerm + (a.currentEnd.map { "，至 \(ChineseDates.day($0)) 止" } ?? "")))
        if let f = a.floorEnd { rows.append(Row(label: "法定最低实际执行", value: "至少执行至 \(ChineseDates.day(f))（\(a.floorCitation)）")) }
        let n = a.next
        var next: String
        if !n.allowed {
            next = "不得减刑：\(n.reason ?? "")"
        } else {
            next = n.earliestReport.map { "最早 \(ChineseDates.day($0)) 报请" } ?? "起始、间隔不受限制"
            if n.startAndIntervalWaived { next += "（重大立功可不受起始、间隔限制）" }
            if let r = n.earliestReportRelaxed { next += "；从宽最早 \(ChineseDates.day(r))" }
            if let m = n.maxReductionMonths { next += "；一次最多减去\(months(m))" }
            if let r = n.reduceToMonths { next += "；可以减为\(months(r[0]))" + (r[1] > r[0] ? "至\(months(r[1]))" : "") + "有期徒刑" }
        }
        rows.append(Row(label: "下一次减刑", value: next))
        if !n.hearingRequired.isEmpty {
            rows.append(Row(label: "应当开庭审理", value: n.hearingRequired.joined(separator: "；") + "（刑诉法解释第五百三十八条）"))
        }
        rows.append(Row(label: "假释", value: a.parole.barred.isEmpty
            ? (a.parole.eligibleFrom.map { "\(ChineseDates.day($0)) 起可以假释" } ?? "—") + (a.parole.probation.map { "，考验期为\($0)" } ?? "")
            : a.parole.barred.joined(separator: "；")))
        let problems = a.problems.map {
            ProblemRow(severity: $0.severity.chineseName, violation: $0.severity == .violation, message: $0.message, citation: $0.citation, grade: $0.grade.rawValue)
        }
        return Result(summary: rows, problems: problems, hasProblems: !problems.isEmpty,
            steps: a.trace.enumerated().map { Step(number: $0.offset + 1, step: $0.element.step, detail: $0.element.detail, citation: $0.element.citation, grade: $0.element.grade.rawValue) })
    }
}
