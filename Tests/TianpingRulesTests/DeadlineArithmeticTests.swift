import Testing
import TianpingCore
import TianpingRules

@Suite("CPL 105 / CivPL 85 deadline arithmetic")
struct DeadlineArithmeticTests {
    let arithmetic = DeadlineArithmetic(calendar: try! HolidayCalendar.bundled())

    func lastDay(_ start: String, _ period: Period, holidayExtends: Bool = false) -> String {
        arithmetic.deadline(from: TimelineBuilder.time(start), period: period, holidayExtends: holidayExtends).lastDay!.description
    }

    @Test("the start day is not counted: 3 days from Monday end on Thursday")
    func startDayNotCounted() {
        #expect(lastDay("2024-03-04 10:00", .days(3)) == "2024-03-07")
        #expect(lastDay("2024-03-04 23:59", .days(3)) == "2024-03-07")
    }

    @Test("months run day N to day N; a missing day N or a month-end start ends on the month's last day", arguments: [
        ("2024-01-31 09:00", 1, "2024-02-29"),
        ("2023-01-31 09:00", 1, "2023-02-28"),
        ("2024-02-29 09:00", 1, "2024-03-31"),
        ("2024-01-30 09:00", 1, "2024-02-29"),
        ("2023-12-31 09:00", 2, "2024-02-29"),
        ("2024-03-15 09:00", 2, "2024-05-15"),
    ])
    func monthEnds(start: String, months: Int, expected: String) {
        #expect(lastDay(start, .months(months)) == expected)
    }

    @Test("a last day on a holiday moves to the next working day; in custody it does not")
    func holidayExtension() {
        // 2024-10-01 is National Day (1–7 October 2024 off).
        #expect(lastDay("2024-09-01 10:00", .months(1), holidayExtends: true) == "2024-10-08")
        #expect(lastDay("2024-09-01 10:00", .months(1), holidayExtends: false) == "2024-10-01")
        // 2024-10-12 is a Saturday made a working day (调休): no move.
        #expect(lastDay("2024-10-09 10:00", .days(3), holidayExtends: true) == "2024-10-12")
        // An ordinary Saturday moves to Monday.
        #expect(lastDay("2024-03-06 10:00", .days(3), holidayExtends: true) == "2024-03-11")
    }

    @Test("hour periods run instant to instant and are late by whole hours, rounded up")
    func hours() {
        let start = TimelineBuilder.time("2024-03-04 22:30")
        let due = arithmetic.deadline(from: start, period: .hours(24), holidayExtends: true)
        #expect(due.lastDay == nil)
        #expect(due.lastInstant == TimelineBuilder.time("2024-03-05 22:30"))
        #expect(arithmetic.lateness(of: TimelineBuilder.time("2024-03-05 22:30"), against: due) == nil)
        #expect(arithmetic.lateness(of: TimelineBuilder.time("2024-03-05 22:31"), against: due) == Lateness(amount: 1, unit: .hours))
        #expect(arithmetic.lateness(of: TimelineBuilder.time("2024-03-06 23:30"), against: due) == Lateness(amount: 25, unit: .hours))
    }

    @Test("day periods are late by calendar days past the last day")
    func dayLateness() {
        let due = arithmetic.deadline(from: TimelineBuilder.time("2024-03-04 10:00"), period: .days(3), holidayExtends: false)
        #expect(arithmetic.lateness(of: TimelineBuilder.time("2024-03-07 23:59"), against: due) == nil)
        #expect(arithmetic.lateness(of: TimelineBuilder.time("2024-03-08 00:00"), against: due) == Lateness(amount: 1, unit: .days))
        #expect(arithmetic.lateness(of: TimelineBuilder.time("2024-03-12 09:00"), against: due) == Lateness(amount: 5, unit: .days))
    }

    @Test("the holiday calendar covers 2021–2026 and its make-up working days are weekends")
    func calendarData() throws {
        let calendar = try HolidayCalendar.bundled()
        #expect(calendar.coveredYears == 2021...2026)
        #expect(!calendar.isWorkingDay(CalendarDate("2025-01-28")!))  // 除夕, from 2025
        #expect(calendar.isWorkingDay(CalendarDate("2025-01-26")!))  // a Sunday made a working day
        #expect(calendar.restDayName(CalendarDate("2026-02-20")!) == "春节")
        #expect(calendar.restDayName(CalendarDate("2024-03-09")!) == "周末")
        #expect(calendar.restDayName(CalendarDate("2024-03-08")!) == nil)
    }
}
