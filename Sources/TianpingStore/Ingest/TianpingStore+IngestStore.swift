import Foundation
import SQLKit
import SQLiteNIO
import TianpingCore
import TianpingIngest

extension TianpingStore: IngestStore {
    /// Separates charges in the `cases.charges` column, which is stored as `|盗窃罪|诈骗罪|` so that a
    /// LIKE pattern matches whole names; charge names themselves contain 、 (走私、贩卖、运输、制造毒品罪).
    static let chargeSeparator = "|"

    /// Rows per multi-row INSERT: one row per statement runs at ~12k rows/s on SQLiteNIO, 500 at ~250k.
    static let rowsPerInsert = 400

    public func agencyKinds() async throws -> [String: AgencyKind] {
        var result: [String: AgencyKind] = [:]
        for row in try await writer.select().columns("code", "kind").from("agencies").all() {
            let code = try row.decode(column: "code", as: String.self)
            if let kind = AgencyKind(rawValue: try row.decode(column: "kind", as: String.self)) { result[code] = kind }
        }
        return result
    }

    public func caseContexts(for ids: [String]) async throws -> [String: CaseContext] {
        var result: [String: CaseContext] = [:]
        for chunk in ids.chunked(500) {
            let rows = try await reader.select().columns("case_id", "case_type", "accepted_at").from("cases")
                .where("case_id", .in, Array(chunk)).all()
            for row in rows {
                guard let type = CaseType(rawValue: try row.decode(column: "case_type", as: String.self)) else { continue }
                let accepted = try row.decode(column: "accepted_at", as: Int64.self)
                result[try row.decode(column: "case_id", as: String.self)] =
                    CaseContext(type: type, acceptedAt: Timestamp(secondsSinceEpoch: accepted))
            }
        }
        return result
    }

    public func storedVersions(for keys: [RecordKey]) async throws -> [RecordKey: [Int: String]] {
        var result: [RecordKey: [Int: String]] = [:]
        let wanted = Set(keys)
        let ids = Array(Set(keys.map(\.id)))
        for chunk in ids.chunked(500) {
            let rows = try await reader.select().columns("record_id", "source", "kind", "version", "content_hash")
                .from("records").where("record_id", .in, Array(chunk)).all()
            for row in rows {
                guard let kind = RecordKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                let key = RecordKey(source: try row.decode(column: "source", as: String.self), kind: kind,
                    id: try row.decode(column: "record_id", as: String.self))
                guard wanted.contains(key) else { continue }
                result[key, default: [:]][try row.decode(column: "version", as: Int.self)] =
                    try row.decode(column: "content_hash", as: String.self)
            }
        }
        return result
    }

    public func commit(_ batch: IngestBatch) async throws {
        let now = clock.now().secondsSinceEpoch
        let sqlite = sqliteWriter
        let dialect = self.dialect
        try await transaction { db in
            try await Self.lockLeavesForAppend(db: db, dialect: dialect)
            // Every accepted version is appended to the dossier log in the same transaction that stores it.
            let ledger = Self.ledgerLeaves(for: batch.records, firstIndex: try await Self.nextLeafIndex(db: db), receivedAt: now)
            if let sqlite {
                try await Self.insertRecords(batch.records, leaves: ledger.recordLeaf, documentLeaves: ledger.documentLeaf,
                    now: now, sqlite: sqlite)
            } else {
                try await Self.insertRecords(batch.records, leaves: ledger.recordLeaf, documentLeaves: ledger.documentLeaf,
                    now: now, db: db)
            }
            try await Self.insertLeaves(ledger.leaves, db: db, sqlite: sqlite)
            try await Self.retireSupersededVersions(batch.records, db: db)
            try await Self.project(batch.records, db: db)
            try await Self.indexForSearch(batch.records, db: db, sqlite: sqlite)
            try await Self.insertQuarantine(batch.quarantine, now: now, db: db)
            try await Self.enqueueForAnalysis(Set(batch.records.compactMap(\.caseID)), db: db)
            try await Self.recordCaseAgencies(batch.records, db: db)
            for id in batch.resolvedQuarantineIDs {
                try await db.update("quarantine").set("status", to: "resolved").set("resolved_at", to: now)
                    .where("id", .equal, id).run()
            }
            for (id, rejection) in batch.requarantined {
                try await db.update("quarantine").set("code", to: rejection.code.rawValue)
                    .set("message", to: rejection.message).where("id", .equal, id).run()
            }
        }
    }

