import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingStore

/// JSON shapes of the public API. Names of parties, identity numbers and addresses are masked here;
/// officials and counsel are shown as they are (`Masking`). Codes stay English, labels are Chinese.

struct HealthResponse: ResponseEncodable {
    var status: String
    var database: String
}

struct APIError: ResponseEncodable {
    struct Body: Encodable {
        var code: String
        var message: String
    }
    var error: Body
}

struct AgencyView: ResponseEncodable {
    var code: String
    var kind: String
    var kindName: String
    var name: String
    var region: String
    var level: String
    var levelName: String
    var parentCode: String?

    init(_ a: Agency) {
        code = a.code
        kind = a.kind.rawValue
        kindName = a.kind.chineseName
        name = a.name
        region = a.region.text
        level = a.level.rawValue
        levelName = a.level.chineseName
        parentCode = a.parentCode
    }
}

struct AgencyList: ResponseEncodable {
    var items: [AgencyView]
    var total: Int
}

struct CaseSummaryView: ResponseEncodable {
    var id: String
    /// The 案号 shown for the case (the court's once it has one, else the latest agency's).
    var caseNumber: String?
    var type: String
    var typeName: String
    var title: String
    var charges: [String]
    var cause: String?
    var region: String
    var acceptedAt: Timestamp
    var procedure: String?
    var stage: String
    var stageName: String
    var lastEvent: String?
    var lastEventName: String?
    var lastEventAt: Timestamp?

    /// `text` masks the title, which agencies may send with a party's full name or other personal data.
    init(_ s: CaseSummary, text: FreeTextMasker) {
        id = s.id
        caseNumber = s.caseNumber.map { text($0) as String }
        type = s.type.rawValue
        typeName = s.type.chineseName
        title = text(s.title)
        charges = s.charges
        cause = s.cause
        region = s.region
        acceptedAt = s.acceptedAt
        procedure = s.procedure?.rawValue
        let stage = s.lastEvent.map(CaseStage.init(after:)) ?? .accepted
        self.stage = stage.rawValue
        stageName = stage.chineseName
        lastEvent = s.lastEvent?.rawValue
        lastEventName = s.lastEvent?.chineseName
        lastEventAt = s.lastEventAt
    }
}

struct PersonView: Encodable {
    var id: String
    var source: String
    var role: String
    var roleName: String
    var name: String
    var gender: String?
    /// Only after an audited unmask: with the region code and the sex a birth year narrows an identity number.
    var birthYear: Int?
    /// Age at the case's acceptance (未成年, 30–39岁 …), from the birth date or the identity number.
    var ageBand: String?
    var idNumber: String?
    var phone: String?
    var address: String?
    var agency: String?
    /// Whether the fields above are shown as stored (after an audited unmask).
    var unmasked: Bool

    init(_ p: Person, source: String, masking: MaskingPolicy, on date: CalendarDate) {
        id = p.id
        self.source = source
        role = p.role.rawValue
        roleName = p.role.chineseName
        name = masking.name(of: p, on: date)
        gender = p.gender?.rawValue
        birthYear = masking.birthYear(of: p)
        ageBand = masking.ageBand(of: p, on: date)
        idNumber = p.idNumber.map { masking.idNumber($0.value) }
        phone = p.phone.map { masking.phone($0.value) }
        address = p.address.map { masking.address($0.value) }
        agency = p.agency
        unmasked = masking.unmasked
    }
}

struct TimelineEventView: Encodable {
    var id: String
    var source: String
    var version: Int
    var kind: String
    var kindName: String
    var stage: String
    var occurredAt: Timestamp
    var agency: String
    var officer: String?
    var person: String?
    var attributes: EventAttributes
    var versions: Int
}

struct DocumentView: Encodable {
    var id: String
    var type: String
    var typeName: String
    var title: String?
    var number: String?
    var issuedAt: Timestamp
    var issuer: String
    var contentHash: String
}

struct EvidenceView: Encodable {
    var id: String
    var category: String
    var categoryName: String
    var description: String
    var collectedAt: Timestamp
    var collectedBy: String
}

