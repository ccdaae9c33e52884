import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingRetrieval
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingText

/// Sentencing assistance over HTTP: the knowledge graph, the calculator with its trace, each judgment of a case measured
/// against its estimate, and the workbench page that shows the trace (量刑测算). Read-only; a case's judgments follow the
/// caller's data scope and the reading is audited like the case's findings.
struct SentencingRoutes: Sendable {
    let store: TianpingStore
    let templates: Templates
    let calculator: SentencingCalculator
    /// The similar-case index: with a case's facts, the sentences of comparable judgments are shown beside the range.
    let library: LibraryIndexHolder

    struct EstimateRequest: Decodable {
        var crime: String
        var facts: SentencingFacts?
        var circumstances: [String]?
        var decidedOn: String?
        var actualMonths: Double?
        /// The case's facts as text, for comparable judgments (optional).
        var caseFacts: String?
    }

    struct EstimateResponse: ResponseEncodable {
        var estimate: SentencingEstimate
        var deviation: Deviation?
        var comparables: ComparableSentences?
        var combined: CombinedEstimate?
    }

    /// The comparables of `estimate` among the library's judgments most similar to `facts`.
    func compare(_ estimate: SentencingEstimate, facts: String) async throws -> (comparables: ComparableSentences, combined: CombinedEstimate?) {
        let snapshot = try await library.current(store)
        let similar = try await store.similarJudgments(ComparableSentencing.query(facts: facts, charges: [estimate.crime]), in: snapshot,
                                                       limit: ComparableSentencing.searched)
        return ComparableSentencing(calculator: calculator).compare(estimate, facts: facts, similar: similar)
    }

    struct JudgmentMeasure: Encodable {
        var defendant: String
        var caseNumber: String
        var court: String
        var decidedOn: String
        var charges: [String]
        var principalPenalty: String
        var termMonths: Int?
        var estimate: SentencingEstimate?
        var deviation: Deviation?
        /// Why there is no estimate (an unknown charge, several charges, no term).
        var note: String?
    }

    struct CaseSentencing: ResponseEncodable {
        var caseID: String
        var judgments: [JudgmentMeasure]
    }

    struct GraphSummary: ResponseEncodable {
        var id: String
        var version: String
        var title: String
        var docNo: String
        var inForce: String
        var discretion: Double
        var crimes: [SentencingGraph.CrimeRule]
        var circumstances: [SentencingGraph.CircumstanceRule]
        var assumptions: [SentencingGraph.Assumption]
        var confirmations: [SentencingGraph.Confirmation]
    }

    func register(on routes: SecureRoutes, v1: SecureRoutes) {
        v1.get("sentencing/graph", .permission(.readFindings)) { _, _ in
            let g = calculator.graph
            return GraphSummary(id: g.id, version: g.version, title: g.title, docNo: g.docNo, inForce: g.inForce.description,
                discretion: g.discretion, crimes: g.crimes, circumstances: g.circumstances, assumptions: g.assumptions,
                confirmations: g.confirmations)
        }
        v1.post("sentencing/estimate", .permission(.readFindings)) { request, context in
            let body: EstimateRequest
            do { body = try await request.decode(as: EstimateRequest.self, context: context) } catch {
                throw APIFailure(.badRequest, code: "invalid_body", message: "请求体应为 JSON：{\"crime\", \"facts\", \"circumstances\", \"decidedOn\", \"actualMonths\", \"caseFacts\"}；伤害后果为 minor、serious 或 death")
            }
            let input = try input(body)
            let estimate = try estimateOrFail(input)
            if let actual = body.actualMonths, !Self.plausibleMonths(actual) {
                throw APIFailure(.badRequest, code: "invalid_months", message: "actualMonths 应为 0 到 600 之间的月数")
            }
            var comparison: (comparables: ComparableSentences, combined: CombinedEstimate?)?
            if let facts = body.caseFacts {
                guard !facts.allSatisfy(\.isWhitespace), facts.utf8.count <= JudgmentLibraryAPI.maximumQueryBytes else {
                    throw APIFailure(.badRequest, code: "invalid_case_facts",
                        message: "caseFacts 应为非空的案情文本，最多 \(JudgmentLibraryAPI.maximumQueryBytes) 字节")
                }
                comparison = try await compare(estimate, facts: facts)
            }
            return try EstimateResponse(estimate: estimate, deviation: body.actualMonths.map { calculator.deviation(of: $0, from: estimate) },
                comparables: comparison?.comparables, combined: comparison?.combined)
                .response(from: request, context: context)
        }
        v1.get("cases/:id/sentencing", .permission(.readFindings)) { _, context -> CaseSentencing in
            try await caseSentencing(try context.parameters.require("id"), context)
        }
        routes.get("workbench/sentencing", .permission(.readFindings)) { request, context in
            try await page(request, context)
        }
    }

