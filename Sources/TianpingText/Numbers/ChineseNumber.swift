import Foundation

/// Numbers as Chinese legal text writes them: Arabic digits (`35000`, `35,000`, `3.5`), Chinese numerals in
/// ordinary (`三万五千`, `一千零五十`, `十二`) and financial form (`叁万伍仟`), and mixtures (`3万5千`, `1.5万`).
/// Exact decimal arithmetic: `3.5万` is 35000, never 34999.999….
public enum ChineseNumber {
    /// Characters that may be part of a written number.
    public static func isNumberCharacter(_ c: Character) -> Bool {
        digit(c) != nil || unit(c) != nil || c == "." || c == "," || c == "点"
    }

    static func digit(_ c: Character) -> Int? {
        switch c {
        case "零", "〇", "○", "Ｏ": return 0
        case "一", "壹", "幺": return 1
        case "二", "贰", "貳", "两", "兩": return 2
        case "三", "叁", "參", "叄": return 3
        case "四", "肆": return 4
        case "五", "伍": return 5
        case "六", "陆", "陸": return 6
        case "七", "柒": return 7
        case "八", "捌": return 8
        case "九", "玖": return 9
        default:
            if let v = c.wholeNumberValue, c.isASCII || ("０"..."９").contains(c) { return v }
            return nil
        }
    }

    static func unit(_ c: Character) -> Decimal? {
        switch c {
        case "十", "拾": return 10
        case "百", "佰": return 100
        case "千", "仟": return 1_000
        case "万", "萬": return 10_000
        case "亿", "億": return 100_000_000
        default: return nil
        }
    }

    /// The value of a whole written number, or `nil` if the text is not one. Strict, so that a numeral character
    /// of a neighbouring word is not read as part of the number: digits side by side are positional only when no
    /// unit follows (`二〇一七`), never before one (`三四千` is an approximation, not 34000); `点` needs a digit before
    /// it; an Arabic run cannot follow a Chinese digit. Colloquial `三千五` (a single digit right after 百, 千 or 万
    /// ending the number) is 3500.
    public static func parse<S: StringProtocol>(_ text: S) -> Decimal? {
        let chars = Array(text.filter { $0 != "," && $0 != " " })
        guard !chars.isEmpty else { return nil }
        var total: Decimal = 0      // everything at 亿 and above, and completed 万 groups
        var section: Decimal = 0    // the current group below 万
        var number: Decimal? = nil  // the last digit or Arabic run not yet placed by a unit
        var positional = 0          // Chinese digits written side by side in `number`
        var fromArabic = false
        var lastUnit: Decimal? = nil
        var zeroSinceUnit = false
        var sawDigit = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isASCII && c.isNumber || ("０"..."９").contains(c) {
                // An Arabic run, possibly with a decimal point: 3.5 (then a unit may follow: 3.5万).
                var j = i
                var literal = ""
                while j < chars.count, chars[j].isASCII && chars[j].isNumber || chars[j] == "." || ("０"..."９").contains(chars[j]) {
                    literal.append(chars[j].isASCII ? chars[j] : Character(String(chars[j].wholeNumberValue ?? 0)))
                    j += 1
                }
                guard number == nil || number == 0, literal.filter({ $0 == "." }).count <= 1, !literal.hasPrefix("."), !literal.hasSuffix("."),
                    let value = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX"))
                else { return nil }
                number = value
                fromArabic = true
                positional = 0
                sawDigit = true
                i = j
                continue
            }
            if c == "点" {
                // 三点五万 = 3.5万: the digits after 点 are tenths, hundredths …
                guard number != nil, !fromArabic else { return nil }
                var fraction: Decimal = 0
                var scale: Decimal = 1
                var j = i + 1
                while j < chars.count, !(chars[j].isASCII), let d = digit(chars[j]) {
                    scale /= 10
                    fraction += Decimal(d) * scale
                    j += 1
                }
                guard j > i + 1 else { return nil }
                number = (number ?? 0) + fraction
                positional = 0
                i = j
                continue
            }
            if let d = digit(c) {
                if d == 0 { zeroSinceUnit = true }
                if let n = number, n != 0 {
                    guard !fromArabic else { return nil }
                    number = n * 10 + Decimal(d)
                    positional += 1
                } else {
                    number = Decimal(d)
                    positional = 1
                    fromArabic = false
                }
                sawDigit = true
                i += 1
                continue
            }
            if let u = unit(c) {
                // 万 or 亿 with nothing before it multiplies nothing: not a number.
                if u >= 10_000, total == 0, section == 0, number == nil { return nil }
                // Digits side by side before a unit (三四千, 一五千) are an approximation or another word's numeral.
                if positional > 1 { return nil }
                if u == 100_000_000 {
                    total = (total + section + (number ?? 0)) * u
                    section = 0
                } else if u == 10_000 {
                    total += (section + (number ?? 0)) * u
                    section = 0
                } else {
                    section += (number ?? 1) * u
                }
                number = nil
                positional = 0
                fromArabic = false
                lastUnit = u
                zeroSinceUnit = false
                sawDigit = true
                i += 1
                continue
            }
            return nil
        }
        guard sawDigit else { return nil }
        if var n = number, !fromArabic, positional == 1, let u = lastUnit, u >= 100, !zeroSinceUnit, n < 10 {
            n = n * u / 10  // 三千五 = 3500, 一万五 = 15000, 一百二 = 120
            number = n
        }
        return total + section + (number ?? 0)
    }

    /// The value as a whole number of units when it is one (`Int(exactly:)` for decimals).
    public static func integer(_ value: Decimal) -> Int? {
        var rounded = Decimal()
        var v = value
        NSDecimalRound(&rounded, &v, 0, .plain)
        guard rounded == value else { return nil }
        return NSDecimalNumber(decimal: rounded).intValue
    }
}
