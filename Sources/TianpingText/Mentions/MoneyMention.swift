import Foundation

/// A sum of money written in the text: `人民币3.5万元`, `叁万伍仟元`, `35,000元`, `价值2250元`, `5000余元`.
public struct MoneyMention: Sendable, Hashable {
    /// Where it is in the text (characters).
    public var range: Range<Int>
    public var yuan: Decimal
    /// `余` / `多` / `许` after the number: an approximate figure (…余元).
    public var approximate: Bool
    /// The words just before it (up to 12 characters), which say what the sum is (`价值`, `共计`, `罚金`, `赔偿`).
    public var context: String
    public var text: String
}

/// Finds sums of money. A number counts only when `元` follows it (after an optional `万`/`亿` and `余`), so dates,
/// counts and article numbers are never read as money; foreign currencies (`美元`, `港元`, `日元`, `欧元`) are left out.
public enum MoneyExtractor {
    public static func mentions(in text: String) -> [MoneyMention] {
        let chars = Array(text)
        func numeric(_ c: Character) -> Bool { ChineseNumber.isNumberCharacter(c) || c.isASCII && c.isNumber || ("０"..."９").contains(c) }
        var found: [MoneyMention] = []
        var i = 0
        while i < chars.count {
            guard chars[i] == "元" else {
                i += 1
                continue
            }
            defer { i += 1 }
            if i > 0, "美港日欧澳韩".contains(chars[i - 1]) { continue }
            // Walk back over 余/多/许, then the number; 余/多 may also stand before a unit (十余万元, 5多万元).
            var j = i - 1
            var approximate = false
            while j >= 0, "余多许".contains(chars[j]) {
                approximate = true
                j -= 1
            }
            let end = j + 1
            while j >= 0, numeric(chars[j]) || ("余多".contains(chars[j]) && j + 1 < end && "十百千万亿".contains(chars[j + 1])) {
                if "余多".contains(chars[j]) { approximate = true }
                j -= 1
            }
            // The run may begin with numerals of the word before it (李四3000元, 统一五千元): take the first start
            // from which the rest is a number.
            var start = j + 1
            var value: Decimal?
            while start < end {
                let candidate = String(chars[start..<end]).filter { $0 != "余" && $0 != "多" }
                if !(chars[start] == "," || chars[start] == "." || chars[start] == "点"), let v = ChineseNumber.parse(candidate), v > 0 {
                    value = v
                    break
                }
                start += 1
            }
            guard let value else { continue }
            // 三四千元 (three to four thousand): a numeral one less right before the number is an approximation.
            if start > 0, let before = ChineseNumber.digit(chars[start - 1]), let first = ChineseNumber.digit(chars[start]), first == before + 1,
                !chars[start - 1].isASCII
            {
                approximate = true
            }
            let contextStart = max(0, start - 12)
            var context = String(chars[contextStart..<start])
            if context.hasSuffix("人民币") { context = String(context.dropLast(3)) }
            found.append(MoneyMention(range: start..<(i + 1), yuan: value, approximate: approximate, context: context,
                text: String(chars[start...i])))
        }
        return found
    }
}
