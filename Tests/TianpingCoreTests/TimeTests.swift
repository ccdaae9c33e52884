import Testing
import TianpingCore

@Suite("Timestamps and procedural calendar")
struct TimeTests {
    @Test("RFC 3339 with an offset round-trips and keeps the offset")
    func roundTrip() throws {
        let t = try #require(Timestamp("2024-03-05T09:30:00+08:00"))
        #expect(t.description == "2024-03-05T09:30:00+08:00")
        #expect(t.localDate == CalendarDate(year: 2024, month: 3, day: 5))
        #expect(t.localHour == 9)
        let utc = try #require(Timestamp("2024-03-05T01:30:00Z"))
        #expect(utc.secondsSinceEpoch == t.secondsSinceEpoch)
        #expect(Timestamp("2024-03-05T09:30:00.250+08:00")?.secondsSinceEpoch == t.secondsSinceEpoch)
    }

    @Test("times without an offset or with impossible fields are rejected", arguments: [
        "2024-03-05T09:30:00", "2024-02-30T09:30:00+08:00", "2024-03-05T25:00:00+08:00", "2024-03-05", "yesterday",
        "2024-03-05T09:30:00+8:00",
    ])
    func invalid(text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test("procedural months follow SPC-Interp Art. 202(1)", arguments: [
        ("2024-01-31", 1, "2024-02-29"),  // day 31 does not exist: last day of February (leap year)
        ("2023-01-31", 1, "2023-02-28"),
        ("2023-02-28", 1, "2023-03-31"),  // from a month's last day to the next month's last day
        ("2024-03-15", 2, "2024-05-15"),
        ("2023-11-30", 3, "2024-02-29"),
        ("2023-12-10", 1, "2024-01-10"),
    ])
    func months(from: String, months: Int, expected: String) throws {
        let start = try #require(CalendarDate(from))
        #expect(start.addingMonths(months).description == expected)
    }

    @Test("day numbers and weekdays agree with the civil calendar")
    func dayNumbers() throws {
        #expect(CivilCalendar.dayNumber(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.dayNumber(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.isoWeekday(dayNumber: CivilCalendar.dayNumber(year: 2024, month: 10, day: 1)) == 2)
        for n in stride(from: -1000, to: 30_000, by: 37) {
            let d = CalendarDate(dayNumber: n)
            #expect(d.dayNumber == n)
        }
    }
}

@Suite("Masking")
struct MaskingTests {
    @Test("display and publication masks follow the conventions")
    func masks() {
        #expect(Masking.displayName("张三丰") == "张**")
        #expect(Masking.publicationName("张三丰") == "张某")
        #expect(Masking.publicationName("欧阳修文") == "欧阳某")
        #expect(Masking.idNumber("520102199003071236") == "520102************")
        #expect(Masking.phone("13812341234") == "138****1234")
        #expect(Masking.address("贵州省贵阳市云岩区中华北路1号") == "贵州省贵阳市云岩区****")
    }

    @Test("officials and counsel are never masked; parties are")
    func byRole() {
        #expect(Masking.name("李法官", role: .judge) == "李法官")
        #expect(Masking.name("王律师", role: .defenseLawyer) == "王律师")
        #expect(Masking.name("赵小明", role: .victim) == "赵**")
        #expect(Masking.name("赵小明", role: .suspect) == "赵**")
    }
}
