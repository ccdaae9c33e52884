/// A date without a time of day (出生日期, 刑期起止日), written `yyyy-MM-dd` in the exchange format.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or `nil` when the day does not exist (2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of a day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        let d = CivilCalendar.date(fromDayNumber: dayNumber)
        self.year = d.year
        self.month = d.month
        self.day = d.day
    }

    /// Parses `yyyy-MM-dd`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { CivilCalendar.dayNumber(year: year, month: month, day: day) }

    /// The date `days` later (or earlier, when negative).
    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    public var description: String {
        FixedWidth.pad(year, 4) + "-" + FixedWidth.pad(month, 2) + "-" + FixedWidth.pad(day, 2)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "不是有效日期（应为 yyyy-MM-dd）：\(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Zero-padded decimal formatting without `String(format:)`, which is slow on Linux.
enum FixedWidth {
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension CalendarDate {
    /// The date `months` later, counted as SPC-Interp Art. 202(1) counts procedural months: day N of one
    /// month to day N of the target month; from the last day of a month to the last day of the target month;
    /// where day N does not exist in the target month, its last day.
    public func addingMonths(_ months: Int) -> CalendarDate {
        let total = Self.clampedMonthIndex((year * 12 + (month - 1)) + months)
        let y = total / 12
        let m = total % 12 + 1
        let last = CivilCalendar.daysInMonth(year: y, month: m)
        let isLastDay = day == CivilCalendar.daysInMonth(year: year, month: month)
        return CalendarDate(year: y, month: m, day: isLastDay ? last : min(day, last))!
    }

    /// The last day of a sentence of `months` served from this day, counted as SPC-Interp Art. 202(2) counts a term:
    /// it ends the day before the same date `months` later (custody from 30 April, one month: 29 May). Where that date
    /// does not exist (31 January, one month) the target month's last day is taken, the later of the two readings.
    public func sentenceEnd(months: Int) -> CalendarDate {
        let total = Self.clampedMonthIndex((year * 12 + (month - 1)) + months)
        let y = total / 12
        let m = total % 12 + 1
        let last = CivilCalendar.daysInMonth(year: y, month: m)
        guard day <= last else { return CalendarDate(year: y, month: m, day: last)! }
        return CalendarDate(year: y, month: m, day: day)!.adding(days: -1)
    }
}

extension CalendarDate {
    /// A month index (year × 12 + month − 1) kept within years 1 to 9999, so that arithmetic near the ends of the
    /// calendar saturates instead of trapping.
    static func clampedMonthIndex(_ index: Int) -> Int { min(max(index, 12), 9999 * 12 + 11) }

    /// A day as people type it: `2023-05-06`, `2023年5月6日`, `2023/5/6`, `2023.5.6`.
    public init?(typed: String) {
        var t = Substring(typed).drop(while: \.isWhitespace)
        while t.last?.isWhitespace == true { t.removeLast() }
        if t.hasSuffix("日") || t.hasSuffix("号") { t.removeLast() }
        let parts = t.split(whereSeparator: { "年月-/.".contains($0) })
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), parts[0].count == 4 else { return nil }
        self.init(year: y, month: m, day: d)
    }
}
