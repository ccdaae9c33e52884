import Foundation

/// Lengths of time as sentences write them: `三年`, `一年六个月`, `十个月`, `1年6个月`, `六个月零十五天`.
public enum TermParser {
    /// Months in a term written at the start of `text` (`一年六个月` → 18), with how many characters it took.
    /// Days are counted only when they make whole months impossible: `一个月零十五天` gives `nil` months.
    public static func months<S: StringProtocol>(atStartOf text: S) -> (months: Int, length: Int)? {
        let chars = Array(text)
        var i = 0
        var months = 0
        var matched = false
        func number() -> Int? {
            var j = i
            while j < chars.count, ChineseNumber.isNumberCharacter(chars[j]) || chars[j].isNumber, !("年月个天日".contains(chars[j])) { j += 1 }
            guard j > i, let v = ChineseNumber.parse(String(chars[i..<j])).flatMap(ChineseNumber.integer) else { return nil }
            i = j
            return v
        }
        let start = i
        if let years = number() {
            if i < chars.count, chars[i] == "年" {
                months += years * 12
                i += 1
                matched = true
                if i < chars.count, chars[i] == "零" { i += 1 }
            } else if i < chars.count, chars[i] == "个" || chars[i] == "月" {
                if chars[i] == "个" { i += 1 }
                guard i < chars.count, chars[i] == "月" else { return nil }
                i += 1
                months += years
                matched = true
                return days(after: &i, chars) ? nil : (months, i - start)
            } else {
                return nil
            }
        }
        let save = i
        if let m = number() {
            if i < chars.count, chars[i] == "个" { i += 1 }
            if i < chars.count, chars[i] == "月" {
                i += 1
                months += m
                matched = true
            } else {
                i = save
            }
        }
        guard matched else { return nil }
        return days(after: &i, chars) ? nil : (months, i - start)
    }

    /// Whether days follow (`零十五天`): the term is then not a whole number of months.
    private static func days(after i: inout Int, _ chars: [Character]) -> Bool {
        var j = i
        if j < chars.count, chars[j] == "零" { j += 1 }
        let k = j
        while j < chars.count, ChineseNumber.isNumberCharacter(chars[j]) || chars[j].isNumber { j += 1 }
        return j > k && j < chars.count && (chars[j] == "天" || chars[j] == "日")
    }
}
