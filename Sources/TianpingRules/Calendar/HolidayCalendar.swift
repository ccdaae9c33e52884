import Foundation
import TianpingCore

/// Working days: Monday to Friday, minus the public holidays, plus the weekend days made working days (调休).
///
/// The data is the State Council's yearly notice (国务院办公厅关于部分节假日安排的通知), shipped as
/// `holidays-cn.json`. Outside the years it covers, only weekends are rest days — the engine says so in
/// `coveredYears` rather than guessing.
public struct HolidayCalendar: Sendable {
    private var holidays: Set<Int> = []
    private var workdays: Set<Int> = []
    public private(set) var coveredYears: ClosedRange<Int>?
    /// Names of holidays by day number, for explanations (`国庆节`).
    private var names: [Int: String] = [:]

    public init() {}

    /// Builds a calendar from a file in the shape of `holidays-cn.json`.
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(HolidayFile.self, from: json)
        for year in file.years {
            for h in year.holidays {
                guard let from = CalendarDate(h.from), let to = CalendarDate(h.to), from <= to else {
                    throw RulePackError.invalid("节假日数据日期无效：\(year.year) \(h.name)")
                }
                for d in from.dayNumber...to.dayNumber {
                    holidays.insert(d)
                    names[d] = h.name
                }
            }
            for w in year.makeupWorkdays {
                guard let date = CalendarDate(w) else { throw RulePackError.invalid("调休日期无效：\(w)") }
                workdays.insert(date.dayNumber)
            }
        }
        let years = file.years.map(\.year)
        if let lo = years.min(), let hi = years.max() { coveredYears = lo...hi }
    }

    /// The calendar shipped with the package.
    public static func bundled() throws -> HolidayCalendar {
        guard let url = Bundle.module.url(forResource: "holidays-cn", withExtension: "json", subdirectory: "Resources") else {
            throw RulePackError.invalid("缺少内置节假日数据 holidays-cn.json")
        }
        return try HolidayCalendar(json: try Data(contentsOf: url))
    }

    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        let n = date.dayNumber
        if workdays.contains(n) { return true }
        if holidays.contains(n) { return false }
        return CivilCalendar.isoWeekday(dayNumber: n) <= 5
    }

    /// The holiday's name, or `周末` for an ordinary weekend day; `nil` on working days.
    public func restDayName(_ date: CalendarDate) -> String? {
        if isWorkingDay(date) { return nil }
        return names[date.dayNumber] ?? "周末"
    }

    /// The first working day on or after `date`.
    public func nextWorkingDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var d = date
        while !isWorkingDay(d) { d = d.adding(days: 1) }
        return d
    }
}

private struct HolidayFile: Decodable {
    struct Year: Decodable {
        var year: Int
        var holidays: [Holiday]
        var makeupWorkdays: [String]
    }
    struct Holiday: Decodable {
        var name: String
        var from: String
        var to: String
    }
    var years: [Year]
}
