import TianpingCore
import TianpingRules

/// Works out, for one prisoner, the earliest lawful commutation and its largest size, the statutory floor, parole
/// eligibility, and what is wrong with a proposal — every number taken from `CommutationRules` and cited in the trace.
///
/// Where several rows apply (a recidivist serving 12 years falls under SPC-2016 Art. 6 and Art. 7), each limit is the
/// strictest of them: the later start, the longer interval, the smaller cut, the longer remaining term.
///
/// ```swift
/// let calculator = CommutationCalculator(rules: try .bundled())
/// let a = try calculator.assess(CommutationQuery(sentence: .fixedTerm, termMonths: 96,
///     termStart: CalendarDate("2020-01-10")!, executionStart: CalendarDate("2020-04-01")!, grounds: .repentance))
/// a.next.earliestReport   // 2021-10-01: 1 year 6 months after delivery (SPC-2016 Art. 6)
/// ```
public struct CommutationCalculator: Sendable {
    public let rules: CommutationRules

    public init(rules: CommutationRules) { self.rules = rules }

    public func assess(_ query: CommutationQuery) throws -> CommutationAssessment {
        var assessment = Assessment(rules: rules, query: query)
        return try assessment.run()
    }

    /// Months as a sentence is written: 1年6个月, 9个月, 2年.
    public static func months(_ m: Int) -> String {
        let sign = m < 0 ? "负" : ""
        let a = abs(m)
        if a < 12 { return "\(sign)\(a)个月" }
        return sign + "\(a / 12)年" + (a % 12 == 0 ? "" : "\(a % 12)个月")
    }
}
