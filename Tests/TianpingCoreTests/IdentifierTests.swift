import Testing
import TianpingCore

@Suite("Identity numbers (GB 11643)")
struct ResidentIdentityNumberTests {
    @Test("valid numbers parse, with birth date and sex", arguments: [
        ("11010519491231002X", 1949, 12, 31, Gender.female),
        ("520102199003071236", 1990, 3, 7, Gender.male),
        ("440304200002294568", 2000, 2, 29, Gender.female),
    ])
    func valid(text: String, year: Int, month: Int, day: Int, gender: Gender) throws {
        let number = try ResidentIdentityNumber.parse(text).get()
        #expect(number.birthDate == CalendarDate(year: year, month: month, day: day))
        #expect(number.gender == gender)
        #expect(number.regionCode == String(text.prefix(6)))
    }

    @Test("a lower-case x is accepted as X")
    func lowerCaseX() throws {
        #expect(try ResidentIdentityNumber.parse("11010519491231002x").get().text == "11010519491231002X")
    }

    @Test("each kind of defect is named")
    func invalid() {
        #expect(ResidentIdentityNumber.parse("52010219900307123") == .failure(.wrongLength(17)))
        #expect(ResidentIdentityNumber.parse("5201021990030712A6") == .failure(.notDigits))
        #expect(ResidentIdentityNumber.parse("520102199002301236") == .failure(.badBirthDate))
        #expect(ResidentIdentityNumber.parse("990102199003071236") == .failure(.badRegion))
        #expect(ResidentIdentityNumber.parse("520102199003071237") == .failure(.checkDigitMismatch(expected: "6", found: "7")))
    }

    @Test("every single-digit change of a valid number is caught by the check digit")
    func singleDigitErrors() {
        let valid = Array("520102199003071236")
        for position in 0..<17 {
            for digit in "0123456789" where digit != valid[position] {
                var changed = valid
                changed[position] = digit
                if case .success = ResidentIdentityNumber.parse(String(changed)) {
                    Issue.record("change at \(position) to \(digit) was not detected")
                }
            }
        }
    }

    @Test("the number never prints itself")
    func redacted() throws {
        let number = try ResidentIdentityNumber.parse("520102199003071236").get()
        #expect(!"\(number)".contains("5201021990"))
        #expect("\(Sensitive("520102199003071236"))" == "«敏感信息»")
    }
}

@Suite("Court case numbers (案号)")
struct CourtCaseNumberTests {
    @Test("well-formed numbers parse into their parts", arguments: [
        ("（2023）黔0102刑初123号", 2023, "黔0102", "刑初", 123, CaseType.criminal),
        ("(2024)黔01刑终7号", 2024, "黔01", "刑终", 7, CaseType.criminal),
        ("（2022）京民终45号", 2022, "京", "民终", 45, CaseType.civil),
        ("（2021）最高法刑核1号", 2021, "最高法", "刑核", 1, CaseType.criminal),
        ("（2023）黔0102执恢12号", 2023, "黔0102", "执恢", 12, CaseType.enforcement),
        ("（2023）粤0304行初9号", 2023, "粤0304", "行初", 9, CaseType.administrative),
    ])
    func valid(text: String, year: Int, court: String, type: String, serial: Int, caseType: CaseType) throws {
        let number = try CourtCaseNumber.parse(text).get()
        #expect(number.year == year)
        #expect(number.courtCode == court)
        #expect(number.typeCode == type)
        #expect(number.serial == serial)
        #expect(number.caseType == caseType)
        #expect(try CourtCaseNumber.parse(number.description).get() == number)
    }

    @Test("malformed numbers are rejected", arguments: [
        "2023黔0102刑初123号", "（23）黔0102刑初123号", "（2023）XX0102刑初123号", "（2023）黔012刑初123号",
        "（2023）黔0102刑123号", "（2023）黔0102刑初号", "（2023）黔0102刑初123", "（2023）黔0102刑初0号", "",
    ])
    func invalid(text: String) {
        guard case .failure(let problem) = CourtCaseNumber.parse(text) else {
            Issue.record("\(text) should be rejected")
            return
        }
        #expect(problem.message.contains("案号"))
    }

    @Test("police and procuratorate numbers need a year in 〔〕 and a serial")
    func nonCourtNumbers() {
        #expect(AgencyCaseNumber.isWellFormedNonCourtNumber("黔贵公（刑）立字〔2024〕123号"))
        #expect(AgencyCaseNumber.isWellFormedNonCourtNumber("黔贵检刑诉〔2024〕5号"))
        #expect(!AgencyCaseNumber.isWellFormedNonCourtNumber("黔贵公立字2024第123号"))
        #expect(!AgencyCaseNumber.isWellFormedNonCourtNumber("黔贵检刑诉〔24〕5号"))
    }
}

@Suite("Region and agency codes")
struct RegionCodeTests {
    @Test("levels and parents follow GB/T 2260 structure")
    func levels() throws {
        let county = try #require(RegionCode("520102"))
        #expect(county.level == .county)
        #expect(county.city.text == "520100")
        #expect(county.province.text == "520000")
        #expect(county.parent?.text == "520100")
        #expect(RegionCode("520100")?.level == .city)
        #expect(RegionCode("520000")?.level == .province)
        #expect(try #require(RegionCode("520000")).contains(county))
        #expect(!(try #require(RegionCode("520200")).contains(county)))
    }

    @Test("malformed codes are rejected", arguments: ["52010", "5201020", "990102", "52a102", "520012"])
    func invalid(text: String) {
        #expect(RegionCode(text) == nil)
    }

    @Test("agency codes carry the region, the kind letters and a serial")
    func agencyCodes() {
        #expect(Agency.isWellFormedCode("520102GA01", kind: .publicSecurity))
        #expect(!Agency.isWellFormedCode("520102GA01", kind: .court))
        #expect(!Agency.isWellFormedCode("520102XX01"))
        #expect(!Agency.isWellFormedCode("520102GA1"))
    }
}
