import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingWorkflow

/// One new or changed warning, as the event stream and webhooks carry it.
public struct WarningEvent: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case opened
        case changed
        case transition
        case escalated
    }

    public var id: Int64
    public var kind: Kind
    public var warningID: String
    public var caseID: String
    public var agency: String
    public var grade: String
    public var gradeName: String
    public var state: String
    public var stateName: String
    public var action: String?
    public var dueAt: String?
    public var at: String
}

/// The outbox of warning events, written in each change's transaction and read by the event stream and webhooks.
extension TianpingStore {
    /// Writes an event to the outbox and queues a delivery to the responsible agency's webhook, in the caller's
    /// transaction: a change and its notice are stored together or not at all.
    static func emit(_ kind: WarningEvent.Kind, _ w: StoredWarning, at: Int64, action: String? = nil, db: any SQLDatabase) async throws {
        let event = WarningEvent(id: 0, kind: kind, warningID: w.id, caseID: w.caseID, agency: w.agency, grade: w.grade.rawValue,
            gradeName: w.grade.chineseName, state: w.state.rawValue, stateName: w.state.chineseName, action: action,
            dueAt: w.dueAt.map { Timestamp(secondsSinceEpoch: $0).description }, at: Timestamp(secondsSinceEpoch: at).description)
        let payload = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        // Ids must become visible in the order they are given, so that a stream's cursor (Last-Event-ID) is exact.
        // SQLite has one writer; on PostgreSQL, another process's transaction could otherwise commit a lower id later.
        if db.dialect.name == "postgresql" { try await db.raw("LOCK TABLE warning_events IN EXCLUSIVE MODE").run() }
        guard let id = try await db.insert(into: "warning_events").columns("warning_id", "case_id", "agency", "region", "at", "kind", "payload")
            .values(SQLBind(w.id), SQLBind(w.caseID), SQLBind(w.agency), SQLBind(w.region), SQLBind(at), SQLBind(kind.rawValue), SQLBind(payload))
            .returning("id").first()?.decode(column: "id", as: Int64.self)
        else { throw StoreError.corrupt("预警事件未能写入") }
        try await db.raw("""
            INSERT INTO webhook_deliveries (event_id, agency, status, attempts, next_attempt_at, created_at)
            SELECT \(bind: id), agency, 'pending', 0, \(bind: at), \(bind: at) FROM webhooks WHERE agency = \(bind: w.agency) AND active = 1
            """).run()
    }

    /// Events with `after < id <= upTo` for warnings in a scope, oldest first (the stream resumes from a Last-Event-ID).
    public func warningEvents(after id: Int64, upTo: Int64? = nil, scope: DataScope, limit: Int = 500) async throws -> [WarningEvent] {
        let decoder = JSONDecoder()
        var select = reader.select().columns("id", "payload").from("warning_events").where("id", .greaterThan, id)
        if let upTo { select = select.where("id", .lessThanOrEqual, upTo) }
        return try await Self.restrict(select, to: scope, regionColumn: "region").orderBy("id").limit(limit).all().map { row in
            var event = try decoder.decode(WarningEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
            event.id = try row.decode(column: "id", as: Int64.self)
            return event
        }
    }

    /// The newest event id (a stream that connects without Last-Event-ID starts after it).
    public func latestWarningEventID() async throws -> Int64 {
        try await reader.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "n").from("warning_events").first()?
            .decode(column: "n", as: Int64?.self) ?? 0
    }
}
