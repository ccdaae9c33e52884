import SQLKit
import TianpingIngest

extension TianpingStore {
    /// A SHA-256 over everything ingest decides — every record version with its hash and current flag,
    /// the case projection, and the quarantine — in key order. Two stores that hold the same data give
    /// the same digest, whatever order or how many runs it arrived in; used to prove crash recovery.
    public func contentDigest() async throws -> String {
        var text = ""
        let db = writer
        for row in try await db.select().columns("record_id", "source", "kind", "version", "content_hash", "is_current")
            .from("records").orderBy("record_id").orderBy("source").orderBy("kind").orderBy("version").all()
        {
            text += try row.decode(column: "record_id", as: String.self) + "|" + row.decode(column: "source", as: String.self)
                + "|" + row.decode(column: "kind", as: String.self) + "|" + String(row.decode(column: "version", as: Int.self))
                + "|" + row.decode(column: "content_hash", as: String.self) + "|"
                + String(row.decode(column: "is_current", as: Int.self)) + "\n"
        }
        for row in try await db.select().columns("case_id", "case_type", "version", "last_event_kind", "last_event_at")
            .from("cases").orderBy("case_id").all()
        {
            text += try row.decode(column: "case_id", as: String.self) + "|" + row.decode(column: "case_type", as: String.self)
                + "|" + String(row.decode(column: "version", as: Int.self)) + "|"
                + (row.decode(column: "last_event_kind", as: String?.self) ?? "") + "|"
                + String(row.decode(column: "last_event_at", as: Int64?.self) ?? 0) + "\n"
        }
        for row in try await db.select().columns("source_name", "line_number", "raw_sha256", "code", "status")
            .from("quarantine").orderBy("source_name").orderBy("line_number").all()
        {
            text += try row.decode(column: "source_name", as: String.self) + "|"
                + String(row.decode(column: "line_number", as: Int.self)) + "|"
                + row.decode(column: "raw_sha256", as: String.self) + "|" + row.decode(column: "code", as: String.self) + "|"
                + row.decode(column: "status", as: String.self) + "\n"
        }
        return ContentHash.sha256Hex(text)
    }
}
