/// A PRC resident identity number (公民身份号码, GB 11643-1999): 6-digit address code, 8-digit birth
/// date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
public struct ResidentIdentityNumber: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, with a capital `X` as check character where it applies.
    public let text: String
    /// Birth date encoded in characters 7–14.
    public let birthDate: CalendarDate
    /// Address code of the place of first registration.
    public let regionCode: String
    /// Sex from the parity of the sequence number.
    public let gender: Gender

    /// Weights of GB 11643 for positions 1–17.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check character for each remainder 0…10.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Why a number is not valid, in Chinese for the quarantine report.
    public enum Problem: Error, Equatable, Sendable {
        case wrongLength(Int)
        case notDigits
        case badBirthDate
        case badRegion
        case checkDigitMismatch(expected: Character, found: Character)

        public var message: String {
            switch self {
            case .wrongLength(let n): return "身份证号应为18位，实际为\(n)位"
            case .notDigits: return "身份证号前17位应为数字、末位为数字或X"
            case .badBirthDate: return "身份证号中的出生日期不存在"
            case .badRegion: return "身份证号中的行政区划代码无效"
            case .checkDigitMismatch(let e, let f): return "身份证号校验码错误：应为\(e)，实际为\(f)"
            }
        }
    }

    /// Validates and parses a number; a lower-case `x` is accepted and normalised.
    public static func parse(_ raw: String) -> Result<ResidentIdentityNumber, Problem> {
        let chars = Array(raw.uppercased())
        guard chars.count == 18 else { return .failure(.wrongLength(chars.count)) }
        var digits: [Int] = []
        digits.reserveCapacity(17)
        for c in chars.prefix(17) {
            guard let d = c.wholeNumberValue, c.isASCII else { return .failure(.notDigits) }
            digits.append(d)
        }
        guard chars[17].isASCII, chars[17].isNumber || chars[17] == "X" else { return .failure(.notDigits) }
        let region = String(chars[0..<6])
        guard RegionCode(region) != nil else { return .failure(.badRegion) }
        guard let birth = CalendarDate(year: digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9],
            month: digits[10] * 10 + digits[11], day: digits[12] * 10 + digits[13])
        else { return .failure(.badBirthDate) }
        let expected = checkCharacter(forFirst17: digits)
        guard expected == chars[17] else {
            return .failure(.checkDigitMismatch(expected: expected, found: chars[17]))
        }
        return .success(ResidentIdentityNumber(
            text: String(chars), birthDate: birth, regionCode: region,
            gender: digits[16] % 2 == 1 ? .male : .female))
    }

    /// The check character for the first 17 digits.
    public static func checkCharacter(forFirst17 digits: [Int]) -> Character {
        var sum = 0
        for (d, w) in zip(digits, weights) { sum += d * w }
        return checkCharacters[sum % 11]
    }

    public var description: String { "«身份证号»" }
}

/// Sex as recorded on identity documents.
public enum Gender: String, Codable, Sendable, CaseIterable {
    case male
    case female
    case unknown

    public var chineseName: String {
        switch self {
        case .male: return "男"
        case .female: return "女"
        case .unknown: return "未知"
        }
    }
}
