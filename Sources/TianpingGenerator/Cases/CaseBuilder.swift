import Crypto
import TianpingCore

/// Writes the records of one case — and the ground truth of any violation planted in it — as lines.
///
/// Timelines are drawn inside the statutory limits with margin (a limit of "3 days after detention"
/// becomes "on day 1 to 3 after detention"), so a clean case breaks no rule of
/// `procedure-deadlines.md`; a planted violation moves exactly the events it names past their limit.
struct CaseBuilder {
    let layout: ProvinceLayout
    let staff: Staff
    let violationRate: Double
    var rng: SplitMix64
    var out = JSONLineBuffer(capacity: 8 << 20)
    var truth = JSONLineBuffer(capacity: 1 << 16)
    var recordCount = 0
    var violationCounts: [PlantedViolation: Int] = [:]

    /// First and last day on which a case may be accepted (2021-01-01 … 2024-06-30).
    static let firstAcceptanceDay = CivilCalendar.dayNumber(year: 2021, month: 1, day: 1)
    static let lastAcceptanceDay = CivilCalendar.dayNumber(year: 2024, month: 6, day: 30)
    /// Days past a nominal day/month deadline that a planted lateness keeps at least: a deadline that ends on a
    /// holiday moves to the next working day (CPL 105(4), CivPL 85) and the longest run of rest days is 9
    /// (Spring Festival 2026), so a smaller lateness could be no lateness at all.
    static let holidayMargin = 12
    /// Nothing is dated after this day, so generated data is never "in the future" once it has passed.
    static let horizonDay = CivilCalendar.dayNumber(year: 2026, month: 6, day: 30)

    // MARK: - Per-case state

    var caseID = ""
    var eventSerial = 0
    var documentSerial = 0
    var personSerial = 0
    var county: ProvinceLayout.County!
    var city: ProvinceLayout.City { layout.cities[county.cityIndex] }

    init(layout: ProvinceLayout, staff: Staff, violationRate: Double, rng: SplitMix64) {
        self.layout = layout
        self.staff = staff
        self.violationRate = violationRate
        self.rng = rng
    }

    /// Writes case number `serial` (1-based).
    mutating func writeCase(serial: Int) {
        county = layout.counties[rng.int(0...(layout.counties.count - 1))]
        let acceptanceDay = rng.int(Self.firstAcceptanceDay...Self.lastAcceptanceDay)
        let year = CivilCalendar.date(fromDayNumber: acceptanceDay).year
        caseID = "TP" + county.code.text + String(year) + Self.pad7(serial)
        eventSerial = 0
        documentSerial = 0
        personSerial = 0
        let roll = rng.int(0...99)
        if roll < 60 {
            writeCriminalCase(serial: serial, acceptanceDay: acceptanceDay)
        } else if roll < 88 {
            writeCourtCase(.civil, serial: serial, acceptanceDay: acceptanceDay)
        } else if roll < 92 {
            writeCourtCase(.administrative, serial: serial, acceptanceDay: acceptanceDay)
        } else {
            writeEnforcementCase(serial: serial, acceptanceDay: acceptanceDay)
        }
    }

    static func pad7(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 7 ? s : String(repeating: "0", count: 7 - s.count) + s
    }

    // MARK: - Agencies and officials

    func agency(_ kind: AgencyKind, level: AdministrativeLevel = .county) -> String {
        switch level {
        case .county: return ProvinceLayout.agencyCode(county.code, kind)
        case .city: return ProvinceLayout.agencyCode(city.code, kind)
        case .province: return ProvinceLayout.agencyCode(ProvinceLayout.provinceCode, kind)
        }
    }

    mutating func official(_ agencyCode: String) -> String? {
        guard let list = staff.officials[agencyCode], !list.isEmpty else { return nil }
        return rng.pick(list)
    }

    /// A working-hours time on a day.
    mutating func office(_ day: Int) -> LocalTime { LocalTime(day: day, hour: rng.int(9...16), minute: rng.int(0...59)) }

    /// A working-hours time on a day, but never before `earlier` (a later act of the same day comes later).
    mutating func office(_ day: Int, after earlier: LocalTime) -> LocalTime {
        max(office(day), earlier.plus(hours: 0, minutes: rng.int(10...90)))
    }

