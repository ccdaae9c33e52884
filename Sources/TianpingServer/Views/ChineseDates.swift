import Foundation
import TianpingCore

/// Dates and times as Chinese pages and documents write them (`2026年12月4日`, `2026年12月4日 01:46`), in Beijing
/// time. ISO 8601 stays in the API and the machine exports.
enum ChineseDates {
    static func day(_ date: CalendarDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }

    static func day(_ t: Timestamp) -> String { day(t.localDate) }

    static func day(seconds: Int64) -> String { day(Timestamp(secondsSinceEpoch: seconds)) }

    static func minute(_ t: Timestamp) -> String {
        day(Timestamp(secondsSinceEpoch: t.secondsSinceEpoch).localDate) + " " + clock(t.secondsSinceEpoch)
    }

    /// Beijing time of day as `01:46`.
    static func clock(_ seconds: Int64) -> String {
        let secondsOfDay = ((seconds + Int64(Timestamp.chinaOffset)) % 86_400 + 86_400) % 86_400
        return String(format: "%02d:%02d", secondsOfDay / 3600, secondsOfDay % 3600 / 60)
    }

    static func minute(seconds: Int64) -> String { minute(Timestamp(secondsSinceEpoch: seconds)) }

    /// A day as people type it: `2023年5月6日`, `2023-05-06`, `2023/5/6`, `2023.5.6`.
    static func parseDay(_ typed: String) -> CalendarDate? { CalendarDate(typed: typed) }
}
