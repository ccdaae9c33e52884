import SQLKit
import TianpingCore
import TianpingIngest

/// A stored quarantine entry with its id and state.
public struct StoredQuarantineEntry: Sendable, Codable {
    public var id: Int64
    public var status: String
    public var quarantinedAt: Int64
    public var entry: QuarantineEntry
}

extension TianpingStore {
    /// Quarantine entries, oldest first; `status` is `open`, `resolved` or `nil` for all.
    public func quarantineEntries(status: String? = "open", ids: [Int64]? = nil, limit: Int = 1000)
        async throws -> [StoredQuarantineEntry]
    {
        var select = writer.select().columns("*").from("quarantine")
        if let status { select = select.where("status", .equal, status) }
        if let ids { select = select.where("id", .in, ids) }
        return try await select.orderBy("id").limit(limit).all().map { row in
            var entry = QuarantineEntry(
                sourceName: try row.decode(column: "source_name", as: String.self),
                lineNumber: try row.decode(column: "line_number", as: Int.self),
                rawText: try row.decode(column: "raw_text", as: String.self),
                rawEncoding: try row.decode(column: "raw_encoding", as: String.self),
                rawSHA256: try row.decode(column: "raw_sha256", as: String.self),
                byteCount: try row.decode(column: "byte_count", as: Int.self),
                rejection: Rejection(
                    RejectionCode(rawValue: try row.decode(column: "code", as: String.self)) ?? .schema,
                    try row.decode(column: "message", as: String.self)))
            entry.recordSource = try row.decode(column: "record_source", as: String?.self)
            entry.recordKind = try row.decode(column: "record_kind", as: String?.self)
            entry.recordID = try row.decode(column: "record_id", as: String?.self)
            entry.recordVersion = try row.decode(column: "record_version", as: Int?.self)
            entry.caseID = try row.decode(column: "case_id", as: String?.self)
            return StoredQuarantineEntry(
                id: try row.decode(column: "id", as: Int64.self),
                status: try row.decode(column: "status", as: String.self),
                quarantinedAt: try row.decode(column: "quarantined_at", as: Int64.self), entry: entry)
        }
    }

    /// Replaces an entry's raw text with a corrected line (kept as UTF-8), ready for replay.
    public func correctQuarantineEntry(id: Int64, correctedLine: String) async throws {
        try await writer.update("quarantine").set("raw_text", to: correctedLine).set("raw_encoding", to: "utf8")
            .set("raw_sha256", to: ContentHash.sha256Hex(correctedLine))
            .set("byte_count", to: correctedLine.utf8.count).where("id", .equal, id).run()
    }
}