    static func insertRecords(_ records: [AcceptedRecord], leaves: [Int], documentLeaves: [Int?], now: Int64,
        db: any SQLDatabase) async throws
    {
        for (offset, chunk) in zip(stride(from: 0, to: records.count, by: rowsPerInsert), records.chunked(rowsPerInsert)) {
            var rows: [[any SQLExpression]] = []
            rows.reserveCapacity(chunk.count)
            for (i, r) in zip(offset..., chunk) {
                rows.append([
                    SQLBind(r.key.id), SQLBind(r.key.source), SQLBind(r.key.kind.rawValue), SQLBind(r.version),
                    SQLBind(r.contentHash), SQLBind(r.caseID), SQLBind(r.occurredAt?.secondsSinceEpoch),
                    SQLBind(r.isCurrent ? 1 : 0), SQLBind(r.canonicalJSON), SQLBind(now), SQLBind(leaves[i]),
                    SQLBind(documentLeaves[i]),
                ])
            }
            try await db.insert(into: "records")
                .columns("record_id", "source", "kind", "version", "content_hash", "case_id", "occurred_at",
                    "is_current", "body", "ingested_at", "leaf_index", "document_leaf_index")
                .rows(rows)
                .run()
        }
    }

    static let recordColumns =
        "(record_id, source, kind, version, content_hash, case_id, occurred_at, is_current, body, ingested_at, leaf_index, document_leaf_index)"

