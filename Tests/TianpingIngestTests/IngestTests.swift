import Foundation
import Testing
import TianpingCore
import TianpingIngest

@Suite("Exchange format")
struct ExchangeFormatTests {
    @Test("every record of the fixture survives encode → decode unchanged")
    func roundTrip() throws {
        let decoder = JSONDecoder()
        var kinds = Set<RecordKind>()
        for line in Fixture.cleanLines {
            let record = try decoder.decode(ExchangeRecord.self, from: Data(line.utf8))
            kinds.insert(record.kind)
            #expect(Fixture.line(record) == line)
        }
        #expect(kinds.isSuperset(of: [.agency, .case, .person, .event, .document, .evidence, .judgment]))
    }

    @Test("sensitive fields encode as plain values but never print")
    func sensitive() throws {
        let person = Fixture.suspect
        let json = String(decoding: try JSONEncoder().encode(person), as: UTF8.self)
        #expect(json.contains("520102199003071236"))
        #expect(!"\(person)".contains("520102199003071236"))
        #expect(!"\(person)".contains("张三"))
        #expect(Person.sensitiveFieldNames.contains("idNumber"))
    }
}

@Suite("Ingest")
struct IngestTests {
    @Test("a clean file is accepted whole")
    func clean() async throws {
        let store = MemoryIngestStore()
        let summary = try await ingestLines(Fixture.cleanLines, into: store)
        #expect(summary.total(.accepted) == Fixture.cleanLines.count)
        #expect(summary.total(.quarantined) == 0)
        #expect(await store.quarantine.isEmpty)
        #expect(await store.commits > 1, "batches of 7 lines")
    }