    /// A term a court could pronounce (up to 25 years of combined terms, with room).
    static func plausibleMonths(_ m: Double) -> Bool { m.isFinite && m >= 0 && m <= 600 }

    func input(_ body: EstimateRequest) throws -> SentencingInput {
        var day: CalendarDate?
        if let d = body.decidedOn {
            guard let parsed = CalendarDate(d) else {
                throw APIFailure(.badRequest, code: "invalid_date", message: "decidedOn 应为 YYYY-MM-DD：\(d)")
            }
            day = parsed
        }
        return SentencingInput(crime: body.crime, facts: body.facts ?? SentencingFacts(), circumstances: body.circumstances ?? [], decidedOn: day)
    }

    func estimateOrFail(_ input: SentencingInput) throws -> SentencingEstimate {
        do { return try calculator.estimate(input) } catch let e as SentencingError {
            throw APIFailure(.unprocessableContent, code: "sentencing_input", message: e.description)
        }
    }

    func caseSentencing(_ id: String, _ context: TianpingRequestContext) async throws -> CaseSentencing {
        guard let principal = context.principal, try await store.caseVisible(id, scope: principal.scope) else {
            throw APIFailure(.notFound, code: "case_not_found", message: "案件 \(id) 不存在或不在您的数据权限范围内")
        }
        try await store.audit(AuditEntry(principal, .readCaseFindings, at: context.now.secondsSinceEpoch, target: "sentencing", caseID: id,
            address: context.address))
        let judgments = try await store.timelines(for: [id]).first?.judgments ?? []
        // A judgment's free text (its circumstances, its case number) reaches the trace and the notes: masked with the
        // case's persons like the case's own page. The estimate is made on the judgments as stored.
        let text = try await store.freeTextMaskers(forCases: [id])[id] ?? .patterns
        return CaseSentencing(caseID: id, judgments: judgments.map { Self.masked(measure($0, among: judgments), text) })
    }

    /// Every text of a measure passed through the case's masker; numbers and the graph's own names pass unchanged.
    static func masked(_ m: JudgmentMeasure, _ text: FreeTextMasker) -> JudgmentMeasure {
        var m = m
        m.caseNumber = text(m.caseNumber)
        m.charges = m.charges.map { text($0) }
        m.note = text(m.note)
        if var e = m.estimate {
            e.notCounted = e.notCounted.map { text($0) }
            e.notAlertableBecause = e.notAlertableBecause.map { text($0) }
            e.assumptions = e.assumptions.map { text($0) }
            e.trace = e.trace.map { var step = $0; step.detail = text(step.detail); step.step = text(step.step); return step }
            e.circumstances = e.circumstances.map { var c = $0; c.name = text(c.name); c.basis = text(c.basis); return c }
            m.estimate = e
        }
        if var d = m.deviation {
            d.summary = text(d.summary)
            d.explanations = d.explanations.map { text($0) }
            m.deviation = d
        }
        return m
    }

