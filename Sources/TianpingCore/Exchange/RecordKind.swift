/// The kinds of record in the exchange format, one per line of a JSON Lines file.
public enum RecordKind: String, Codable, Sendable, CaseIterable {
    case agency
    case `case`
    case person
    case event
    case document
    case evidence
    case judgment
    case execution

    public var chineseName: String {
        switch self {
        case .agency: return "机构"
        case .case: return "案件"
        case .person: return "人员"
        case .event: return "程序事件"
        case .document: return "文书"
        case .evidence: return "证据"
        case .judgment: return "裁判"
        case .execution: return "执行"
        }
    }

    /// Whether a record of this kind must name a case in its envelope.
    public var requiresCase: Bool {
        switch self {
        case .agency: return false
        case .person: return false  // officials have no case; parties do (checked by role)
        default: return true
        }
    }
}

/// The typed body of an exchange record.
public enum RecordPayload: Hashable, Sendable {
    case agency(Agency)
    case `case`(CaseRecord)
    case person(Person)
    case event(CaseEvent)
    case document(LegalDocument)
    case evidence(EvidenceItem)
    case judgment(Judgment)
    case execution(ExecutionRecord)

    public var kind: RecordKind {
        switch self {
        case .agency: return .agency
        case .case: return .case
        case .person: return .person
        case .event: return .event
        case .document: return .document
        case .evidence: return .evidence
        case .judgment: return .judgment
        case .execution: return .execution
        }
    }
}
