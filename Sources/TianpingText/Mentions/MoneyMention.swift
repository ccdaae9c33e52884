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
        var found: [MoneyMention] = []
        var i = 0
        while i < chars.count {
            guard chars[i] == "元" else {
                i += 1
                continue
            }
            defer { i += 1 }
            if i > 0, "美港日欧澳韩".contains(chars[i - 1]) { continue }
            // Walk back over 余/多/许, then the number.
            var j = i - 1
            var approximate = false
            while j >= 0, "余多许".contains(chars[j]) {
                approximate = true
                j -= 1
            }
            let end = j + 1
            while j >= 0, ChineseNumber.isNumberCharacter(chars[j]) || chars[j].isASCII && chars[j].isNumber || ("０"..."９").contains(chars[j]) {
                j -= 1
            }
            var start = j + 1
            // A leading unit with no digit (万元 alone) or a separator is not a number.
            while start < end, chars[start] == "," || chars[start] == "." { start += 1 }
            guard start < end, let value = ChineseNumber.parse(String(chars[start..<end])), value > 0 else { continue }
            let contextStart = max(0, start - 12)
            var context = String(chars[contextStart..<start])
            if context.hasSuffix("人民币") { context = String(context.dropLast(3)) }
            found.append(MoneyMention(range: start..<(i + 1), yuan: value, approximate: approximate, context: context,
                text: String(chars[start...i])))
        }
        return found
    }
}
