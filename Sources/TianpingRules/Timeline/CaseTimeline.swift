import TianpingCore

/// An event with the id of the exchange record that carried it, so that findings can name it.
public struct TimelineEvent: Sendable, Hashable {
    public var id: String
    public var event: CaseEvent

    public init(id: String, event: CaseEvent) {
        self.id = id
        self.event = event
    }

    var kind: EventKind { event.kind }
    var at: Timestamp { event.occurredAt }
}

/// A document with the id of its exchange record.
public struct TimelineDocument: Sendable, Hashable {
    public var id: String
    public var document: LegalDocument

    public init(id: String, document: LegalDocument) {
        self.id = id
        self.document = document
    }
}

/// Everything the engine reads about one case: the case record, its events in time order, documents and judgments.
///
/// Engines take a timeline and return findings; they never touch the store, so the same code runs on a
/// database, on exchange files and in tests with hand-built timelines.
public struct CaseTimeline: Sendable {
    public let caseID: String
    public let caseRecord: CaseRecord?
    /// Events ordered by time, then record id (a stable order for events at the same instant).
    public let events: [TimelineEvent]
    public let documents: [TimelineDocument]
    public let judgments: [Judgment]
    /// Positions in `events` of each kind, in time order.
    let positions: [EventKind: [Int]]

    public init(caseID: String, caseRecord: CaseRecord?, events: [TimelineEvent], documents: [TimelineDocument] = [],
        judgments: [Judgment] = [])
    {
        self.caseID = caseID
        self.caseRecord = caseRecord
        let sorted = events.sorted { $0.at != $1.at ? $0.at < $1.at : $0.id < $1.id }
        self.events = sorted
        self.documents = documents.sorted { $0.document.issuedAt < $1.document.issuedAt }
        self.judgments = judgments.sorted { $0.decidedAt < $1.decidedAt }
        var positions: [EventKind: [Int]] = [:]
        for (i, e) in sorted.enumerated() { positions[e.kind, default: []].append(i) }
        self.positions = positions
    }

    /// Builds a timeline from the current versions of a case's exchange records.
    public init(caseID: String, records: [ExchangeRecord]) {
        var caseRecord: CaseRecord?
        var events: [TimelineEvent] = []
        var documents: [TimelineDocument] = []
        var judgments: [Judgment] = []
        for r in records {
            switch r.payload {
            case .case(let c): caseRecord = c
            case .event(let e): events.append(TimelineEvent(id: r.id, event: e))
            case .document(let d): documents.append(TimelineDocument(id: r.id, document: d))
            case .judgment(let j): judgments.append(j)
            default: break
            }
        }
        self.init(caseID: caseID, caseRecord: caseRecord, events: events, documents: documents, judgments: judgments)
    }

    public var caseType: CaseType? { caseRecord?.type }

    public func hasFlag(_ flag: String) -> Bool { caseRecord?.flags.contains(flag) ?? false }

    /// Positions of events of any of the kinds, in time order.
    func positions(of kinds: [EventKind]) -> [Int] {
        if kinds.count == 1 { return positions[kinds[0]] ?? [] }
        return kinds.flatMap { positions[$0] ?? [] }.sorted()
    }

    /// The latest judgment concerning a person (or any, when the person is unknown).
    func latestJudgment(for person: String?) -> Judgment? {
        judgments.last { person == nil || $0.defendant == person }
    }
}

/// Accumulates exchange records, keeping the highest version of each, and hands out case timelines.
public struct TimelineAssembler: Sendable {
    private var records: [String: [RecordKey: ExchangeRecord]] = [:]

    public init() {}

    public mutating func add(_ record: ExchangeRecord) {
        guard let caseID = record.caseID ?? (record.kind == .case ? record.id : nil) else { return }
        let key = record.key
        if let existing = records[caseID]?[key], existing.version >= record.version { return }
        records[caseID, default: [:]][key] = record
    }

    public var caseIDs: [String] { records.keys.sorted() }

    public var caseCount: Int { records.count }

    /// Removes and returns one case's timeline.
    public mutating func take(_ caseID: String) -> CaseTimeline? {
        guard let byKey = records.removeValue(forKey: caseID) else { return nil }
        return CaseTimeline(caseID: caseID, records: Array(byKey.values))
    }

    /// Removes and returns every timeline, ordered by case id.
    public mutating func takeAll() -> [CaseTimeline] {
        let ids = caseIDs
        return ids.compactMap { take($0) }
    }
}

extension CaseTimeline {
    /// The timeline as it stood at a moment: records dated later are left out.
    public func truncated(at moment: Timestamp) -> CaseTimeline {
        CaseTimeline(caseID: caseID, caseRecord: caseRecord, events: events.filter { $0.at <= moment },
            documents: documents.filter { $0.document.issuedAt <= moment },
            judgments: judgments.filter { $0.decidedAt <= moment })
    }
}
