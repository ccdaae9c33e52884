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

    private var caseID = ""
    private var eventSerial = 0
    private var documentSerial = 0
    private var personSerial = 0
    private var county: ProvinceLayout.County!
    private var city: ProvinceLayout.City { layout.cities[county.cityIndex] }

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

    private func agency(_ kind: AgencyKind, level: AdministrativeLevel = .county) -> String {
        switch level {
        case .county: return ProvinceLayout.agencyCode(county.code, kind)
        case .city: return ProvinceLayout.agencyCode(city.code, kind)
        case .province: return ProvinceLayout.agencyCode(ProvinceLayout.provinceCode, kind)
        }
    }

    private mutating func official(_ agencyCode: String) -> String? {
        guard let list = staff.officials[agencyCode], !list.isEmpty else { return nil }
        return rng.pick(list)
    }

    /// A working-hours time on a day.
    private mutating func office(_ day: Int) -> LocalTime { LocalTime(day: day, hour: rng.int(9...16), minute: rng.int(0...59)) }

    /// A working-hours time on a day, but never before `earlier` (a later act of the same day comes later).
    private mutating func office(_ day: Int, after earlier: LocalTime) -> LocalTime {
        max(office(day), earlier.plus(hours: 0, minutes: rng.int(10...90)))
    }

    // MARK: - Record writing

    private mutating func begin(_ kind: StaticString, source: String, id: String, version: Int = 1, withCase: Bool = true) {
        out.beginObject()
        out.string("kind", String(describing: kind))
        out.string("source", source)
        out.string("id", id)
        out.int("version", version)
        if withCase { out.string("case", caseID) }
        out.beginObject("payload")
        recordCount += 1
    }

    private mutating func end() {
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
    private mutating func event(_ kind: EventKind, _ at: LocalTime, _ agencyCode: String, person: String? = nil,
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
    private mutating func document(_ type: DocumentType, _ at: LocalTime, _ issuer: String, number: String?) -> String {
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
    private mutating func party(_ role: PersonRole, source: String, name given: String? = nil, withIdentity: Bool)
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
    private mutating func evidence(_ category: EvidenceCategory, _ description: String, _ at: LocalTime, _ agencyCode: String,
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
    private mutating func defenseLawyer(source: String) {
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

    private mutating func plant(_ v: PlantedViolation, events: [String], documents: [String] = [], detail: String) {
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

    private func courtNumber(year: Int, type: String, serial: Int, intermediate: Bool = false) -> String {
        let digits = intermediate ? String(county.courtDigits.prefix(2)) : county.courtDigits
        return "（\(year)）\(ProvinceLayout.abbreviation)\(digits)\(type)\(serial)号"
    }

    private var localShort: String { ProvinceLayout.abbreviation + city.short + String(county.name.prefix(1)) }

    private func year(_ day: Int) -> Int { CivilCalendar.date(fromDayNumber: day).year }

    /// The day `months` procedural months after `day` (SPC-Interp Art. 202(1)).
    private func monthsAfter(_ day: Int, _ months: Int) -> Int {
        CalendarDate(dayNumber: day).addingMonths(months).dayNumber
    }

    private mutating func caseRecord(type: CaseType, source: String, title: String, charges: [String], cause: String?,
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

extension CaseBuilder {
    // MARK: - Criminal cases

    mutating func writeCriminalCase(serial: Int, acceptanceDay: Int) {
        let profile = rng.weighted(CrimeProfile.all.map { ($0, $0.weight) })
        let police = agency(.publicSecurity)
        let procuratorate = agency(.procuratorate)
        let court = agency(.court)
        let detentionHouse = agency(.detentionHouse)
        let custody = rng.chance(profile.custodyRate)
        let complex = custody && rng.chance(profile.complexRate)
        let detentionSentence = rng.chance(profile.detentionShare)
        let term = detentionSentence ? rng.int(1...6) : rng.int(profile.termMonths)
        let guiltyPlea = rng.chance(0.7)
        var flags = profile.flags
        if complex { flags.append("major_complex") }
        if guiltyPlea { flags.append("guilty_plea") }
        let procedure: TrialProcedure
        if complex || term > 36 || profile.flags.contains("possible_death") {
            procedure = .ordinary
        } else if guiltyPlea {
            procedure = rng.weighted([(.fastTrack, 40), (.summary, 40), (.ordinary, 20)])
        } else {
            procedure = rng.chance(0.5) ? .summary : .ordinary
        }

        // Choose at most one violation that this path can carry.
        var violation: PlantedViolation?
        if rng.chance(violationRate) {
            var options: [PlantedViolation] = [.executionHandoverLate]
            // Fast-track cases are not returned for supplementary investigation (a return ends the fast track).
            if procedure != .fastTrack { options.append(.thirdSupplementaryReturn) }
            // A fast-track review over a month would also break the 10-day fast-track limit (CPL 172).
            if procedure != .fastTrack { options.append(.prosecutionReviewOverdue) }
            if custody {
                options += [.familyNoticeLate, .firstInterrogationLate, .arrestRequestLate, .arrestDecisionLate,
                    .arrestWithoutApproval, .investigationCustodyOverdue, .extensionWrongApprover,
                    .missingDetentionWarrant, .missingArrestWarrant]
            }
            if procedure == .ordinary { options.append(.trialOverdue) }
            violation = rng.pick(options)
        }

        let accepted = office(acceptanceDay)
        let suspectName = Names.person(&rng)
        let title = String(suspectName.prefix(1)) + "某" + String(profile.charge.dropLast()) + "案"
        let policeNumber = localShort + "公（刑）立字〔\(year(acceptanceDay))〕\(serial)号"
        caseRecord(type: .criminal, source: police, title: title, charges: [profile.charge], cause: nil, accepted: accepted,
            numbers: [(police, policeNumber)], procedure: nil, flags: flags)
        let suspect = party(.suspect, source: police, name: suspectName, withIdentity: true)
        if profile.hasVictim { _ = party(.victim, source: police, withIdentity: rng.chance(0.5)) }
        // Most defendants retain counsel (or are assigned a legal-aid lawyer); counsel keeps its name on publication.
        if rng.chance(0.65) { defenseLawyer(source: police) }

        event(.caseAccepted, accepted, police)
        document(.acceptanceRegister, accepted.plus(hours: 0, minutes: 20), police, number: nil)
        let filed = office(acceptanceDay + rng.int(0...2))
        event(.caseFiled, max(filed, accepted.plus(hours: 1)), police)
        if profile.hasVictim { evidence(.victimStatement, "被害人陈述（询问笔录）", accepted.plus(hours: 1), police) }
        if rng.chance(0.5) {
            evidence(rng.pick([.physical, .documentary, .audioVisualElectronic, .inspectionRecord]),
                rng.pick(["扣押物品清单及照片", "现场勘验笔录", "监控视频", "转账记录", "鉴定意见书"]),
                max(filed, accepted.plus(hours: 2)), police)
        }
        document(.filingDecision, max(filed, accepted.plus(hours: 1)), police,
            number: localShort + "公（刑）立字〔\(year(filed.day))〕\(serial)号")

        var releaseAnchorDay: Int  // the day custody (for sentence credit) began
        var transferDay: Int
        var arrestEvent: String?
        var arrestDay = 0
        if custody {
            // Compulsory measures follow the filing decision (立案), never precede it.
            let filedAt = max(filed, accepted.plus(hours: 1))
            let detainedAt = max(LocalTime(day: filed.day + rng.int(0...7), hour: rng.int(8...20), minute: rng.int(0...59)),
                filedAt.plus(hours: 1))
            releaseAnchorDay = detainedAt.day
            let detention = event(.detained, detainedAt, police, person: suspect.id, Attributes(inCustody: true))
            if violation == .missingDetentionWarrant {
                plant(.missingDetentionWarrant, events: [detention], detail: "拘留事件无对应拘留证")
            } else {
                document(.detentionWarrant, detainedAt, police, number: localShort + "公（刑）拘字〔\(year(detainedAt.day))〕\(serial)号")
            }
            event(.deliveredToDetentionHouse, detainedAt.plus(hours: rng.int(1...8)), police, person: suspect.id)
            let noticeAt = violation == .familyNoticeLate
                ? detainedAt.plus(hours: rng.int(30...70)) : detainedAt.plus(hours: rng.int(2...20))
            let notice = event(.familyNotified, noticeAt, police, person: suspect.id, Attributes(recipient: "近亲属"))
            let noticeDoc = document(.detentionNotice, noticeAt, police, number: nil)
            if violation == .familyNoticeLate {
                plant(.familyNoticeLate, events: [detention, notice], documents: [noticeDoc],
                    detail: "拘留后 \((noticeAt.seconds - detainedAt.seconds) / 3600) 小时通知家属")
            }
            let interrogationAt = violation == .firstInterrogationLate
                ? detainedAt.plus(hours: rng.int(26...48)) : detainedAt.plus(hours: rng.int(1...12))
            let interrogation = event(.interrogated, interrogationAt, police, person: suspect.id)
            evidence(.accusedStatement, "犯罪嫌疑人供述和辩解（讯问笔录）", interrogationAt, police, person: suspect.id)
            if violation == .firstInterrogationLate {
                plant(.firstInterrogationLate, events: [detention, interrogation],
                    detail: "拘留后 \((interrogationAt.seconds - detainedAt.seconds) / 3600) 小时首次讯问")
            }
            // CPL 91: request within 3 days of detention (start day not counted: by the end of day D+3).
            let requestDay: Int
            switch violation {
            case .arrestRequestLate: requestDay = detainedAt.day + rng.int(5...6)
            case .arrestDecisionLate: requestDay = detainedAt.day + 1
            default: requestDay = detainedAt.day + rng.int(1...3)
            }
            let requestAt = office(requestDay)
            let request = event(.arrestRequested, requestAt, police, person: suspect.id)
            document(.arrestRequest, requestAt, police, number: localShort + "公（刑）提捕字〔\(year(requestDay))〕\(serial)号")
            if violation == .arrestRequestLate {
                plant(.arrestRequestLate, events: [detention, request], detail: "拘留后第 \(requestDay - detainedAt.day) 日提请批准逮捕")
            }
            // CPL 91(3): decide within 7 days of receiving the request.
            // M8: at most ten days in all from detention to the decision (3 + 7), kept even when the request was late.
            let decisionDay = violation == .arrestDecisionLate
                ? requestDay + rng.int(8...9) : min(requestDay + rng.int(1...6), detainedAt.day + 10)
            let decisionAt = LocalTime(day: decisionDay, hour: 9, minute: rng.int(0...59))
            var approval: String?
            if violation != .arrestWithoutApproval {
                approval = event(.arrestApproved, decisionAt, procuratorate, person: suspect.id, Attributes(outcome: "approved"))
                document(.arrestApproval, decisionAt, procuratorate, number: localShort + "检批捕〔\(year(decisionDay))〕\(serial)号")
                if violation == .arrestDecisionLate {
                    plant(.arrestDecisionLate, events: [request, approval!],
                        detail: "收到提请批准逮捕书后第 \(decisionDay - requestDay) 日作出批准决定")
                }
            }
            let arrestedAt = decisionAt.plus(hours: rng.int(1...6))
            let arrest = event(.arrested, arrestedAt, police, person: suspect.id, Attributes(inCustody: true))
            arrestEvent = arrest
            arrestDay = arrestedAt.day
            if violation == .arrestWithoutApproval {
                plant(.arrestWithoutApproval, events: [request, arrest], detail: "逮捕前无批准逮捕决定")
            }
            if violation == .missingArrestWarrant {
                plant(.missingArrestWarrant, events: [arrest], detail: "逮捕事件无对应逮捕证")
            } else {
                document(.arrestWarrant, arrestedAt, police, number: localShort + "公（刑）捕字〔\(year(arrestedAt.day))〕\(serial)号")
            }
            event(.familyNotified, arrestedAt.plus(hours: rng.int(2...20)), police, person: suspect.id, Attributes(recipient: "近亲属"))
            document(.arrestNotice, arrestedAt.plus(hours: rng.int(2...20)), police, number: nil)
            event(.interrogated, arrestedAt.plus(hours: rng.int(1...20)), police, person: suspect.id)

            // CPL 156: two months of investigation custody after arrest; one more month with the approval
            // of the procuratorate one level up.
            let twoMonths = monthsAfter(arrestedAt.day, 2)
            switch violation {
            case .investigationCustodyOverdue:
                transferDay = twoMonths + rng.int(5...20)
            case .extensionWrongApprover:
                let requestExt = event(.custodyExtensionRequested, office(arrestedAt.day + rng.int(40...48)), police, person: suspect.id)
                let wrongAt = office(twoMonths - rng.int(2...5))
                let ext = event(.custodyExtended, wrongAt, procuratorate, person: suspect.id,
                    Attributes(approverLevel: .county, approverAgency: procuratorate, extensionMonths: 1, legalGround: "CPL156"))
                document(.custodyExtensionApproval, wrongAt, procuratorate, number: nil)
                transferDay = twoMonths + rng.int(6...25)
                plant(.extensionWrongApprover, events: [arrest, requestExt, ext],
                    detail: "延长侦查羁押期限由同级（县级）人民检察院批准，应由上一级人民检察院批准")
            default:
                if complex {
                    let cityProcuratorate = agency(.procuratorate, level: .city)
                    event(.custodyExtensionRequested, office(arrestedAt.day + rng.int(40...48)), police, person: suspect.id)
                    let extAt = office(twoMonths - rng.int(2...5))
                    event(.custodyExtended, extAt, cityProcuratorate, person: suspect.id,
                        Attributes(approverLevel: .city, approverAgency: cityProcuratorate, extensionMonths: 1, legalGround: "CPL156"))
                    document(.custodyExtensionApproval, extAt, cityProcuratorate, number: nil)
                    transferDay = twoMonths + rng.int(3...25)
                } else {
                    transferDay = arrestedAt.day + rng.int(20...55)
                }
            }
        } else {
            let summonsAt = max(LocalTime(day: filed.day + rng.int(0...10), hour: rng.int(8...12), minute: rng.int(0...59)),
                max(filed, accepted.plus(hours: 1)).plus(hours: 1))
            event(.summoned, summonsAt, police, person: suspect.id)
            event(.summonsEnded, summonsAt.plus(hours: rng.int(2...10)), police, person: suspect.id)
            evidence(.accusedStatement, "犯罪嫌疑人供述和辩解（讯问笔录）", summonsAt.plus(hours: 1), police, person: suspect.id)
            let bailAt = summonsAt.plus(hours: rng.int(3...11))
            event(.bailGranted, bailAt, police, person: suspect.id, Attributes(inCustody: false))
            document(.bailDecision, bailAt, police, number: nil)
            transferDay = bailAt.day + rng.int(15...90)
            releaseAnchorDay = -1
        }
        let t = office(transferDay)
        let transfer = event(.transferredForProsecution, t, police, person: suspect.id)
        document(.prosecutionOpinion, t, police, number: localShort + "公（刑）诉字〔\(year(transferDay))〕\(serial)号")
        if violation == .investigationCustodyOverdue, let arrestEvent {
            plant(.investigationCustodyOverdue, events: [arrestEvent, transfer],
                detail: "逮捕后第 \(transferDay - arrestDay) 日才移送审查起诉，超过二个月且无延长批准")
        }
        writeProsecutionAndTrial(from: t, profile: profile, term: term, detentionSentence: detentionSentence,
            procedure: procedure, suspect: suspect, custody: custody, anchorDay: releaseAnchorDay, violation: violation,
            serial: serial, police: police, procuratorate: procuratorate, court: court, detentionHouse: detentionHouse,
            flags: flags, accepted: accepted, policeNumber: policeNumber)
    }

    private mutating func writeProsecutionAndTrial(from transfer: LocalTime, profile: CrimeProfile, term: Int,
        detentionSentence: Bool, procedure: TrialProcedure, suspect: (id: String, name: String), custody: Bool,
        anchorDay: Int, violation: PlantedViolation?, serial: Int, police: String, procuratorate: String, court: String,
        detentionHouse: String, flags: [String], accepted: LocalTime, policeNumber: String)
    {
        var receipt = transfer
        if !custody {
            let bailAt = office(transfer.day + rng.int(0...3), after: transfer)
            event(.bailGranted, bailAt, procuratorate, person: suspect.id, Attributes(inCustody: false))
            document(.bailDecision, bailAt, procuratorate, number: nil)
        }
        // CPL 175(3): at most two returns for supplementary investigation, one month each.
        let returns = violation == .thirdSupplementaryReturn ? 3 : procedure == .fastTrack ? 0 : rng.weighted([(0, 85), (1, 11), (2, 4)])
        var returnEvents: [String] = []
        for n in 0..<returns {
            let back = office(receipt.day + rng.int(10...20))
            returnEvents.append(event(.returnedForSupplementaryInvestigation, back, procuratorate, person: suspect.id,
                Attributes(sequence: n + 1)))
            document(.supplementaryInvestigationDecision, back, procuratorate, number: nil)
            receipt = office(back.day + rng.int(10...27))
            returnEvents.append(event(.resubmitted, receipt, police, person: suspect.id, Attributes(sequence: n + 1)))
        }
        if violation == .thirdSupplementaryReturn {
            plant(.thirdSupplementaryReturn, events: returnEvents, detail: "退回补充侦查三次")
        }
        // CPL 172: decide within one month (10 days for fast-track with a guilty plea).
        let indictDay: Int
        if violation == .prosecutionReviewOverdue {
            indictDay = monthsAfter(receipt.day, 1) + rng.int(Self.holidayMargin...25)
        } else if procedure == .fastTrack {
            indictDay = receipt.day + rng.int(3...9)
        } else {
            indictDay = receipt.day + rng.int(5...25)
        }
        let indictAt = office(indictDay)
        if flags.contains("guilty_plea") {
            document(.pleaAgreement, office(max(receipt.day, indictDay - rng.int(1...3))), procuratorate, number: nil)
        }
        let indictment = event(.indicted, indictAt, procuratorate, person: suspect.id, Attributes(procedure: procedure))
        let procuratorateNumber = localShort + "检刑诉〔\(year(indictDay))〕\(serial)号"
        document(.indictment, indictAt, procuratorate, number: procuratorateNumber)
        if violation == .prosecutionReviewOverdue {
            let lastReceipt = returnEvents.last ?? (caseID + "-E?")
            plant(.prosecutionReviewOverdue, events: returns > 0 ? [lastReceipt, indictment] : [indictment],
                detail: "收案后第 \(indictDay - receipt.day) 日提起公诉，超过一个月且无延长")
        }

        // Trial: CPL 208 (2 months, at most 3), 220 (summary 20 days), 225 (fast-track 10 days).
        let acceptDay = indictDay + rng.int(1...4)
        let acceptedAt = office(acceptDay)
        let courtAccepted = event(.courtAccepted, acceptedAt, court, person: suspect.id, Attributes(procedure: procedure))
        if !custody {
            let bailAt = office(acceptDay + rng.int(0...5), after: acceptedAt)
            event(.bailGranted, bailAt, court, person: suspect.id, Attributes(inCustody: false))
            document(.bailDecision, bailAt, court, number: nil)
        }
        let courtNumber = courtNumber(year: year(acceptDay), type: "刑初", serial: serial)
        let hearingDay: Int
        var verdictDay: Int
        switch procedure {
        case .fastTrack:
            hearingDay = acceptDay + rng.int(3...7)
            verdictDay = hearingDay
        case .summary:
            hearingDay = acceptDay + rng.int(5...12)
            verdictDay = hearingDay + rng.int(0...5)
        default:
            event(.indictmentServed, office(acceptDay + rng.int(1...3)), court, person: suspect.id)
            hearingDay = acceptDay + rng.int(15...40)
            verdictDay = hearingDay + rng.int(0...10)
        }
        if violation == .trialOverdue {
            verdictDay = monthsAfter(acceptDay, 3) + rng.int(Self.holidayMargin...30)
        }
        let hearingAt = office(hearingDay)
        event(.hearingHeld, hearingAt, court, person: suspect.id)
        let verdictAt = office(verdictDay, after: hearingAt)
        let verdict = event(.verdictPronounced, verdictAt, court, person: suspect.id)
        if violation == .trialOverdue {
            plant(.trialOverdue, events: [courtAccepted, verdict], detail: "受理后第 \(verdictDay - acceptDay) 日宣判，无延长批准")
        }
        let judgmentNumber = courtNumber
        document(.judgment, verdictAt, court, number: judgmentNumber)
        let penalty: PrincipalPenalty = detentionSentence ? .criminalDetention : .fixedTermImprisonment
        let probation: Int? = {
            guard (detentionSentence || term <= 36), rng.chance(profile.probationRate) else { return nil }
            return detentionSentence ? max(term, rng.int(2...12)) : max(term, rng.int(12...60))
        }()
        var circumstances: [String] = flags.contains("guilty_plea") ? ["认罪认罚"] : []
        if rng.chance(0.5) { circumstances.append(rng.pick(["坦白", "自首", "退赃退赔", "取得谅解", "初犯"])) }
        let fine = profile.fine.upperBound > 0 ? rng.int(profile.fine) / 100 * 100 : nil
        let facts = Self.sentencingFacts(charge: profile.charge, term: term, circumstances: circumstances, caseID: caseID)
        writeJudgment(defendant: suspect.id, number: courtNumber, instance: 1, court: court, at: verdictAt,
            charges: [profile.charge], penalty: penalty, term: term, probation: probation, fine: fine,
            circumstances: circumstances, facts: facts)
        let servedAt = max(office(verdictDay + rng.int(0...4)), verdictAt.plus(hours: 1))
        event(.judgmentServed, servedAt, court, person: suspect.id)
        var effectiveDay = servedAt.day + 11
        var appealRuling: LocalTime?
        if rng.chance(0.05) {
            let appealAt = office(servedAt.day + rng.int(2...9))
            event(.appealed, appealAt, court, person: suspect.id)
            document(.appealPetition, appealAt, court, number: nil)
            let forward = office(appealAt.day + rng.int(1...3))
            event(.appealForwarded, forward, court, person: suspect.id)
            let cityCourt = agency(.court, level: .city)
            let second = office(forward.day + rng.int(1...4))
            event(.secondInstanceAccepted, second, cityCourt, person: suspect.id)
            let ruling = office(second.day + rng.int(20...50))
            event(.verdictPronounced, ruling, cityCourt, person: suspect.id, Attributes(outcome: "appeal_rejected"))
            let secondNumber = self.courtNumber(year: year(second.day), type: "刑终", serial: serial, intermediate: true)
            document(.ruling, ruling, cityCourt, number: secondNumber)
            writeJudgment(defendant: suspect.id, number: secondNumber, instance: 2, court: cityCourt, at: ruling,
                charges: [profile.charge], penalty: penalty, term: term, probation: probation, fine: fine,
                circumstances: circumstances, facts: facts)
            event(.judgmentServed, max(office(ruling.day + rng.int(0...4)), ruling.plus(hours: 1)), cityCourt, person: suspect.id)
            // A second-instance judgment takes effect when pronounced.
            effectiveDay = ruling.day
            appealRuling = ruling
        }
        let effective = appealRuling.map { $0.plus(hours: 0, minutes: 30) } ?? LocalTime(day: effectiveDay, hour: 9)
        let effectiveEvent = event(.judgmentEffective, effective, court, person: suspect.id)
        // CPL 264, SPC-Interp 511: hand over for execution within 10 days of effect.
        let handoverDay = violation == .executionHandoverLate
            ? effectiveDay + 10 + rng.int(Self.holidayMargin...25) : effectiveDay + rng.int(1...9)
        let handoverAt = office(handoverDay, after: effective)
        let handover = event(.handedOverForExecution, handoverAt, court, person: suspect.id)
        document(.executionNotice, handoverAt, court, number: nil)
        document(.caseClosingRegister, handoverAt, court, number: nil)
        if violation == .executionHandoverLate {
            plant(.executionHandoverLate, events: [effectiveEvent, handover],
                detail: "判决生效后第 \(handoverDay - effectiveDay) 日交付执行")
        }
        // Execution: probation → community correction; 拘役 or ≤3 months left → detention house; else prison.
        let startDay = anchorDay >= 0 ? anchorDay : handoverDay + 1
        let endDay = monthsAfter(startDay, term) - 1
        if let probation {
            let correction = agency(.communityCorrection)
            let reportDay = handoverDay + rng.int(1...9)
            event(.communityCorrectionStarted, office(reportDay), correction, person: suspect.id)
            if custody {
                let releasedAt = office(handoverDay, after: handoverAt)
                event(.released, releasedAt, detentionHouse, person: suspect.id)
                document(.releaseCertificate, releasedAt, detentionHouse, number: nil)
            }
            writeExecution(convict: suspect.id, facility: correction, source: correction, start: effectiveDay,
                end: monthsAfter(effectiveDay, probation) - 1, status: "community_correction")
        } else {
            let remainingDays = endDay - handoverDay
            let facility = detentionSentence || remainingDays <= 92
                ? detentionHouse : ProvinceLayout.agencyCode(ProvinceLayout.provinceCode, .prison, county.cityIndex % 2 + 1)
            let admittedDay = facility == detentionHouse ? handoverDay : handoverDay + rng.int(3...25)
            let admittedAt = office(admittedDay, after: handoverAt)
            event(.admittedToPrison, admittedAt, facility, person: suspect.id)
            let released = endDay + 1 <= Self.horizonDay
            if released {
                let releasedAt = office(max(endDay + 1, admittedDay), after: admittedAt)
                event(.released, releasedAt, facility, person: suspect.id)
                document(.releaseCertificate, releasedAt, facility, number: nil)
            }
            writeExecution(convict: suspect.id, facility: facility, source: facility, start: startDay, end: endDay,
                status: released ? "released" : "serving")
        }
        // The police, who keep the case record, re-send it with the numbers other agencies assigned.
        caseRecord(type: .criminal, source: police, title: String(suspect.name.prefix(1)) + "某" + String(profile.charge.dropLast()) + "案",
            charges: [profile.charge], cause: nil, accepted: accepted,
            numbers: [(police, policeNumber), (procuratorate, procuratorateNumber), (court, courtNumber)],
            procedure: procedure, flags: flags, version: 2)
    }

    private mutating func writeJudgment(defendant: String, number: String, instance: Int, court: String, at: LocalTime,
        charges: [String], penalty: PrincipalPenalty, term: Int, probation: Int?, fine: Int?, circumstances: [String],
        facts: GeneratedFacts?)
    {
        begin("judgment", source: court, id: caseID + "-J" + String(instance))
        out.string("defendant", defendant)
        out.string("caseNumber", number)
        out.int("instance", instance)
        out.string("court", court)
        out.time("decidedAt", at)
        out.beginArray("charges")
        for c in charges { out.element(c) }
        out.endArray()
        out.string("principalPenalty", penalty.rawValue)
        out.int("termMonths", term)
        out.int("probationMonths", probation)
        out.int("fineYuan", fine)
        out.beginArray("circumstances")
        for c in circumstances { out.element(c) }
        out.endArray()
        if let facts {
            out.beginObject("facts")
            out.int("amountYuan", facts.amountYuan)
            out.string("drug", facts.drug)
            out.int("drugGrams", facts.drugGrams)
            out.string("injury", facts.injury)
            out.int("bloodAlcohol", facts.bloodAlcohol)
            if !facts.cues.isEmpty {
                out.beginArray("cues")
                for c in facts.cues { out.element(c) }
                out.endArray()
            }
            out.endObject()
        }
        end()
    }

    /// The facts a judgment's sentence turns on, drawn to agree with the term (an amount in the band the term belongs
    /// to), from a generator of their own so that the rest of the province is unchanged. About one fraud judgment in
    /// twenty without 自首 (the only ground for going below the minimum among the circumstances generated) gets an
    /// amount of the next band up: a sentence below the statutory minimum for the sentencing review to find.
    static func sentencingFacts(charge: String, term: Int, circumstances: [String], caseID: String) -> GeneratedFacts? {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in caseID.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        var r = SplitMix64(seed: hash, stream: 0x5E7_7E7C)
        var f = GeneratedFacts()
        switch charge {
        case "盗窃罪":
            f.amountYuan = r.int(2_000...29_000) / 10 * 10
        case "诈骗罪":
            let planted = term <= 30 && !circumstances.contains("自首") && r.chance(0.05)
            f.amountYuan = term > 36 || planted ? r.int(100_000...450_000) / 100 * 100 : r.int(10_000...29_000) / 10 * 10
        case "掩饰、隐瞒犯罪所得、犯罪所得收益罪":
            f.amountYuan = r.int(5_000...90_000) / 10 * 10
        case "故意伤害罪":
            f.injury = term > 36 ? "serious" : "minor"
        case "危险驾驶罪":
            f.bloodAlcohol = 80 + term * 30 + r.int(0...29)
        case "走私、贩卖、运输、制造毒品罪":
            f.drug = "甲基苯丙胺"
            switch term {
            case ...36: f.drugGrams = r.int(1...9)
            case ...84:
                f.drugGrams = r.int(2...9)
                f.cues = ["情节严重"]
            case ..<180: f.drugGrams = r.int(10...49)
            default: f.drugGrams = r.int(50...90)
            }
        case "抢劫罪":
            if term > 120 { f.cues = ["入户抢劫"] }
        case "非法吸收公众存款罪":
            f.amountYuan = term > 36 ? r.int(1_000_000...9_000_000) / 1000 * 1000 : r.int(200_000...900_000) / 1000 * 1000
            if term > 36 { f.cues = ["数额巨大"] }
        default:
            return nil
        }
        return f
    }

    private mutating func writeExecution(convict: String, facility: String, source: String, start: Int, end endDay: Int,
        status: String)
    {
        begin("execution", source: source, id: caseID + "-X1")
        out.string("convict", convict)
        out.string("facility", facility)
        out.date("termStart", day: start)
        out.date("termEnd", day: max(start, endDay))
        out.beginArray("commutations")
        out.endArray()
        out.string("status", status)
        end()
    }

    // MARK: - Civil and administrative cases

    mutating func writeCourtCase(_ type: CaseType, serial: Int, acceptanceDay: Int) {
        let court = agency(.court)
        let cause = type == .civil ? rng.pick(Causes.civil) : rng.pick(Causes.administrative)
        let procedure: TrialProcedure = type == .civil && rng.chance(0.6) ? .summary : .ordinary
        let violation: PlantedViolation? = rng.chance(violationRate)
            ? (type == .civil ? (procedure == .summary ? .civilTrialOverdue : nil) : .administrativeTrialOverdue) : nil
        let typeCode = type == .civil ? "民初" : "行初"
        let number = courtNumber(year: year(acceptanceDay), type: typeCode, serial: serial)
        let plaintiffName = Names.person(&rng)
        let respondentName = type == .administrative
            ? city.name + county.name + rng.pick(["人民政府", "市场监督管理局", "自然资源局", "人力资源和社会保障局"])
            : Names.person(&rng)
        let acceptedAt = office(acceptanceDay)
        let title = String(plaintiffName.prefix(1)) + "某与" + (type == .civil ? String(respondentName.prefix(1)) + "某" : respondentName)
            + cause
        caseRecord(type: type, source: court, title: title, charges: [], cause: cause, accepted: acceptedAt,
            numbers: [(court, number)], procedure: procedure, flags: [])
        _ = party(.plaintiff, source: court, name: plaintiffName, withIdentity: rng.chance(0.7))
        _ = party(.respondent, source: court, name: respondentName, withIdentity: type == .civil && rng.chance(0.7))
        document(.complaint, acceptedAt, court, number: nil)
        let accepted = event(.courtAccepted, acceptedAt, court, Attributes(procedure: procedure))
        // CivPL 164 (summary, 3 months), 152 (ordinary, 6 months); AdmPL 81 (6 months); counted from the day after filing.
        let limitMonths = procedure == .summary ? 3 : 6
        var verdictDay: Int
        if violation != nil {
            verdictDay = monthsAfter(acceptanceDay, limitMonths) + rng.int(Self.holidayMargin...40)
        } else if type == .civil, procedure == .ordinary, rng.chance(0.1) {
            let extensionDay = monthsAfter(acceptanceDay, 6) - rng.int(5...20)
            event(.trialPeriodExtended, office(extensionDay), court,
                Attributes(approverLevel: .county, approverAgency: court, extensionMonths: 6, legalGround: "CivPL152"))
            document(.extensionApproval, office(extensionDay), court, number: nil)
            verdictDay = monthsAfter(acceptanceDay, 6) + rng.int(10...150)
        } else {
            verdictDay = acceptanceDay + (procedure == .summary ? rng.int(20...85) : rng.int(40...170))
        }
        let hearingDay = max(acceptanceDay + 15, verdictDay - rng.int(0...30))
        let hearingAt = office(hearingDay)
        event(.hearingHeld, hearingAt, court)
        let verdictAt = office(max(verdictDay, hearingDay), after: hearingAt)
        verdictDay = verdictAt.day
        let verdict = event(.verdictPronounced, verdictAt, court)
        document(.judgment, verdictAt, court, number: number)
        if let violation {
            plant(violation, events: [accepted, verdict],
                detail: "立案后第 \(verdictDay - acceptanceDay) 日宣判，超过\(limitMonths)个月且无延长")
        }
        let served = max(office(verdictDay + rng.int(0...5)), verdictAt.plus(hours: 1))
        event(.judgmentServed, served, court)
        // CivPL 171 / AdmPL 85: 15 days to appeal a judgment.
        event(.judgmentEffective, LocalTime(day: served.day + 16, hour: 9), court)
        event(.caseClosed, office(served.day + 16 + rng.int(0...5)), court)
    }

    mutating func writeEnforcementCase(serial: Int, acceptanceDay: Int) {
        let court = agency(.court)
        let violation: PlantedViolation? = rng.chance(violationRate) ? .enforcementOverdue : nil
        let number = courtNumber(year: year(acceptanceDay), type: "执", serial: serial)
        let applicantName = Names.person(&rng)
        let debtorName = Names.person(&rng)
        let cause = rng.pick(Causes.enforcement)
        let filedAt = office(acceptanceDay)
        caseRecord(type: .enforcement, source: court,
            title: String(applicantName.prefix(1)) + "某申请执行" + String(debtorName.prefix(1)) + "某" + cause,
            charges: [], cause: cause, accepted: filedAt, numbers: [(court, number)], procedure: nil, flags: [])
        _ = party(.plaintiff, source: court, name: applicantName, withIdentity: rng.chance(0.7))
        _ = party(.respondent, source: court, name: debtorName, withIdentity: rng.chance(0.7))
        document(.enforcementApplication, filedAt, court, number: nil)
        let filed = event(.enforcementFiled, filedAt, court)
        // SPC-2000 Art. 5: conclude within 6 months of filing.
        let concludedDay = violation != nil
            ? monthsAfter(acceptanceDay, 6) + rng.int(Self.holidayMargin...60) : acceptanceDay + rng.int(20...170)
        let concluded = event(.enforcementConcluded, office(concludedDay), court, Attributes(outcome: rng.pick(["fully_performed", "terminated", "settled"])))
        if let violation {
            plant(violation, events: [filed, concluded], detail: "执行立案后第 \(concludedDay - acceptanceDay) 日结案，超过六个月")
        }
    }
}

/// Sentencing facts of a generated judgment (the exchange format's `facts`).
struct GeneratedFacts {
    var amountYuan: Int?
    var drug: String?
    var drugGrams: Int?
    var injury: String?
    var bloodAlcohol: Int?
    var cues: [String] = []
}
