/// A statutory period in the units the law counts in: hours, days, months and years (CPL 105; CivPL 85).
///
/// Periods add unit by unit: "1 month and 15 days" (CPL 220's 一个半月, SPC-Interp 202: half a month is 15 days)
/// stays `months: 1, days: 15` so that it is counted the way the statute counts it.
public struct Period: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var years: Int
    public var months: Int
    public var days: Int
    public var hours: Int

    public init(years: Int = 0, months: Int = 0, days: Int = 0, hours: Int = 0) {
        self.years = years
        self.months = months
        self.days = days
        self.hours = hours
    }

    public static func hours(_ n: Int) -> Period { Period(hours: n) }
    public static func days(_ n: Int) -> Period { Period(days: n) }
    public static func months(_ n: Int) -> Period { Period(months: n) }

    /// Hour-based periods run instant to instant; the others run to the end of a calendar day.
    public var isHourBased: Bool { hours > 0 && years == 0 && months == 0 && days == 0 }

    public var isZero: Bool { years == 0 && months == 0 && days == 0 && hours == 0 }

    /// Total months, for comparisons and caps.
    var totalMonths: Int { years * 12 + months }

    /// An approximate length in hours, used only to order periods (a month counts as 30 days).
    var approximateHours: Int { ((years * 12 + months) * 30 + days) * 24 + hours }

    public static func + (lhs: Period, rhs: Period) -> Period {
        Period(years: lhs.years + rhs.years, months: lhs.months + rhs.months, days: lhs.days + rhs.days,
            hours: lhs.hours + rhs.hours)
    }

    public static func < (lhs: Period, rhs: Period) -> Bool { lhs.approximateHours < rhs.approximateHours }

    /// Chinese text: `24小时`, `3日`, `1个月15日`, `2年`.
    public var description: String {
        var text = ""
        if years > 0 { text += "\(years)年" }
        if months > 0 { text += "\(months)个月" }
        if days > 0 { text += "\(days)日" }
        if hours > 0 { text += "\(hours)小时" }
        return text.isEmpty ? "0日" : text
    }

    enum CodingKeys: String, CodingKey { case years, months, days, hours }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(years: try c.decodeIfPresent(Int.self, forKey: .years) ?? 0,
            months: try c.decodeIfPresent(Int.self, forKey: .months) ?? 0,
            days: try c.decodeIfPresent(Int.self, forKey: .days) ?? 0,
            hours: try c.decodeIfPresent(Int.self, forKey: .hours) ?? 0)
        if years < 0 || months < 0 || days < 0 || hours < 0 {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "negative period"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if years != 0 { try c.encode(years, forKey: .years) }
        if months != 0 { try c.encode(months, forKey: .months) }
        if days != 0 { try c.encode(days, forKey: .days) }
        if hours != 0 { try c.encode(hours, forKey: .hours) }
    }
}