    @Test("ingesting the same file again changes nothing and says so")
    func idempotent() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        let versionsBefore = await store.versions
        let again = try await ingestLines(Fixture.cleanLines, into: store)
        #expect(again.total(.unchanged) == Fixture.cleanLines.count)
        #expect(again.changedNothing)
        #expect(await store.versions == versionsBefore)
    }

    @Test("the same content with other key order or spacing is recognised as unchanged")
    func canonicalContent() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        let reordered = #"{ "version": 1, "payload": {"attributes": {}, "person": "TP52010220240000001-P1", "officer": "520102GA01-U01", "agency": "520102GA01", "occurredAt": "2024-03-02T10:00:00+08:00", "kind": "detained"}, "case": "TP52010220240000001", "id": "E2", "source": "520102GA01", "kind": "event" }"#
        let summary = try await ingestLines([reordered], into: store)
        #expect(summary.total(.unchanged) == 1)
    }

    @Test("versions: a higher one supersedes, a late lower one is history, a changed same one is a conflict")
    func versions() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        let corrected = Fixture.event("E3", .familyNotified, "2024-03-02T17:00:00+08:00", version: 3)
        var summary = try await ingestLines([Fixture.line(corrected)], into: store)
        #expect(summary.total(.superseded) == 1)
        let key = RecordKey(source: Fixture.police, kind: .event, id: "E3")
        #expect(await store.current[key] == 3)

        let late = Fixture.event("E3", .familyNotified, "2024-03-02T16:00:00+08:00", version: 2)
        summary = try await ingestLines([Fixture.line(late)], into: store)
        #expect(summary.total(.historical) == 1)
        #expect(await store.current[key] == 3, "a late lower version does not become current")
        #expect(await store.versions[key]?.count == 3, "every version is kept")

        let conflicting = Fixture.event("E3", .familyNotified, "2024-03-02T15:00:00+08:00", version: 3)
        summary = try await ingestLines([Fixture.line(conflicting)], into: store)
        #expect(summary.total(.quarantined) == 1)
        #expect(await store.quarantine.last?.code == .versionConflict)
    }

    /// One bad line per rejection code; the test below checks that the table covers every code.
    static let badLines: [(RejectionCode, String)] = {
        let f = Fixture.self
        var person = f.suspect
        var badBirth = f.suspect
        badBirth.birthDate = CalendarDate(year: 1991, month: 3, day: 7)
        person.idNumber = Sensitive("520102199003071237")
        var badCase = f.criminalCase
        badCase.agencyNumbers = [AgencyCaseNumber(agency: f.court, number: "（2024）黔0102刑123号")]
        let doc = LegalDocument(type: .arrestWarrant, issuedAt: f.t("2024-03-08T12:00:00+08:00"), issuer: f.police,
            text: "逮捕证正文", contentHash: ContentHash.sha256Hex("另一段文字"))
        let probation = Judgment(defendant: f.caseID + "-P1", caseNumber: "（2024）黔0102刑初1号", instance: 1, court: f.court,
            decidedAt: f.t("2024-05-10T10:00:00+08:00"), charges: ["盗窃罪"], principalPenalty: .fixedTermImprisonment,
            termMonths: 60, probationMonths: 60)
        let negativeAmount = Judgment(defendant: f.caseID + "-P1", caseNumber: "（2024）黔0102刑初2号", instance: 1, court: f.court,
            decidedAt: f.t("2024-05-10T10:00:00+08:00"), charges: ["盗窃罪"], principalPenalty: .fixedTermImprisonment,
            termMonths: 10, facts: SentencingFacts(amountYuan: -1))
        return [
            (.schema, f.line(ExchangeRecord(source: f.court, id: "J9", caseID: f.caseID, payload: .judgment(negativeAmount)))),
            (.malformedJSON, #"{"kind":"event","source":"520102GA01","#),
            (.schema, #"{"kind":"event","source":"520102GA01","id":"X1","version":1,"case":"TP52010220240000001","payload":{"kind":"detained","agency":"520102GA01","attributes":{}}}"#),
            (.invalidValue, #"{"kind":"event","source":"520102GA01","id":"X2","version":1,"case":"TP52010220240000001","payload":{"kind":"teleported","occurredAt":"2024-03-02T10:00:00+08:00","agency":"520102GA01","attributes":{}}}"#),
            (.invalidDate, #"{"kind":"event","source":"520102GA01","id":"X3","version":1,"case":"TP52010220240000001","payload":{"kind":"detained","occurredAt":"2024-03-02 10:00","agency":"520102GA01","attributes":{}}}"#),
            (.unknownKind, #"{"kind":"spaceship","source":"520102GA01","id":"X4","version":1,"payload":{}}"#),
            (.unknownAgency, f.line(f.event("X5", .detained, "2024-03-02T10:00:00+08:00", agency: "520102GA09"))),
            (.invalidAgencyCode, f.line(f.event("X6", .detained, "2024-03-02T10:00:00+08:00", agency: "GA-EAST"))),
            (.wrongAgencyKind, f.line(f.event("X7", .arrestApproved, "2024-03-08T10:00:00+08:00", agency: f.police))),
            (.unknownCase, f.line(f.event("X8", .detained, "2024-03-02T10:00:00+08:00", caseID: "TP52010220249999999"))),
            (.missingCase, #"{"kind":"event","source":"520102GA01","id":"X9","version":1,"payload":{"kind":"detained","occurredAt":"2024-03-02T10:00:00+08:00","agency":"520102GA01","attributes":{}}}"#),
            (.wrongCaseType, f.line(f.event("X10", .detained, "2024-03-02T10:00:00+08:00", caseID: f.civilCaseID))),
            (.futureDate, f.line(f.event("X11", .detained, "2099-03-02T10:00:00+08:00"))),
            (.implausibleDate, f.line(f.event("X12", .detained, "1975-03-02T10:00:00+08:00"))),
            (.timeline, f.line(f.event("X13", .detained, "2024-01-02T10:00:00+08:00"))),
            (.timeline, f.line(ExchangeRecord(source: f.police, id: "X19", caseID: f.caseID, payload: .person(
                Person(id: "X19", role: .witness, name: "未来人", birthDate: CalendarDate(year: 2024, month: 6, day: 1)))))),
            (.invalidIDNumber, f.line(ExchangeRecord(source: f.police, id: "X14", caseID: f.caseID, payload: .person(person)))),
            (.inconsistent, f.line(ExchangeRecord(source: f.police, id: "X15", caseID: f.caseID, payload: .person(badBirth)))),
            (.invalidCaseNumber, f.line(ExchangeRecord(source: f.police, id: f.caseID, version: 5, caseID: f.caseID, payload: .case(badCase)))),
            (.contentHashMismatch, f.line(ExchangeRecord(source: f.police, id: "X16", caseID: f.caseID, payload: .document(doc)))),
            (.implausibleValue, f.line(ExchangeRecord(source: f.court, id: "X17", caseID: f.caseID, payload: .judgment(probation)))),
            (.missingAttribute, f.line(f.event("X18", .custodyExtended, "2024-05-02T10:00:00+08:00", agency: f.cityProcuratorate,
                attributes: EventAttributes(extensionMonths: 1)))),
            // A county procuratorate named as the approver with the label "city": the level is the agency's own.
            (.approverMismatch, f.line(f.event("X20", .custodyExtended, "2024-05-02T10:00:00+08:00", agency: f.procuratorate,
                attributes: EventAttributes(approverLevel: .city, approverAgency: f.procuratorate, extensionMonths: 1, legalGround: "CPL156")))),
            (.versionConflict, f.line(f.event("E2", .detained, "2024-03-02T11:00:00+08:00"))),
        ]
    }()

    @Test("each class of bad line is quarantined with its code, a Chinese reason and the raw text")
    func badLines() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        for (code, line) in Self.badLines {
            let before = await store.quarantine.count
            let summary = try await ingestLines([line], into: store, name: "bad-\(code.rawValue).jsonl")
            #expect(summary.total(.quarantined) == 1, "\(code.rawValue) was not quarantined")
            let entry = try #require(await store.quarantine.last)
            #expect(await store.quarantine.count == before + 1)
            #expect(entry.code == code, "expected \(code.rawValue), got \(entry.code.rawValue): \(entry.message)")
            #expect(entry.rawText == line)
            #expect(entry.lineNumber == 1)
            #expect(entry.sourceName == "bad-\(code.rawValue).jsonl")
            #expect(entry.message.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "message is Chinese")
        }
    }

    @Test("GBK input, invalid bytes and an over-long line are named for what they are")
    func encodingAndLength() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        // "拘留" in GBK is C2 D0 C1 F4.
        let gbk: [UInt8] = Array(#"{"kind":"event","note":""#.utf8) + [0xBE, 0xD0, 0xC1, 0xF4] + Array(#""}"#.utf8)
        _ = try await ingestBytes(gbk + [10], into: store)
        #expect(await store.quarantine.last?.code == .encodingGBK)
        #expect(await store.quarantine.last?.rawEncoding == "hex")
        _ = try await ingestBytes([0xFF, 0xFF, 0x7B, 0xFF, 10], into: store)
        #expect(await store.quarantine.last?.code == .encodingInvalid)

        let long = "{\"kind\":\"event\",\"padding\":\"" + String(repeating: "x", count: 3_000_000) + "\"}"
        let summary = try await ingestLines([long, Fixture.cleanLines[0]], into: store, maxLineBytes: 1 << 20)
        let entry = try #require(await store.quarantine.last)
        #expect(entry.code == .lineTooLong)
        #expect(entry.byteCount == long.utf8.count)
        #expect(entry.rawSHA256 == ContentHash.sha256Hex(long))
        #expect(entry.rawEncoding == "truncated-utf8")
        #expect(summary.total(.unchanged) == 1, "the line after the long one is still read")
    }

    @Test("a level label without a named approver is accepted (an older sender forwarding a higher approval); the engine ignores it")
    func labelWithoutApprover() {
        let f = Fixture.self
        let record = ExchangeRecord(source: f.procuratorate, id: "X21", caseID: f.caseID, payload: .event(CaseEvent(kind: .custodyExtended,
            occurredAt: Timestamp("2024-05-02T10:00:00+08:00")!, agency: f.procuratorate, officer: nil, person: nil,
            attributes: EventAttributes(approverLevel: .city, extensionMonths: 1, legalGround: "CPL156"))))
        #expect(RecordValidator(now: Timestamp("2026-07-01T00:00:00+08:00")!).check(record) == nil)
    }

    @Test("every rejection code has a test line")
    func coverage() {
        let tested = Set(Self.badLines.map(\.0)).union([.encodingGBK, .encodingInvalid, .lineTooLong])
        #expect(tested == Set(RejectionCode.allCases))
    }

    @Test("nothing is lost: every non-blank line is accepted, unchanged or quarantined")
    func accounting() async throws {
        let store = MemoryIngestStore()
        let lines = Fixture.cleanLines + ["", "   "] + Self.badLines.map(\.1)
        let summary = try await ingestLines(lines, into: store)
        let counted = IngestOutcome.allCases.reduce(0) { $0 + summary.total($1) }
        #expect(summary.blankLines == 2)
        #expect(counted + summary.blankLines == lines.count)
        #expect(summary.lines == lines.count)
    }

    @Test("a record whose case arrives later is quarantined, then accepted on replay")
    func replay() async throws {
        let store = MemoryIngestStore()
        let agencies = Array(Fixture.cleanLines.prefix(4))
        let orphan = Fixture.line(Fixture.event("E2", .detained, "2024-03-02T10:00:00+08:00"))
        var summary = try await ingestLines(agencies + [orphan], into: store)
        #expect(summary.total(.quarantined) == 1)
        let entry = try #require(await store.quarantine.first)
        #expect(entry.code == .unknownCase)

        _ = try await ingestLines([Fixture.cleanLines[4]], into: store)  // the case record
        let ingestor = Ingestor(store: store, options: IngestOptions(now: Fixture.now))
        summary = try await ingestor.replay([(id: 41, entry: entry)])
        #expect(summary.total(.accepted) == 1)
        #expect(await store.resolved == [41])
    }
}

@Suite("Published JSON Schema")
struct SchemaTests {
    /// `schema/exchange-record.schema.json`, found from this source file's location.
    static func schema() throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("schema/exchange-record.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func enumValues(_ schema: [String: Any], _ path: [String]) throws -> Set<String> {
        var node: Any = schema
        for key in path { node = try #require((node as? [String: Any])?[key]) }
        let values = try #require((node as? [String: Any])?["enum"] as? [Any])
        return Set(values.compactMap { $0 as? String })
    }

    @Test("the schema's enumerations are exactly the model's")
    func enumerations() throws {
        let s = try Self.schema()
        let defs = ["$defs"]
        #expect(try Self.enumValues(s, ["properties", "kind"]) == Set(RecordKind.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["event", "properties", "kind"]) == Set(EventKind.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["document", "properties", "type"]) == Set(DocumentType.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["evidence", "properties", "category"]) == Set(EvidenceCategory.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["judgment", "properties", "principalPenalty"]) == Set(PrincipalPenalty.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["judgment", "properties", "facts", "properties", "injury"]) == Set(Injury.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["person", "properties", "role"]) == Set(PersonRole.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["agency", "properties", "kind"]) == Set(AgencyKind.allCases.map(\.rawValue)))
        #expect(try Self.enumValues(s, defs + ["case", "properties", "type"]) == Set(CaseType.allCases.map(\.rawValue)))
    }

    @Test("fields the model marks sensitive are marked in the schema")
    func sensitive() throws {
        let s = try Self.schema()
        let person = try #require(((s["$defs"] as? [String: Any])?["person"] as? [String: Any])?["properties"] as? [String: Any])
        for name in Person.sensitiveFieldNames {
            #expect((person[name] as? [String: Any])?["x-sensitive"] as? Bool == true, "\(name)")
        }
    }
}

@Suite("Execution histories at ingest")
struct ExecutionHistoryIngestTests {
    static func execution(_ id: String, commutations: [Commutation], delivered: String? = nil, categories: [String]? = nil,
        parole: ParoleGrant? = nil) -> String
    {
        let f = Fixture.self
        let x = ExecutionRecord(convict: f.caseID + "-P1", facility: f.court, termStart: CalendarDate("2024-03-02")!, termEnd: CalendarDate("2030-03-01")!,
            commutations: commutations, deliveredOn: delivered.flatMap { CalendarDate($0) }, categories: categories, parole: parole)
        return f.line(ExchangeRecord(source: f.court, id: id, caseID: f.caseID, payload: .execution(x)))
    }

    static func commutation(ruled: String, proposed: String? = nil, served: String? = nil, cut: Int? = 6, to: Int? = nil) -> Commutation {
        Commutation(ruledAt: Fixture.t(ruled + "T10:00:00+08:00"), rulingNumber: "（\(ruled.prefix(4))）黔01刑更\(ruled.suffix(5))号", reductionMonths: cut, reducedToMonths: to,
            proposedOn: proposed.flatMap { CalendarDate($0) }, servedOn: served.flatMap { CalendarDate($0) }, grounds: .repentance)
    }

    @Test("an impossible commutation history is quarantined with a stable code and a Chinese reason; a sound one is kept with all it says")
    func histories() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        let c = Self.commutation
        let bad: [(RejectionCode, String, String)] = [
            (.timeline, Self.execution("XE1", commutations: [c("2024-09-01", "2024-09-05", nil, 6, nil)]), "晚于裁定日"),
            (.timeline, Self.execution("XE2", commutations: [c("2024-09-01", nil, "2024-08-20", 6, nil)]), "早于裁定日"),
            (.timeline, Self.execution("XE3", commutations: [c("2024-09-01", nil, "2024-09-03", 6, nil), c("2024-07-01", nil, nil, 6, nil)]), "先后"),
            (.timeline, Self.execution("XE4", commutations: [c("2024-09-01", nil, "2024-09-10", 6, nil), c("2024-12-01", "2024-09-05", nil, 6, nil)]),
                "早于上一次减刑裁定送达"),
            (.schema, Self.execution("XE5", commutations: [c("2024-09-01", nil, nil, nil, nil)]), "之一"),
            (.invalidValue, Self.execution("XE6", commutations: [c("2024-09-01", nil, nil, nil, 400)]), "120 至 300"),
            (.timeline, Self.execution("XE7", commutations: [], delivered: "2024-01-01"), "交付执行之日"),
            (.invalidValue, Self.execution("XE8", commutations: [], categories: ["vip"]), "罪犯类别"),
            (.invalidValue, Self.execution("XE12", commutations: [c("2024-09-01", nil, nil, 0, nil)]), "至少为 1"),
            (.timeline, Self.execution("XE13", commutations: [c("2024-07-01", nil, "2024-08-10", 6, nil), c("2024-08-01", nil, nil, 6, nil)]),
                "早于上一次减刑裁定送达"),
            (.timeline, Self.execution("XE14", commutations: [c("2024-07-01", "2024-03-05", nil, 6, nil)], delivered: "2024-03-20"), "交付执行之日"),
            (.implausibleDate, Self.execution("XE15", commutations: [c("2024-07-01", nil, "9999-12-31", 6, nil)]), "不合常理"),
            (.timeline, Self.execution("XE10", commutations: [c("2024-09-01", nil, nil, 6, nil)],
                parole: ParoleGrant(ruledAt: Fixture.t("2024-07-01T10:00:00+08:00"), rulingNumber: "（2026）黔01刑更2号")), "最后一次减刑"),
            (.timeline, Self.execution("XE11", commutations: [],
                parole: ParoleGrant(ruledAt: Fixture.t("2024-07-01T10:00:00+08:00"), rulingNumber: "（2026）黔01刑更3号", proposedOn: CalendarDate("2024-08-01"))),
                "晚于裁定日"),
        ]
        for (code, line, reason) in bad {
            let summary = try await ingestLines([line], into: store)
            #expect(summary.total(.quarantined) == 1, "\(reason)")
            let entry = try #require(await store.quarantine.last)
            #expect(entry.code == code && entry.message.contains(reason), "\(entry.code.rawValue): \(entry.message)")
        }
        let good = Self.execution("XE9", commutations: [c("2024-09-01", "2024-08-01", "2024-09-04", 6, nil)], delivered: "2024-03-20",
            categories: ["recidivist"])
        let summary = try await ingestLines([good], into: store)
        #expect(summary.total(.quarantined) == 0)
        let decoded = try RecordDecoder(now: Fixture.t("2026-06-01T00:00:00+08:00")).decode(Array(good.utf8)).get().record
        guard case .execution(let x) = decoded.payload else { Issue.record("not an execution record"); return }
        #expect(x.deliveredOn == CalendarDate("2024-03-20") && x.categories == ["recidivist"])
        #expect(x.commutations.first?.servedOn == CalendarDate("2024-09-04") && x.commutations.first?.grounds == .repentance)
    }
}

extension ExecutionHistoryIngestTests {
    @Test("ruling numbers of one record are present and distinct (each finding of the review is named by one)")
    func rulingNumbers() async throws {
        let store = MemoryIngestStore()
        _ = try await ingestLines(Fixture.cleanLines, into: store)
        let one = Self.commutation(ruled: "2024-07-01", served: "2024-07-05")
        var blank = one
        blank.rulingNumber = " "
        var same = Self.commutation(ruled: "2024-09-01")
        same.rulingNumber = one.rulingNumber
        for (line, code) in [(Self.execution("XN1", commutations: [one, same]), RejectionCode.inconsistent),
            (Self.execution("XN2", commutations: [blank]), .schema)]
        {
            let summary = try await ingestLines([line], into: store)
            #expect(summary.total(.quarantined) == 1)
            #expect(await store.quarantine.last?.code == code)
        }
    }
}
