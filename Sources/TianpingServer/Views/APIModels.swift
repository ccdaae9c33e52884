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

    init(_ s: CaseSummary) {
        id = s.id
        type = s.type.rawValue
        typeName = s.type.chineseName
        title = s.title
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

struct CasePage: ResponseEncodable {
    var items: [CaseSummaryView]
    var page: Int
    var pageSize: Int
    var total: Int
}

struct PersonView: Encodable {
    var id: String
    var source: String
    var role: String
    var roleName: String
    var name: String
    var gender: String?
    var birthYear: Int?
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
        name = masking.name(p.name.value, role: p.role, isMinor: p.isMinor(on: date))
        gender = p.gender?.rawValue
        birthYear = p.birthDate?.year
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

    init(_ dossier: CaseDossier, masking: MaskingPolicy = .masked) {
        summary = CaseSummaryView(dossier.summary)
        agencyNumbers = dossier.caseRecord.agencyNumbers
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
                persons.append(PersonView(p, source: r.source, masking: masking, on: dossier.summary.acceptedAt.localDate))
            case .event(let e):
                timeline.append(TimelineEventView(
                    id: r.id, source: r.source, version: r.version, kind: e.kind.rawValue, kindName: e.kind.chineseName,
                    stage: CaseStage(after: e.kind).rawValue, occurredAt: e.occurredAt, agency: e.agency, officer: e.officer,
                    person: e.person, attributes: e.attributes, versions: stored.versionCount))
            case .document(let d):
                documents.append(DocumentView(id: r.id, type: d.type.rawValue, typeName: d.type.chineseName, title: d.title,
                    number: d.number, issuedAt: d.issuedAt, issuer: d.issuer, contentHash: d.contentHash))
            case .evidence(let e):
                evidence.append(EvidenceView(id: r.id, category: e.category.rawValue, categoryName: e.category.chineseName,
                    description: e.description, collectedAt: e.collectedAt, collectedBy: e.collectedBy))
            case .judgment(let j):
                judgments.append(JudgmentView(id: r.id, defendant: j.defendant, caseNumber: j.caseNumber, instance: j.instance,
                    court: j.court, decidedAt: j.decidedAt, charges: j.charges, principalPenalty: j.principalPenalty.rawValue,
                    principalPenaltyName: j.principalPenalty.chineseName, termMonths: j.termMonths,
                    probationMonths: j.probationMonths, fineYuan: j.fineYuan, circumstances: j.circumstances))
            case .execution(let x):
                executions.append(x)
            case .agency, .case:
                break
            }
        }
        timeline.sort { ($0.occurredAt, $0.id) < ($1.occurredAt, $1.id) }
        // Free text (the case title, document titles, evidence descriptions) may name the parties: their names are
        // replaced by the masked forms shown above, longest first.
        var replacements: [(String, String)] = []
        for stored in dossier.records {
            guard case .person(let p) = stored.record.payload else { continue }
            let shown = masking.name(p.name.value, role: p.role, isMinor: p.isMinor(on: dossier.summary.acceptedAt.localDate))
            if shown != p.name.value, p.name.value.count >= 2 { replacements.append((p.name.value, shown)) }
        }
        replacements.sort { $0.0.count > $1.0.count }
        func clean(_ text: String) -> String { replacements.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) } }
        summary.title = clean(summary.title)
        documents = documents.map { var d = $0; d.title = d.title.map(clean); return d }
        evidence = evidence.map { var e = $0; e.description = clean(e.description); return e }
    }
}

extension Statistics: ResponseEncodable {}
