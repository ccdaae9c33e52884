/// One procedural event on a case's timeline, as reported by the agency that acted.
public struct CaseEvent: Hashable, Sendable, Codable {
    public var kind: EventKind
    /// When it happened, with the offset it was recorded in.
    public var occurredAt: Timestamp
    /// The acting agency's code.
    public var agency: String
    /// The acting official's person id, if known.
    public var officer: String?
    /// The person the event concerns (the detained suspect, the appellant), if any.
    public var person: String?
    public var attributes: EventAttributes

    public init(kind: EventKind, occurredAt: Timestamp, agency: String, officer: String? = nil,
        person: String? = nil, attributes: EventAttributes = EventAttributes())
    {
        self.kind = kind
        self.occurredAt = occurredAt
        self.agency = agency
        self.officer = officer
        self.person = person
        self.attributes = attributes
    }
}

/// Typed attributes an event may carry; which apply depends on the kind.
public struct EventAttributes: Hashable, Sendable, Codable {
    /// Level of the approving authority (延长侦查羁押期限: one level up, or provincial).
    public var approverLevel: AdministrativeLevel?
    /// The approving agency's code.
    public var approverAgency: String?
    /// Length of an extension.
    public var extensionDays: Int?
    public var extensionMonths: Int?
    /// The legal ground an extension or decision relies on (`CPL158`, `CPL159`, `serial_offending` …).
    public var legalGround: String?
    /// The procedure switched to or applied.
    public var procedure: TrialProcedure?
    /// The document that records the act (its number).
    public var documentNumber: String?
    /// Free-text reason (不予立案、不起诉理由、未能通知家属的原因 …).
    public var reason: String?
    /// Who was notified (家属姓名 is sensitive and not sent; only the relation).
    public var recipient: String?
    /// The 1-based count for repeated acts (the second 退回补充侦查).
    public var sequence: Int?
    /// Whether the person is in custody at this point (drives CPL 105(4)).
    public var inCustody: Bool?
    /// Outcome of a decision (`approved`, `denied`, `guilty`, `acquitted` …).
    public var outcome: String?

    public init(approverLevel: AdministrativeLevel? = nil, approverAgency: String? = nil, extensionDays: Int? = nil,
        extensionMonths: Int? = nil, legalGround: String? = nil, procedure: TrialProcedure? = nil,
        documentNumber: String? = nil, reason: String? = nil, recipient: String? = nil, sequence: Int? = nil,
        inCustody: Bool? = nil, outcome: String? = nil)
    {
        self.approverLevel = approverLevel
        self.approverAgency = approverAgency
        self.extensionDays = extensionDays
        self.extensionMonths = extensionMonths
        self.legalGround = legalGround
        self.procedure = procedure
        self.documentNumber = documentNumber
        self.reason = reason
        self.recipient = recipient
        self.sequence = sequence
        self.inCustody = inCustody
        self.outcome = outcome
    }
}