    // MARK: - Record writing

    mutating func begin(_ kind: StaticString, source: String, id: String, version: Int = 1, withCase: Bool = true) {
        out.beginObject()
        out.string("kind", String(describing: kind))
        out.string("source", source)
        out.string("id", id)
        out.int("version", version)
        if withCase { out.string("case", caseID) }
        out.beginObject("payload")
        recordCount += 1
    }

    mutating func end() {
        out.endObject()
        out.endObject()
        out.newline()
    }

    /// Optional attributes of an event.
    struct Attributes {
        var approverLevel: AdministrativeLevel?
        var approverAgency: String?
        var extensionDays: Int?
        var extensionMonths: Int?
        var legalGround: String?
        var procedure: TrialProcedure?
        var documentNumber: String?
        var recipient: String?
        var sequence: Int?
        var inCustody: Bool?
        var outcome: String?
    }

    @discardableResult
    mutating func event(_ kind: EventKind, _ at: LocalTime, _ agencyCode: String, person: String? = nil,
        _ a: Attributes = Attributes()) -> String
    {
        eventSerial += 1
        let id = caseID + "-E" + String(eventSerial)
        begin("event", source: agencyCode, id: id)
        out.string("kind", kind.rawValue)
        out.time("occurredAt", at)
        out.string("agency", agencyCode)
        out.string("officer", official(agencyCode))
        out.string("person", person)
        out.beginObject("attributes")
        out.string("approverLevel", a.approverLevel?.rawValue)
        out.string("approverAgency", a.approverAgency)
        out.int("extensionDays", a.extensionDays)
        out.int("extensionMonths", a.extensionMonths)
        out.string("legalGround", a.legalGround)
        out.string("procedure", a.procedure?.rawValue)
        out.string("documentNumber", a.documentNumber)
        out.string("recipient", a.recipient)
        out.int("sequence", a.sequence)
        if let c = a.inCustody { out.bool("inCustody", c) }
        out.string("outcome", a.outcome)
        out.endObject()
        end()
        return id
    }

    @discardableResult
    mutating func document(_ type: DocumentType, _ at: LocalTime, _ issuer: String, number: String?) -> String {
        documentSerial += 1
        let id = caseID + "-D" + String(documentSerial)
        // Dossiers in the exchange carry the hash of the document; the synthetic text it hashes is
        // reproducible from the id, so a test can recompute it.
        let hash = JSONText.hex(SHA256.hash(data: Array((id + "|" + type.rawValue + "|" + (number ?? "")).utf8)))
        begin("document", source: issuer, id: id)
        out.string("type", type.rawValue)
        out.string("number", number)
        out.time("issuedAt", at)
        out.string("issuer", issuer)
        out.string("signer", official(issuer))
        out.string("contentHash", hash)
        end()
        return id
    }

    /// Writes a party of the case; the case record must already be written.
    mutating func party(_ role: PersonRole, source: String, name given: String? = nil, withIdentity: Bool)
        -> (id: String, name: String)
    {
        personSerial += 1
        let id = caseID + "-P" + String(personSerial)
        let name = given ?? Names.person(&rng)
        begin("person", source: source, id: id)
        out.string("id", id)
        out.string("role", role.rawValue)
        out.string("name", name)
        if withIdentity {
            let birthDay = rng.int(CivilCalendar.dayNumber(year: 1960, month: 1, day: 1)...CivilCalendar.dayNumber(year: 2002, month: 12, day: 31))
            let male = rng.chance(0.8)
            let birth = CivilCalendar.date(fromDayNumber: birthDay)
            var digits = Array(county.code.text.utf8).map { Int($0 - 48) }
            digits += [birth.year / 1000, birth.year / 100 % 10, birth.year / 10 % 10, birth.year % 10,
                birth.month / 10, birth.month % 10, birth.day / 10, birth.day % 10]
            let sequence = rng.int(0...49) * 2 + (male ? 1 : 0)
            digits += [rng.int(0...9), sequence / 10 % 10, sequence % 10]
            let check = ResidentIdentityNumber.checkCharacter(forFirst17: digits)
            out.string("idNumber", digits.map(String.init).joined() + String(check))
            out.string("gender", male ? "male" : "female")
            out.date("birthDate", day: birthDay)
            out.string("address", ProvinceLayout.provinceName + city.name + county.name + "某街道" + String(rng.int(1...300)) + "号")
        }
        end()
        return (id, name)
    }

