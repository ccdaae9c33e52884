import TianpingCore

/// The end of a statutory period, computed the way CPL 105 / SPC-Interp 202 and CivPL 85 count.
public struct Deadline: Sendable, Hashable {
    /// The last instant that is still in time.
    public var lastInstant: Timestamp
    /// The last day (for day, month and year periods); `nil` for hour periods.
    public var lastDay: CalendarDate?
    /// The nominal last day when a holiday moved it, with the rest day's name.
    public var movedFrom: (day: CalendarDate, reason: String)?

    public static func == (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.lastInstant == rhs.lastInstant && lhs.lastDay == rhs.lastDay && lhs.movedFrom?.day == rhs.movedFrom?.day
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(lastInstant) }

    /// `2024年3月5日` or `2024年3月5日14时30分`.
    public var chineseText: String {
        if let lastDay { return lastDay.chineseText }
        return lastInstant.chineseText
    }
}

/// Computes deadlines; all days are local days in China Standard Time (UTC+8), where every agency sits.
public struct DeadlineArithmetic: Sendable {
    public let calendar: HolidayCalendar

    public init(calendar: HolidayCalendar) {
        self.calendar = calendar
    }

    /// The deadline of a period starting at `start`.
    ///
    /// - `excludedDays`: days that do not count (assessment), added before the holiday rule applies.
    /// - `holidayExtends`: whether a last day on a rest day moves to the next working day (CPL 105(4): not in custody).
    public func deadline(from start: Timestamp, period: Period, excludedDays: Int = 0, holidayExtends: Bool)
        -> Deadline
    {
        if period.isHourBased {
            let seconds = Int64(period.hours) * 3600 + Int64(excludedDays) * 86_400
            return Deadline(lastInstant: start.chinaTime.adding(seconds: seconds), lastDay: nil, movedFrom: nil)
        }
        // The start day is not counted: a period of n days ends on start + n; months run day N to day N (C5).
        var day = start.chinaTime.localDate
        if period.totalMonths > 0 { day = day.addingMonths(period.totalMonths) }
        day = day.adding(days: period.days + excludedDays)
        if period.hours > 0 { day = day.adding(days: (period.hours + 23) / 24) }
        var moved: (CalendarDate, String)?
        if holidayExtends, let reason = calendar.restDayName(day) {
            moved = (day, reason)
            day = calendar.nextWorkingDay(onOrAfter: day)
        }
        return Deadline(lastInstant: day.lastInstantInChina, lastDay: day, movedFrom: moved)
    }

    /// How late `actual` is against `deadline`: whole days past the last day, or hours (rounded up) past the instant.
    public func lateness(of actual: Timestamp, against deadline: Deadline) -> Lateness? {
        guard actual > deadline.lastInstant else { return nil }
        if let lastDay = deadline.lastDay {
            return Lateness(amount: actual.chinaTime.localDate.dayNumber - lastDay.dayNumber, unit: .days)
        }
        let seconds = actual.secondsSinceEpoch - deadline.lastInstant.secondsSinceEpoch
        return Lateness(amount: Int((seconds + 3599) / 3600), unit: .hours)
    }
}

/// How far past a deadline an act came (or a running clock is).
public struct Lateness: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Codable { case hours, days }
    public var amount: Int
    public var unit: Unit

    public init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// `4日`, `46小时`.
    public var chineseText: String { "\(amount)" + (unit == .days ? "日" : "小时") }
}

extension Timestamp {
    /// The same instant expressed in UTC+8.
    var chinaTime: Timestamp { Timestamp(secondsSinceEpoch: secondsSinceEpoch, utcOffsetSeconds: Timestamp.chinaOffset) }

    /// `2024年3月5日14时30分` in China time.
    public var chineseText: String {
        let t = chinaTime
        let minute = Int((t.secondsSinceEpoch + Int64(t.utcOffsetSeconds)) % 3600 / 60)
        return t.localDate.chineseText + "\(t.localHour)时" + (minute == 0 ? "" : "\(minute)分")
    }
}

extension CalendarDate {
    /// `2024年3月5日`.
    public var chineseText: String { "\(year)年\(month)月\(day)日" }

    /// 23:59:59 of this day in China time: the end of a day-counted period.
    public var lastInstantInChina: Timestamp {
        Timestamp(secondsSinceEpoch: Int64(dayNumber + 1) * 86_400 - 1 - Int64(Timestamp.chinaOffset))
    }
}