struct JudgmentView: Encodable {
    var id: String
    var defendant: String
    var caseNumber: String
    var instance: Int
    var court: String
    var decidedAt: Timestamp
    var charges: [String]
    var principalPenalty: String
    var principalPenaltyName: String
    var termMonths: Int?
    var probationMonths: Int?
    var fineYuan: Int?
    var circumstances: [String]
}

struct CaseDetailView: ResponseEncodable {
    var summary: CaseSummaryView
    var agencyNumbers: [AgencyCaseNumber]
    var flags: [String]
    var persons: [PersonView]
    var timeline: [TimelineEventView]
    var documents: [DocumentView]
    var evidence: [EvidenceView]
    var judgments: [JudgmentView]
    var executions: [ExecutionRecord]

    /// Every field that may carry personal data goes through the case's masker: structured fields by their own
    /// masks, free text (the title, an event's reason, recipient and document number, document titles and numbers,
    /// evidence descriptions, judgments' and executions' text) by ``FreeTextMasker`` with this case's persons.
    init(_ dossier: CaseDossier, masking: MaskingPolicy = .masked) {
        let accepted = dossier.summary.acceptedAt.localDate
        let people = dossier.records.compactMap { r -> Person? in if case .person(let p) = r.record.payload { return p } else { return nil } }
        let text = masking.freeText(persons: people, on: accepted)
        summary = CaseSummaryView(dossier.summary, text: text)
        agencyNumbers = dossier.caseRecord.agencyNumbers.map { var n = $0; n.number = text(n.number); return n }
        flags = dossier.caseRecord.flags
        persons = []
        timeline = []
        documents = []
        evidence = []
        judgments = []
        executions = []
        for stored in dossier.records {
            let r = stored.record
            switch r.payload {
            case .person(let p):
                persons.append(PersonView(p, source: r.source, masking: masking, on: accepted))
            case .event(let e):
                timeline.append(TimelineEventView(
                    id: r.id, source: r.source, version: r.version, kind: e.kind.rawValue, kindName: e.kind.chineseName,
                    stage: CaseStage(after: e.kind).rawValue, occurredAt: e.occurredAt, agency: e.agency, officer: e.officer,
                    person: e.person, attributes: Self.masked(e.attributes, text), versions: stored.versionCount))
            case .document(let d):
                documents.append(DocumentView(id: r.id, type: d.type.rawValue, typeName: d.type.chineseName, title: text(d.title),
                    number: text(d.number), issuedAt: d.issuedAt, issuer: d.issuer, contentHash: d.contentHash))
            case .evidence(let e):
                evidence.append(EvidenceView(id: r.id, category: e.category.rawValue, categoryName: e.category.chineseName,
                    description: text(e.description), collectedAt: e.collectedAt, collectedBy: e.collectedBy))
            case .judgment(let j):
                judgments.append(JudgmentView(id: r.id, defendant: j.defendant, caseNumber: text(j.caseNumber), instance: j.instance,
                    court: j.court, decidedAt: j.decidedAt, charges: j.charges.map { text($0) }, principalPenalty: j.principalPenalty.rawValue,
                    principalPenaltyName: j.principalPenalty.chineseName, termMonths: j.termMonths,
                    probationMonths: j.probationMonths, fineYuan: j.fineYuan, circumstances: j.circumstances.map { text($0) }))
            case .execution(var x):
                x.facility = text(x.facility)
                x.status = text(x.status)
                x.commutations = x.commutations.map { var c = $0; c.rulingNumber = text(c.rulingNumber); return c }
                if let number = x.parole?.rulingNumber { x.parole?.rulingNumber = text(number) }
                executions.append(x)
            case .agency, .case:
                break
            }
        }
        timeline.sort { ($0.occurredAt, $0.id) < ($1.occurredAt, $1.id) }
    }

    /// An event's attributes with every text attribute masked; codes and numbers pass through unchanged.
    static func masked(_ a: EventAttributes, _ text: FreeTextMasker) -> EventAttributes {
        var a = a
        a.approverAgency = text(a.approverAgency)
        a.legalGround = text(a.legalGround)
        a.documentNumber = text(a.documentNumber)
        a.reason = text(a.reason)
        a.recipient = text(a.recipient)
        a.outcome = text(a.outcome)
        return a
    }
}

extension Statistics: ResponseEncodable {}