    /// An evidence item collected by two investigators of `agencyCode` (interrogations and inquiries need two).
    mutating func evidence(_ category: EvidenceCategory, _ description: String, _ at: LocalTime, _ agencyCode: String,
        person: String? = nil)
    {
        documentSerial += 1
        let id = caseID + "-V" + String(documentSerial)
        begin("evidence", source: agencyCode, id: id)
        out.string("category", category.rawValue)
        out.string("description", description)
        out.time("collectedAt", at)
        out.string("collectedBy", agencyCode)
        out.beginArray("collectors")
        let first = official(agencyCode)
        var second = official(agencyCode)
        if second == first, let list = staff.officials[agencyCode], list.count > 1 { second = list.first { $0 != first } }
        for o in [first, second].compactMap({ $0 }) { out.element(o) }
        out.endArray()
        out.string("person", person)
        end()
    }

    /// A defence lawyer with a licence number of the usual 17-digit shape (region, category, year, serial).
    mutating func defenseLawyer(source: String) {
        personSerial += 1
        let id = caseID + "-P" + String(personSerial)
        begin("person", source: source, id: id)
        out.string("id", id)
        out.string("role", PersonRole.defenseLawyer.rawValue)
        out.string("name", Names.person(&rng))
        out.string("title", "执业证号 " + county.code.text.prefix(4) + "1" + String(rng.int(2005...2020)) + Self.pad7(rng.int(1...9_999_999))
            + String(rng.int(0...9)))
        end()
    }

    mutating func plant(_ v: PlantedViolation, events: [String], documents: [String] = [], detail: String) {
        violationCounts[v, default: 0] += 1
        truth.beginObject()
        truth.string("code", v.rawValue)
        truth.string("case", caseID)
        truth.string("rule", v.ruleReference)
        truth.string("legalBasis", v.legalBasis)
        truth.string("description", v.chineseDescription)
        truth.beginArray("events")
        for e in events { truth.element(e) }
        truth.endArray()
        truth.beginArray("documents")
        for d in documents { truth.element(d) }
        truth.endArray()
        truth.beginArray("consequences")
        for c in v.consequences { truth.element(c) }
        truth.endArray()
        truth.string("detail", detail)
        truth.endObject()
        truth.newline()
    }

    func courtNumber(year: Int, type: String, serial: Int, intermediate: Bool = false) -> String {
        let digits = intermediate ? String(county.courtDigits.prefix(2)) : county.courtDigits
        return "（\(year)）\(ProvinceLayout.abbreviation)\(digits)\(type)\(serial)号"
    }

    var localShort: String { ProvinceLayout.abbreviation + city.short + String(county.name.prefix(1)) }

    func year(_ day: Int) -> Int { CivilCalendar.date(fromDayNumber: day).year }

    /// The day `months` procedural months after `day` (SPC-Interp Art. 202(1)).
    func monthsAfter(_ day: Int, _ months: Int) -> Int {
        CalendarDate(dayNumber: day).addingMonths(months).dayNumber
    }

    mutating func caseRecord(type: CaseType, source: String, title: String, charges: [String], cause: String?,
        accepted: LocalTime, numbers: [(String, String)], procedure: TrialProcedure?, flags: [String], version: Int = 1)
    {
        begin("case", source: source, id: caseID, version: version)
        out.string("id", caseID)
        out.string("type", type.rawValue)
        out.string("title", title)
        out.beginArray("charges")
        for c in charges { out.element(c) }
        out.endArray()
        out.string("cause", cause)
        out.string("region", county.code.text)
        out.time("acceptedAt", accepted)
        out.beginArray("agencyNumbers")
        for (agencyCode, number) in numbers {
            out.beginElementObject()
            out.string("agency", agencyCode)
            out.string("number", number)
            out.endObject()
        }
        out.endArray()
        out.string("procedure", procedure?.rawValue)
        out.beginArray("flags")
        for f in flags { out.element(f) }
        out.endArray()
        end()
    }
}
