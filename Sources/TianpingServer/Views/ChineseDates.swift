import TianpingCore

/// Dates and times as Chinese pages and documents write them (`2026年12月4日`, `2026年12月4日 01:46`), in Beijing
/// time. ISO 8601 stays in the API and the machine exports.
enum ChineseDates {
    static func day(_ date: CalendarDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }

    static func day(_ t: Timestamp) -> String { day(t.localDate) }

    static func day(seconds: Int64) -> String { day(Timestamp(secondsSinceEpoch: seconds)) }

    static func minute(_ t: Timestamp) -> String {
        let beijing = Timestamp(secondsSinceEpoch: t.secondsSinceEpoch)
        let secondsOfDay = ((beijing.secondsSinceEpoch + Int64(Timestamp.chinaOffset)) % 86_400 + 86_400) % 86_400
        let hour = secondsOfDay / 3600, minute = secondsOfDay % 3600 / 60
        return day(beijing.localDate) + " " + (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    static func minute(seconds: Int64) -> String { minute(Timestamp(secondsSinceEpoch: seconds)) }
}
