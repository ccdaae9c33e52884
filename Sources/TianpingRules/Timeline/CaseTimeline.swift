import TianpingCore

/// An event with the id of the exchange record that carried it, so that findings can name it.
///
/// A class so that the engine's scans and the lists of involved events share one copy (an event has a dozen
/// strings; copying it costs a retain each).
public final class TimelineEvent: Sendable, Hashable {
    public let id: String
    public let event: CaseEvent

    public static func == (lhs: TimelineEvent, rhs: TimelineEvent) -> Bool { lhs.id == rhs.id && lhs.event == rhs.event }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(event)
    }

    public init(id: String, event: CaseEvent) {
        self.id = id
        self.event = event
    }

    var kind: EventKind { event.kind }
    var at: Timestamp { event.occurredAt }
}

/// A document with the id of its exchange record (a class for the same reason as ``TimelineEvent``).
public final class TimelineDocument: Sendable, Hashable {
    public let id: String
    public let document: LegalDocument

    public static func == (lhs: TimelineDocument, rhs: TimelineDocument) -> Bool {
        lhs.id == rhs.id && lhs.document == rhs.document
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(document)
    }

    public init(id: String, document: LegalDocument) {
        self.id = id
        self.document = document
    }
}

/// Everything the engine reads about one case: the case record, its events in time order, documents and judgments.
///
/// Engines take a timeline and return findings; they never touch the store, so the same code runs on a
/// database, on exchange files and in tests with hand-built timelines. A class, immutable: every rule of a
/// case reads the same timeline without copying it.
public final class CaseTimeline: Sendable {
    public let caseID: String
    public let caseRecord: CaseRecord?
    /// Events ordered by time, then record id (a stable order for events at the same instant).
    public let events: [TimelineEvent]
    public let documents: [TimelineDocument]
    public let judgments: [Judgment]
    /// How each convict's sentence is being executed (prison, commutations), for the commutation review.
    public let executions: [ExecutionRecord]
    /// Positions in `events` of each kind, in time order.
    let positions: [EventKind: [Int]]
    /// One bit per event kind present, so the engine skips rules the case cannot trigger.
    let kindMask: UInt64
    /// Each event's kind bit, so scans skip irrelevant events without touching them.
    let eventBits: [UInt64]
    /// Each document's type bit.
    let documentBits: [UInt64]

    public init(caseID: String, caseRecord: CaseRecord?, events: [TimelineEvent], documents: [TimelineDocument] = [],
        judgments: [Judgment] = [], executions: [ExecutionRecord] = [])
    {
        self.executions = executions
        self.caseID = caseID
        self.caseRecord = caseRecord
        let sorted = events.sorted { $0.at != $1.at ? $0.at < $1.at : $0.id < $1.id }
        self.events = sorted
        self.documents = documents.sorted { $0.document.issuedAt < $1.document.issuedAt }
        self.judgments = judgments.sorted { $0.decidedAt < $1.decidedAt }
        var positions: [EventKind: [Int]] = [:]
        var mask: UInt64 = 0
        for (i, e) in sorted.enumerated() {
            positions[e.kind, default: []].append(i)
            mask |= e.kind.bit
        }
        self.positions = positions
        self.kindMask = mask
        self.eventBits = sorted.map(\.kind.bit)
        self.documentBits = self.documents.map(\.document.type.bit)
    }

    /// Builds a timeline from the current versions of a case's exchange records.
    public convenience init(caseID: String, records: [ExchangeRecord]) {
        var caseRecord: CaseRecord?
        var events: [TimelineEvent] = []
        var documents: [TimelineDocument] = []
        var judgments: [Judgment] = []
        var executions: [ExecutionRecord] = []
        for r in records {
            switch r.payload {
            case .case(let c): caseRecord = c
            case .event(let e): events.append(TimelineEvent(id: r.id, event: e))
            case .document(let d): documents.append(TimelineDocument(id: r.id, document: d))
            case .judgment(let j): judgments.append(j)
            case .execution(let x): executions.append(x)
            default: break
            }
        }
        self.init(caseID: caseID, caseRecord: caseRecord, events: events, documents: documents, judgments: judgments,
            executions: executions.sorted { $0.convict < $1.convict })
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

extension EventKind {
    private static let ordinals: [EventKind: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// This kind's bit in a 64-bit set (the model has fewer than 64 kinds; a test keeps it so).
    var bit: UInt64 { 1 << UInt64(Self.ordinals[self]! & 63) }
}

extension DocumentType {
    private static let ordinals: [DocumentType: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// This type's bit in a 64-bit set (fewer than 64 document types; a test keeps it so).
    var bit: UInt64 { 1 << UInt64(Self.ordinals[self]! & 63) }
}

extension Sequence where Element == EventKind {
    var bits: UInt64 { reduce(0) { $0 | $1.bit } }
}

/// Accumulates exchange records, keeping the highest version of each, and hands out case timelines.
public struct TimelineAssembler: Sendable {
    private var records: [String: [RecordKey: ExchangeRecord]] = [:]

    public init() {}

    public mutating func add(_ record: ExchangeRecord) {
        // Only what a timeline reads; persons and evidence stay in the store.
        switch record.kind {
        case .case, .event, .document, .judgment, .execution: break
        default: return
        }
        guard let caseID = record.caseID ?? (record.kind == .case ? record.id : nil) else { return }
        let key = record.key
        if let existing = records[caseID]?[key], existing.version >= record.version { return }
        records[caseID, default: [:]][key] = record
    }

    public var caseIDs: [String] { records.keys.sorted() }

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
            judgments: judgments.filter { $0.decidedAt <= moment },
            executions: executions.filter { $0.termStart <= moment.localDate }.map {
                var x = $0
                x.commutations = x.commutations.filter { $0.ruledAt <= moment }
                if let p = x.parole, p.ruledAt > moment { x.parole = nil }
                return x
            })
    }
}
