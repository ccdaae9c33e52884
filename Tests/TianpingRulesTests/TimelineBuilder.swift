import Foundation
import TianpingCore
import TianpingRules

/// Builds hand-made case timelines for rule tests: times are China local time, `2024-03-04 10:00`.
struct TimelineBuilder {
    static let police = "520102GA01"
    static let procuratorate = "520102JC01"
    static let cityProcuratorate = "520100JC01"
    static let provincialProcuratorate = "520000JC01"
    static let court = "520102FY01"
    static let cityCourt = "520100FY01"
    static let detentionHouse = "520102KS01"

    var caseType: CaseType = .criminal
    var flags: [String] = []
    var procedure: TrialProcedure?
    private(set) var events: [TimelineEvent] = []
    private(set) var documents: [TimelineDocument] = []
    private(set) var judgments: [Judgment] = []

    init(_ caseType: CaseType = .criminal, flags: [String] = [], procedure: TrialProcedure? = nil) {
        self.caseType = caseType
        self.flags = flags
        self.procedure = procedure
    }

    static func time(_ text: String) -> Timestamp {
        let iso = text.count == 10 ? text + "T09:00:00+08:00" : text.replacingOccurrences(of: " ", with: "T") + ":00+08:00"
        guard let t = Timestamp(iso) else { fatalError("bad test time \(text)") }
        return t
    }

    @discardableResult
    mutating func event(_ kind: EventKind, _ time: String, agency: String = police, person: String? = "P1",
        _ attributes: EventAttributes = EventAttributes()) -> String
    {
        let id = "E\(events.count + 1)"
        events.append(TimelineEvent(id: id, event: CaseEvent(kind: kind, occurredAt: Self.time(time), agency: agency,
            officer: agency + "-U01", person: person, attributes: attributes)))
        return id
    }

    @discardableResult
    mutating func document(_ type: DocumentType, _ time: String, issuer: String = police) -> String {
        let id = "D\(documents.count + 1)"
        documents.append(TimelineDocument(id: id, document: LegalDocument(type: type, issuedAt: Self.time(time), issuer: issuer,
            contentHash: String(repeating: "0", count: 64))))
        return id
    }

    mutating func judgment(_ time: String, penalty: PrincipalPenalty, months: Int?, probation: Int? = nil, person: String = "P1") {
        judgments.append(Judgment(defendant: person, caseNumber: "（2024）黔0102刑初1号", instance: 1, court: Self.court,
            decidedAt: Self.time(time), charges: ["盗窃罪"], principalPenalty: penalty, termMonths: months,
            probationMonths: probation, fineYuan: nil, circumstances: []))
    }

    func build(id: String = "TP5201022024000001") -> CaseTimeline {
        let record = CaseRecord(id: id, type: caseType, title: "测试案", charges: caseType == .criminal ? ["盗窃罪"] : [],
            region: RegionCode("520102")!, acceptedAt: events.first?.event.occurredAt ?? Self.time("2024-01-01"),
            procedure: procedure, flags: flags)
        return CaseTimeline(caseID: id, caseRecord: record, events: events, documents: documents, judgments: judgments)
    }
}

/// The bundled engine, with thresholds a test may set.
func makeEngine(_ thresholds: ClockThresholds = ClockThresholds()) throws -> RuleEngine {
    RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled(), thresholds: thresholds)
}

extension CaseEvaluation {
    func findings(_ rule: String) -> [Finding] { findings.filter { $0.ruleID == rule } }
    func clocks(_ rule: String) -> [RunningClock] { clocks.filter { $0.ruleID == rule } }
}