    func measure(_ j: Judgment, among judgments: [Judgment]) -> JudgmentMeasure {
        var m = JudgmentMeasure(defendant: j.defendant, caseNumber: j.caseNumber, court: j.court, decidedOn: j.decidedAt.localDate.description,
            charges: j.charges, principalPenalty: j.principalPenalty.chineseName, termMonths: j.termMonths)
        guard let term = j.termMonths, [.fixedTermImprisonment, .criminalDetention].contains(j.principalPenalty) else {
            m.note = "仅对有期徒刑、拘役测算"
            return m
        }
        do {
            let e = try calculator.estimate(judgment: j, among: judgments)
            m.estimate = e
            m.deviation = calculator.deviation(of: Double(term), from: e)
        } catch {
            m.note = "\(error)"
        }
        return m
    }

    // MARK: The page

    struct Page {
        var frame: Frame
        var form: Form
        var crimes: [SelectOption]
        var circumstances: [CheckOption]
        var injuries: [SelectOption]
        var hasResult: Bool
        var results: [Result]
        /// Not `error`: the layout's frame has an optional `error`, and mustache would find this one when that is nil.
        var problem: String
        var hasProblem: Bool
        var graphVersion: String
        var assumptions: [AssumptionRow]
        /// The facts the chosen crime is measured by; every field until a crime is chosen.
        var fields: Fields
    }

    struct Fields {
        var amount: Bool
        var drug: Bool
        var injury: Bool
        var bloodAlcohol: Bool
        var chosen: Bool

        init(_ crime: SentencingGraph.CrimeRule?) {
            let m = crime?.measure
            chosen = crime != nil
            amount = m == nil || m == .amount
            drug = m == nil || m == .drug
            injury = m == nil || m == .injury
            bloodAlcohol = m == nil || m == .bloodAlcohol
        }
    }

    struct Form {
        var amount: String
        var drug: String
        var drugGrams: String
        var bloodAlcohol: String
        var cues: String
        var decided: String
        var actual: String
        var caseFacts: String
    }

    struct AssumptionRow { var id: String; var text: String }

    struct Result {
        var heading: String
        var steps: [Step]
        var range: String
        var hasRange: Bool
        var alert: String
        var deviation: String
        var hasDeviation: Bool
        var explanations: [String]
        var flagged: Bool
        var comparison: Comparison?
    }

    /// 类案对照 on the page: the distribution, the combined centre, and each comparable linked to its judgment.
    struct Comparison {
        var summary: String
        var combined: String
        var hasCombined: Bool
        var rows: [ComparableRow]
        var hasRows: Bool
    }

    struct ComparableRow { var rank: Int; var id: String; var href: String; var label: String; var outcome: String }

    static func comparison(_ c: ComparableSentences, _ combined: CombinedEstimate?) -> Comparison {
        Comparison(summary: c.summary,
            combined: combined.map { "结合类案的中心：\($0.outcome.chineseDescription)（\($0.explanation)）" } ?? "",
            hasCombined: combined != nil,
            rows: c.comparables.map {
                ComparableRow(rank: $0.rank, id: $0.id, href: SimilarCasePages.judgmentHref($0.id),
                    label: $0.court == nil && $0.caseNumber == nil ? ($0.title ?? $0.id) : [$0.court, $0.caseNumber].compactMap { $0 }.joined(separator: " "),
                    outcome: $0.outcome.chineseDescription)
            },
            hasRows: !c.comparables.isEmpty)
    }

    struct Step { var number: Int; var step: String; var detail: String; var citation: String; var grade: String; var range: String }

