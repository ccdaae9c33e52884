/// One line of the exchange format: an envelope that says who sent what, and a typed payload.
///
/// ```json
/// {"kind":"event","source":"520102GA01","id":"EV-1","version":1,"case":"TP52010220240000001",
///  "payload":{"kind":"detained","occurredAt":"2024-03-01T10:00:00+08:00","agency":"520102GA01","attributes":{}}}
/// ```
/// A record is identified by (`source`, `kind`, `id`); a correction is the same identity with a higher
/// `version`. See `docs/exchange-format.md` and `schema/exchange-record.schema.json`.
public struct ExchangeRecord: Hashable, Sendable, Codable {
    public var kind: RecordKind
    /// Code of the sending agency.
    public var source: String
    /// The sender's own id for this record; stable across versions.
    public var id: String
    /// 1 for the first submission; each correction increments it.
    public var version: Int
    /// The unified case id the record belongs to, if any.
    public var caseID: String?
    public var payload: RecordPayload

    public init(source: String, id: String, version: Int = 1, caseID: String? = nil, payload: RecordPayload) {
        self.kind = payload.kind
        self.source = source
        self.id = id
        self.version = version
        self.caseID = caseID
        self.payload = payload
    }

    /// The identity that versions share.
    public var key: RecordKey { RecordKey(source: source, kind: kind, id: id) }

    enum CodingKeys: String, CodingKey {
        case kind, source, id, version, payload
        case caseID = "case"
    }

    /// Raised when the envelope names a kind the format does not define.
    public struct UnknownKind: Error, Sendable {
        public let kind: String
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rawKind = try c.decode(String.self, forKey: .kind)
        guard let kind = RecordKind(rawValue: rawKind) else { throw UnknownKind(kind: rawKind) }
        self.kind = kind
        source = try c.decode(String.self, forKey: .source)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(Int.self, forKey: .version)
        caseID = try c.decodeIfPresent(String.self, forKey: .caseID)
        switch kind {
        case .agency: payload = .agency(try c.decode(Agency.self, forKey: .payload))
        case .case: payload = .case(try c.decode(CaseRecord.self, forKey: .payload))
        case .person: payload = .person(try c.decode(Person.self, forKey: .payload))
        case .event: payload = .event(try c.decode(CaseEvent.self, forKey: .payload))
        case .document: payload = .document(try c.decode(LegalDocument.self, forKey: .payload))
        case .evidence: payload = .evidence(try c.decode(EvidenceItem.self, forKey: .payload))
        case .judgment: payload = .judgment(try c.decode(Judgment.self, forKey: .payload))
        case .execution: payload = .execution(try c.decode(ExecutionRecord.self, forKey: .payload))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(source, forKey: .source)
        try c.encode(id, forKey: .id)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(caseID, forKey: .caseID)
        switch payload {
        case .agency(let p): try c.encode(p, forKey: .payload)
        case .case(let p): try c.encode(p, forKey: .payload)
        case .person(let p): try c.encode(p, forKey: .payload)
        case .event(let p): try c.encode(p, forKey: .payload)
        case .document(let p): try c.encode(p, forKey: .payload)
        case .evidence(let p): try c.encode(p, forKey: .payload)
        case .judgment(let p): try c.encode(p, forKey: .payload)
        case .execution(let p): try c.encode(p, forKey: .payload)
        }
    }
}

/// What identifies a record across its versions.
public struct RecordKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var source: String
    public var kind: RecordKind
    public var id: String

    public init(source: String, kind: RecordKind, id: String) {
        self.source = source
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(source)/\(kind.rawValue)/\(id)" }
}
