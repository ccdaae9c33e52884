import TianpingCore

/// What the ingest pipeline needs from persistence. `TianpingStore` implements it on SQL; tests use
/// an in-memory one. Every method works on a whole batch, because one query per record is too slow.
public protocol IngestStore: Sendable {
    /// All known agencies, by code.
    func agencyKinds() async throws -> [String: AgencyKind]
    /// What ingest needs to know of the cases with these ids; unknown ids are absent from the result.
    func caseContexts(for ids: [String]) async throws -> [String: CaseContext]
    /// Stored versions (version → content hash) of these records; unknown keys are absent.
    func storedVersions(for keys: [RecordKey]) async throws -> [RecordKey: [Int: String]]
    /// Writes one batch atomically: all of it, or none of it.
    func commit(_ batch: IngestBatch) async throws
}

/// The facts about a stored case that contextual checks use.
public struct CaseContext: Sendable, Hashable {
    public var type: CaseType
    public var acceptedAt: Timestamp

    public init(type: CaseType, acceptedAt: Timestamp) {
        self.type = type
        self.acceptedAt = acceptedAt
    }
}

/// One accepted record version, ready to store.
public struct AcceptedRecord: Sendable {
    public var key: RecordKey
    public var version: Int
    public var caseID: String?
    public var contentHash: String
    public var canonicalJSON: String
    /// The instant the record is about (event time, issue time …), for ordering timelines.
    public var occurredAt: Timestamp?
    /// Whether this version is current once the batch is written (false for a late, lower version kept as
    /// history, and for a version that a higher one in the same batch replaces).
    public var isCurrent: Bool
    /// Whether versions stored by earlier batches must be marked as history when this one is written.
    public var retiresStoredVersions: Bool
    public var payload: RecordPayload
}

/// A line that could not be accepted, kept with everything needed to understand and replay it.
public struct QuarantineEntry: Sendable, Hashable, Codable {
    /// File path, `-` for standard input, or `replay:N` for a replayed entry.
    public var sourceName: String
    public var lineNumber: Int
    /// The line as text; for non-UTF-8 input, hex of the bytes; for an over-long line, its first bytes.
    public var rawText: String
    /// `utf8`, `hex` (non-UTF-8 bytes) or `truncated-utf8` (over-long line: only the start is kept).
    public var rawEncoding: String
    public var rawSHA256: String
    public var byteCount: Int
    public var code: RejectionCode
    public var message: String
    /// Envelope fields when they could be read.
    public var recordSource: String?
    public var recordKind: String?
    public var recordID: String?
    public var recordVersion: Int?
    public var caseID: String?

    public init(sourceName: String, lineNumber: Int, rawText: String, rawEncoding: String, rawSHA256: String,
        byteCount: Int, rejection: Rejection, record: ExchangeRecord? = nil)
    {
        self.sourceName = sourceName
        self.lineNumber = lineNumber
        self.rawText = rawText
        self.rawEncoding = rawEncoding
        self.rawSHA256 = rawSHA256
        self.byteCount = byteCount
        self.code = rejection.code
        self.message = rejection.message
        self.recordSource = record?.source
        self.recordKind = record?.kind.rawValue
        self.recordID = record?.id
        self.recordVersion = record?.version
        self.caseID = record?.caseID
    }
}

/// Everything one batch writes.
public struct IngestBatch: Sendable {
    public var records: [AcceptedRecord] = []
    public var quarantine: [QuarantineEntry] = []
    /// Quarantine entries (by id) that a replay has now accepted.
    public var resolvedQuarantineIDs: [Int64] = []
    /// Quarantine entries (by id) that a replay rejected again, with the new reason.
    public var requarantined: [(id: Int64, rejection: Rejection)] = []

    public init() {}

    public var isEmpty: Bool { records.isEmpty && quarantine.isEmpty && resolvedQuarantineIDs.isEmpty && requarantined.isEmpty }
}
