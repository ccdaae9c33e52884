import Foundation
import TianpingCore
import TianpingText

/// Reading what a person types into the CLI or the 减刑假释测算 form: sentences, grounds and terms in Chinese or as the
/// API's identifiers, and one earlier commutation per line.
extension OriginalSentence {
    /// `fixedTerm` or its Chinese name (有期徒刑, 无期徒刑, 死缓 …).
    public init?(typed: String) {
        let t = typed.trimmingCharacters(in: .whitespaces)
        if let s = OriginalSentence(rawValue: t) { self = s; return }
        switch t {
        case "有期", "有期徒刑": self = .fixedTerm
        case "拘役": self = .criminalDetention
        case "管制": self = .publicSurveillance
        case "无期", "无期徒刑": self = .life
        case "死缓", "死刑缓期执行", "死刑缓期二年执行": self = .deathReprieve
        default: return nil
        }
    }
}

extension CommutationGrounds {
    /// `repentance` or its Chinese name (确有悔改表现, 悔改+立功, 重大立功 …).
    public init?(typed: String) {
        let t = typed.trimmingCharacters(in: .whitespaces)
        if let g = CommutationGrounds(rawValue: t) { self = g; return }
        if let g = CommutationGrounds.allCases.first(where: { $0.chineseName == t }) { self = g; return }
        let repentance = t.contains("悔改")
        let major = t.contains("重大立功")
        let merit = !major && t.contains("立功")
        switch (repentance, merit, major) {
        case (true, false, false): self = .repentance
        case (false, true, false): self = .merit
        case (true, true, false): self = .repentanceAndMerit
        case (false, false, true): self = .majorMerit
        case (true, false, true): self = .repentanceAndMajorMerit
        default: return nil
        }
    }
}

extension CommutationQuery {
    /// Months as typed: `9`, `9个月`, `1年6个月`, `一年六个月`, `22年`.
    public static func months(typed: String) -> Int? {
        let t = typed.replacingOccurrences(of: " ", with: "")
        if let plain = Int(t) { return plain }
        guard let read = TermParser.months(atStartOf: t), read.length == t.count else { return nil }
        return read.months
    }
}

extension PastCommutation {
    /// One line: the ruling's date, the day it was served, and the cut (`9个月`) or the term a life sentence became
    /// (`减为22年`), separated by spaces or commas: `2022-05-03 2022-05-09 9个月`.
    public init(typed line: String) throws {
        let parts = line.split(whereSeparator: { " ,，\t".contains($0) }).map(String.init)
        guard parts.count == 3, let ruled = CalendarDate(parts[0]), let served = CalendarDate(parts[1]) else {
            throw CommutationError.invalidInput("减刑记录应为“裁定日 送达日 减去月数”或“裁定日 送达日 减为N年”，日期写作 YYYY-MM-DD：\(line)")
        }
        var amount = parts[2]
        let reducedTo = amount.hasPrefix("减为")
        if reducedTo { amount.removeFirst(2) }
        if amount.hasPrefix("减去") || amount.hasPrefix("减") { amount = String(amount.drop { $0 == "减" || $0 == "去" }) }
        guard let months = CommutationQuery.months(typed: amount.replacingOccurrences(of: "有期徒刑", with: "")), months > 0 else {
            throw CommutationError.invalidInput("减刑记录的月数无法识别：\(parts[2])（可写 9、9个月、1年6个月或减为22年）")
        }
        self.init(ruledOn: ruled, servedOn: served, reductionMonths: reducedTo ? nil : months, reducedToMonths: reducedTo ? months : nil)
    }
}
