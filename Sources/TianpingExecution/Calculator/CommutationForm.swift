import TianpingCore

/// The calculator's input as a person types it — in the CLI's options or the 减刑假释测算 form — read into a
/// `CommutationQuery` with a Chinese message naming the field that could not be read.
public struct CommutationForm: Sendable, Hashable {
    public var sentence = ""
    public var term = ""
    public var termStart = ""
    public var executionStart = ""
    public var judgmentEffective = ""
    public var reprieveExpired = ""
    public var reprievedToTwentyFiveYears = false
    public var categories: [String] = []
    /// One earlier commutation a line (`2022-05-03 2022-05-09 9个月`).
    public var commutations: [String] = []
    public var grounds = ""
    public var propose = ""
    public var reduce = ""
    public var reduceTo = ""
    public var newCrimeFinal = ""
    public var newCrimeLife = false

    public init() {}

    /// A query as the form shows it, to open the 减刑假释测算 page filled in.
    public init(_ q: CommutationQuery) {
        sentence = q.sentence.rawValue
        term = q.termMonths.map(String.init) ?? ""
        termStart = q.termStart?.description ?? ""
        executionStart = q.executionStart.description
        judgmentEffective = q.judgmentEffective?.description ?? ""
        reprieveExpired = q.reprieveExpired?.description ?? ""
        reprievedToTwentyFiveYears = q.reprievedTo == .fixedTerm
        categories = q.categories
        commutations = q.commutations.map {
            "\($0.ruledOn) \($0.servedOn) " + ($0.reducedToMonths.map { "减为\($0)个月" } ?? "\($0.reductionMonths ?? 0)个月")
        }
        grounds = q.grounds?.rawValue ?? ""
    }

    /// The form's fields by the page's names (`c` repeats; earlier commutations one a line), for a link.
    public var fields: [(name: String, value: String)] {
        var f: [(String, String)] = [("sentence", sentence), ("term", term), ("termStart", termStart), ("executionStart", executionStart),
            ("judgmentEffective", judgmentEffective), ("reprieveExpired", reprieveExpired)]
        if reprievedToTwentyFiveYears { f.append(("reprieved25", "1")) }
        f += categories.map { ("c", $0) }
        f.append(("commutations", commutations.joined(separator: "\n")))
        if !grounds.isEmpty { f.append(("grounds", grounds)) }
        return f.filter { !$0.1.isEmpty }
    }

    /// True when nothing was filled in (the page shows the empty form).
    public var isEmpty: Bool { sentence.isEmpty && executionStart.isEmpty }

    public func query() throws -> CommutationQuery {
        func fail(_ m: String) -> CommutationError { .invalidInput(m) }
        func date(_ text: String, _ label: String) throws -> CalendarDate? {
            guard !text.isEmpty else { return nil }
            guard let d = CalendarDate(typed: text) else { throw fail("\(label)无法识别：“\(text)”（可写 2020-03-10 或 2020年3月10日）") }
            return d
        }
        func months(_ text: String, _ label: String) throws -> Int? {
            guard !text.isEmpty else { return nil }
            guard let m = CommutationQuery.months(typed: text.replacingPrefix("减为")), m > 0 else {
                throw fail("\(label)无法识别：“\(text)”（可写 96、8年或1年6个月）")
            }
            return m
        }
        guard let kind = OriginalSentence(typed: sentence) else { throw fail("请选择刑罚：有期徒刑、拘役、管制、无期徒刑或死缓") }
        guard let start = try date(executionStart, "交付执行之日") else { throw fail("请填写交付执行之日（罪犯实际送交刑罚执行机关之日）") }
        var chosen: CommutationGrounds?
        if !grounds.isEmpty {
            guard let g = CommutationGrounds(typed: grounds) else { throw fail("减刑理由无法识别：“\(grounds)”（悔改、立功、悔改+立功、重大立功、悔改+重大立功）") }
            chosen = g
        }
        var proposal: ProposedCommutation?
        if let day = try date(propose, "报请日期") {
            guard let chosen else { throw fail("审查报请时请给出减刑理由") }
            proposal = ProposedCommutation(reportedOn: day, grounds: chosen, reductionMonths: try months(reduce, "报请减去的刑期"),
                reducedToMonths: try months(reduceTo, "报请减为的刑期"))
        }
        return CommutationQuery(sentence: kind, termMonths: try months(term, "原判刑期"), categories: categories,
            termStart: try date(termStart, "刑期起算日"), executionStart: start, judgmentEffective: try date(judgmentEffective, "判决生效之日"),
            reprieveExpired: try date(reprieveExpired, "缓期执行期满之日"),
            reprievedTo: kind == .deathReprieve ? (reprievedToTwentyFiveYears ? .fixedTerm : .life) : nil,
            commutations: try commutations.filter { !$0.allSatisfy(\.isWhitespace) }.map { try PastCommutation(typed: $0) },
            newCrimeFinal: try date(newCrimeFinal, "新罪判决确定之日"), newCrimeLife: newCrimeLife ? true : nil, grounds: chosen, proposal: proposal)
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
