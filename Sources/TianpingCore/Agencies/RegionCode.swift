/// A six-digit administrative division code with the structure of GB/T 2260: two digits for the
/// province, two for the prefecture-level city, two for the county. `520000` is a province,
/// `520100` a city, `520102` a county or district.
public struct RegionCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let text: String

    /// First two digits allowed by GB/T 2260 (provinces, autonomous regions, municipalities, SARs).
    public static let provincePrefixes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    public init?(_ text: String) {
        guard text.utf8.count == 6, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            Self.provincePrefixes.contains(String(text.prefix(2)))
        else { return nil }
        // A county code under a province without a city ("5200xx") is not a GB/T 2260 shape.
        let city = text.dropFirst(2).prefix(2)
        let county = text.suffix(2)
        guard !(city == "00" && county != "00") else { return nil }
        self.text = text
    }

    /// 省, 市 or 县 level, read from the trailing zero pairs.
    public var level: AdministrativeLevel {
        if text.hasSuffix("0000") { return .province }
        if text.hasSuffix("00") { return .city }
        return .county
    }

    /// The province code (`520000`).
    public var province: RegionCode { RegionCode(String(text.prefix(2)) + "0000")! }

    /// The city code (`520100`), or the province itself for a province code.
    public var city: RegionCode {
        level == .province ? self : RegionCode(String(text.prefix(4)) + "00")!
    }

    /// The region one level up, or `nil` for a province.
    public var parent: RegionCode? {
        switch level {
        case .province: return nil
        case .city: return province
        case .county: return city
        }
    }

    /// Whether `other` is this region or lies inside it.
    public func contains(_ other: RegionCode) -> Bool {
        switch level {
        case .province: return other.text.prefix(2) == text.prefix(2)
        case .city: return other.text.prefix(4) == text.prefix(4)
        case .county: return other == self
        }
    }

    public var description: String { text }
    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.text < rhs.text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = RegionCode(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "不是有效的行政区划代码（GB/T 2260 六位结构）：\(text)")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// The level of an agency or region: 省, 市 (地市) or 县 (区县).
public enum AdministrativeLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case province
    case city
    case county

    public var chineseName: String {
        switch self {
        case .province: return "省级"
        case .city: return "市级"
        case .county: return "县级"
        }
    }

    /// Province is the highest rank.
    public var rank: Int {
        switch self {
        case .province: return 3
        case .city: return 2
        case .county: return 1
        }
    }

    public static func < (lhs: AdministrativeLevel, rhs: AdministrativeLevel) -> Bool { lhs.rank < rhs.rank }
}