    /// The same insert as ``insertRecords(_:leaves:documentLeaves:now:db:)``, bound directly as SQLite values: sql-kit's generic
    /// bind path (an `Encodable` per value) cost more than SQLite's own work on this statement.
    static func insertRecords(_ records: [AcceptedRecord], leaves: [Int], documentLeaves: [Int?], now: Int64,
        sqlite: SQLiteConnection) async throws
    {
        for (offset, chunk) in zip(stride(from: 0, to: records.count, by: rowsPerInsert), records.chunked(rowsPerInsert)) {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 12)
            for (i, r) in zip(offset..., chunk) {
                binds.append(.text(r.key.id))
                binds.append(.text(r.key.source))
                binds.append(.text(r.key.kind.rawValue))
                binds.append(.integer(r.version))
                binds.append(.text(r.contentHash))
                binds.append(r.caseID.map(SQLiteData.text) ?? .null)
                binds.append(r.occurredAt.map { .integer(Int($0.secondsSinceEpoch)) } ?? .null)
                binds.append(.integer(r.isCurrent ? 1 : 0))
                binds.append(.text(r.canonicalJSON))
                binds.append(.integer(Int(now)))
                binds.append(.integer(leaves[i]))
                binds.append(documentLeaves[i].map(SQLiteData.integer) ?? .null)
            }
            _ = try await sqlite.query(insertStatement(rows: chunk.count), binds)
        }
    }

    /// `INSERT INTO records … VALUES (?,…),(?,…)…` for a number of rows.
    static func insertStatement(rows: Int) -> String {
        "INSERT INTO records " + recordColumns + " VALUES "
            + Array(repeating: "(?,?,?,?,?,?,?,?,?,?,?,?)", count: rows).joined(separator: ",")
    }

    /// A new current version makes every lower version stored by earlier batches history (versions in the
    /// same batch arrive already marked).
    static func retireSupersededVersions(_ records: [AcceptedRecord], db: any SQLDatabase) async throws {
        for r in records where r.isCurrent && r.retiresStoredVersions {
            try await db.update("records").set("is_current", to: 0)
                .where("record_id", .equal, r.key.id).where("source", .equal, r.key.source)
                .where("kind", .equal, r.key.kind.rawValue).where("version", .lessThan, r.version)
                .run()
        }
    }

    /// Keeps the `agencies` and `cases` tables — what lists and statistics read — in step with records.
    static func project(_ records: [AcceptedRecord], db: any SQLDatabase) async throws {
        // One row per case and agency even when a batch holds several versions: PostgreSQL refuses an
        // upsert that touches the same row twice in one statement.
        var agencies: [String: Agency] = [:]
        var cases: [String: (record: CaseRecord, source: String, version: Int)] = [:]
        var latestEvent: [String: (at: Int64, kind: String)] = [:]
        for r in records where r.isCurrent {
            switch r.payload {
            case .agency(let a):
                agencies[a.code] = a
            case .case(let c):
                if let known = cases[c.id], known.version > r.version { continue }
                cases[c.id] = (c, r.key.source, r.version)
            case .event(let e):
                guard let caseID = r.caseID else { continue }
                let at = e.occurredAt.secondsSinceEpoch
                if let known = latestEvent[caseID], known.at > at { continue }
                latestEvent[caseID] = (at, e.kind.rawValue)
            default: break
            }
        }
        let agencyRows: [[any SQLExpression]] = agencies.values.sorted { $0.code < $1.code }.map { a in
            [SQLBind(a.code), SQLBind(a.kind.rawValue), SQLBind(a.name), SQLBind(a.region.text), SQLBind(a.level.rawValue),
                SQLBind(a.parentCode)]
        }
        let caseRows: [[any SQLExpression]] = cases.values.sorted { $0.record.id < $1.record.id }.map { entry in
            let c = entry.record
            return [SQLBind(c.id), SQLBind(c.type.rawValue), SQLBind(c.title), SQLBind(c.charges.isEmpty ? "" : chargeSeparator + c.charges.joined(separator: chargeSeparator) + chargeSeparator),
                SQLBind(c.cause), SQLBind(c.region.text), SQLBind(c.region.city.text), SQLBind(c.acceptedAt.secondsSinceEpoch),
                SQLBind(c.procedure?.rawValue), SQLBind(entry.source), SQLBind(entry.version), SQLBind(CaseSearchTerm.displayNumber(c))]
        }
        for chunk in agencyRows.chunked(rowsPerInsert) {
            try await db.insert(into: "agencies")
                .columns("code", "kind", "name", "region", "level", "parent_code")
                .rows(chunk)
                .onConflict(with: ["code"]) { $0.set(excludedValueOf: "kind").set(excludedValueOf: "name")
                    .set(excludedValueOf: "region").set(excludedValueOf: "level").set(excludedValueOf: "parent_code") }
                .run()
        }
        for chunk in caseRows.chunked(rowsPerInsert) {
            try await db.insert(into: "cases")
                .columns("case_id", "case_type", "title", "charges", "cause", "region", "city", "accepted_at",
                    "procedure", "source", "version", "case_number")
                .rows(chunk)
                .onConflict(with: ["case_id"]) {
                    $0.set(excludedValueOf: "case_type").set(excludedValueOf: "title").set(excludedValueOf: "charges")
                        .set(excludedValueOf: "cause").set(excludedValueOf: "region").set(excludedValueOf: "city")
                        .set(excludedValueOf: "accepted_at").set(excludedValueOf: "procedure")
                        .set(excludedValueOf: "source").set(excludedValueOf: "version").set(excludedValueOf: "case_number")
                }
                .run()
        }
        for (caseID, event) in latestEvent {
            try await db.update("cases").set("last_event_kind", to: event.kind).set("last_event_at", to: event.at)
                .where("case_id", .equal, caseID)
                .where { $0.where("last_event_at", .is, SQLLiteral.null).orWhere("last_event_at", .lessThanOrEqual, event.at) }
                .run()
        }
    }

    /// Which agencies sent records of which cases: what an internal supervisor's "own agency" scope reads.
    static func recordCaseAgencies(_ records: [AcceptedRecord], db: any SQLDatabase) async throws {
        var pairs = Set<[String]>()
        for r in records { if let caseID = r.caseID { pairs.insert([r.key.source, caseID]) } }
        for chunk in pairs.sorted(by: { $0.lexicographicallyPrecedes($1) }).chunked(rowsPerInsert) {
            try await db.insert(into: "case_agencies").columns("agency", "case_id")
                .rows(chunk.map { [SQLBind($0[0]), SQLBind($0[1])] })
                .ignoringConflicts(with: ["agency", "case_id"]).run()
        }
    }

    static func insertQuarantine(_ entries: [QuarantineEntry], now: Int64, db: any SQLDatabase) async throws {
        for chunk in entries.chunked(100) {
            let rows: [[any SQLExpression]] = chunk.map { q in
                [SQLBind(q.sourceName), SQLBind(q.lineNumber), SQLBind(q.rawSHA256), SQLBind(q.rawText),
                    SQLBind(q.rawEncoding), SQLBind(q.byteCount), SQLBind(q.code.rawValue), SQLBind(q.message),
                    SQLBind(q.recordSource), SQLBind(q.recordKind), SQLBind(q.recordID), SQLBind(q.recordVersion),
                    SQLBind(q.caseID), SQLBind("open"), SQLBind(now)]
            }
            // The same bad line quarantined again (a re-run after a crash) is the same entry.
            try await db.insert(into: "quarantine")
                .columns("source_name", "line_number", "raw_sha256", "raw_text", "raw_encoding", "byte_count", "code",
                    "message", "record_source", "record_kind", "record_id", "record_version", "case_id", "status",
                    "quarantined_at")
                .rows(rows)
                .ignoringConflicts(with: ["source_name", "line_number", "raw_sha256"])
                .run()
        }
    }

    /// Records a finished run for the audit trail of data arrivals.
    public func recordIngestRun(sourceName: String, startedAt: Date, summary: IngestSummary) async throws {
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try await writer.insert(into: "ingest_runs")
            .columns("source_name", "started_at", "finished_at", "lines", "summary")
            .values(SQLBind(sourceName), SQLBind(Int64(startedAt.timeIntervalSince1970)),
                SQLBind(clock.now().secondsSinceEpoch), SQLBind(summary.lines), SQLBind(json))
            .run()
    }
}