    func page(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try context.requirePrincipal()
        let q = request.uri.formParameters
        func text(_ key: String) -> String { q[Substring(key)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
        let chosen = Set(q.getAll("c").map { String($0) })
        let crime = text("crime")
        let injury = text("injury")
        let form = Form(amount: text("amount"), drug: text("drug"), drugGrams: text("drugGrams"), bloodAlcohol: text("bloodAlcohol"),
            cues: text("cues"), decided: text("decided"), actual: text("actual"), caseFacts: text("caseFacts"))
        var results: [Result] = []
        var error = ""
        let caseID = text("case")
        if !caseID.isEmpty {
            do {
                for m in try await caseSentencing(caseID, context).judgments {
                    let heading = "\(m.caseNumber) \(m.charges.joined(separator: "、")) 判处\(m.principalPenalty)" + (m.termMonths.map { SentencingCalculator.months(Double($0)) } ?? "")
                    if let e = m.estimate { results.append(result(heading, e, m.deviation)) } else {
                        results.append(Result(heading: heading, steps: [], range: "", hasRange: false, alert: m.note ?? "", deviation: "", hasDeviation: false,
                            explanations: [], flagged: false, comparison: nil))
                    }
                }
                if results.isEmpty { error = "案件 \(caseID) 没有判决记录" }
            } catch let failure as APIFailure { error = failure.message }
        } else if !crime.isEmpty {
            func number(_ key: String, _ label: String) -> Double? {
                let t = text(key)
                guard !t.isEmpty else { return nil }
                guard let v = Self.quantity(t), v >= 0 else { error = "\(label)无法识别：“\(t)”（可写 26800、26,800、2.68万或二万六千八百）"; return nil }
                return v
            }
            let facts = SentencingFacts(amountYuan: number("amount", "犯罪数额"), drugGrams: number("drugGrams", "毒品数量"),
                drug: form.drug.isEmpty ? nil : form.drug, injury: Injury(rawValue: injury), bloodAlcohol: number("bloodAlcohol", "血液酒精含量"),
                cues: form.cues.split(whereSeparator: { ",，、 ".contains($0) }).map(String.init))
            var actual: Double?
            if !form.actual.isEmpty {
                actual = Self.termMonths(form.actual)
                if actual == nil { error = "实际刑期无法识别：“\(form.actual)”（可写 20、20个月或1年8个月）" }
            }
            if let a = actual, !Self.plausibleMonths(a) { error = "实际刑期应为 0 到 600 之间的月数" }
            let day = form.decided.isEmpty ? nil : ChineseDates.parseDay(form.decided)
            if !form.decided.isEmpty, day == nil { error = "判决日期无法识别：“\(form.decided)”（可写 2023年5月6日或2023-05-06）" }
            if error.isEmpty {
                do {
                    let e = try calculator.estimate(SentencingInput(crime: crime, facts: facts, circumstances: chosen.sorted(), decidedOn: day))
                    var shown = result(e.crime, e, actual.map { calculator.deviation(of: $0, from: e) })
                    if !form.caseFacts.isEmpty {
                        if form.caseFacts.utf8.count > JudgmentLibraryAPI.maximumQueryBytes {
                            error = "案情文本过长（最多 \(JudgmentLibraryAPI.maximumQueryBytes) 字节）：请只给出事实部分"
                        } else {
                            let found = try await compare(e, facts: form.caseFacts)
                            shown.comparison = Self.comparison(found.comparables, found.combined)
                        }
                    }
                    results.append(shown)
                } catch let e as SentencingError { error = e.description }
            }
        }
        let g = calculator.graph
        let page = Page(frame: Frame("量刑测算", path: "/workbench/sentencing", principal: principal, csrf: context.csrfToken),
            form: form,
            crimes: g.crimes.map { SelectOption(value: $0.name, label: "\($0.name)（第\($0.article)条）" + ($0.statutoryOnly == true ? "·仅法定刑" : ""), selected: $0.name == crime) },
            circumstances: g.circumstances.map { CheckOption(value: $0.id, label: $0.name, checked: chosen.contains($0.id)) }
                + [CheckOption(value: "赔偿", label: "积极赔偿（与“谅解”合并评价）", checked: chosen.contains("赔偿")),
                   CheckOption(value: "谅解", label: "取得谅解", checked: chosen.contains("谅解"))],
            injuries: [SelectOption(value: "", label: "—", selected: injury.isEmpty)] + Injury.allCases.map { SelectOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == injury) },
            hasResult: !results.isEmpty, results: results, problem: error, hasProblem: !error.isEmpty,
            graphVersion: "\(g.title)（\(g.docNo)，\(g.inForce)施行）· 图谱 \(g.id)@\(g.version)",
            assumptions: g.assumptions.map { AssumptionRow(id: $0.id, text: $0.text) },
            fields: Fields(crime.isEmpty ? nil : g.crime(named: crime)))
        return try templates.render(page, "sentencing")
    }

    func result(_ heading: String, _ e: SentencingEstimate, _ d: Deviation?) -> Result {
        let steps = e.trace.enumerated().map { i, s in
            Step(number: i + 1, step: s.step, detail: s.detail, citation: s.citation, grade: s.grade.rawValue,
                range: s.range.map { "\(SentencingCalculator.months($0.lower))～\(SentencingCalculator.months($0.upper))（中心\(SentencingCalculator.months($0.centre))）" } ?? "—")
        }
        return Result(heading: heading, steps: steps,
            range: "\(SentencingCalculator.months(e.expected.lower))～\(SentencingCalculator.months(e.expected.upper))，中心\(SentencingCalculator.months(e.expected.centre))",
            hasRange: true,
            alert: e.alertable ? "可据以提示复核" : "不据以预警：" + e.notAlertableBecause.joined(separator: "；"),
            deviation: d.map { "实际刑期\(SentencingCalculator.months($0.actualMonths))：\($0.summary)" + ($0.beyondAlertBounds ? "，超出预警边界" : "") } ?? "",
            hasDeviation: d != nil, explanations: d?.explanations ?? [], flagged: d?.beyondAlertBounds ?? false, comparison: nil)
    }

    // MARK: Reading what a person types

    /// A quantity as judgments and people write it: `26800`, `26,800`, `2.68万`, `二万六千八百`, with or without its
    /// unit (元, 人民币, 克, mg/100ml).
    static func quantity(_ typed: String) -> Double? {
        var t = typed.trimmingCharacters(in: .whitespaces)
        for unit in ["人民币", "mg/100ml", "毫克/100毫升", "毫克", "元", "克", "g"] {
            t = t.replacingOccurrences(of: unit, with: "")
        }
        t = t.replacingOccurrences(of: "，", with: ",").trimmingCharacters(in: .whitespaces)
        // Digits, separators and Chinese numerals only: no sign, no `0x10`, no `1e2`.
        guard !t.isEmpty, t.allSatisfy({ ChineseNumber.isNumberCharacter($0) }) else { return nil }
        let plain = t.replacingOccurrences(of: ",", with: "")
        if plain.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(plain) { return value.isFinite ? value : nil }
        return ChineseNumber.parse(t).map { NSDecimalNumber(decimal: $0).doubleValue }
    }

    /// A term in months as written: `20`, `20个月`, `1年8个月`, `一年八个月`, `2年`.
    static func termMonths(_ typed: String) -> Double? {
        let t = typed.replacingOccurrences(of: " ", with: "")
        if let plain = quantity(t.replacingOccurrences(of: "个月", with: "").replacingOccurrences(of: "月", with: "")), !t.contains("年") {
            return plain
        }
        let parts = t.split(separator: "年", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let years = quantity(parts[0]) else { return nil }
        let rest = parts[1].replacingOccurrences(of: "个月", with: "").replacingOccurrences(of: "月", with: "").replacingOccurrences(of: "零", with: "")
        let months = rest.isEmpty ? 0 : quantity(rest)
        return months.map { years * 12 + $0 }
    }
}
