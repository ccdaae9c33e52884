import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingWorkflow

/// A file a responsible agency attaches to its verification conclusion or rectification report (调查材料、整改报告).
public struct NewAttachment: Sendable {
    /// Ten MiB: scans of a few signed pages, not a whole dossier (which is exchanged as records).
    public static let maximumBytes = 10 * 1024 * 1024
    /// Formats an agency's office produces; anything else is refused rather than stored unread.
    public static let allowedTypes: Set<String> = [
        "application/pdf", "application/ofd", "image/png", "image/jpeg", "text/plain", "application/zip",
        "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    public var filename: String
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        // A browser may send a full client path; keep its last component only.
        self.filename = String(filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
        self.contentType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        self.data = data
    }

    public var sha256: String { ContentHash.sha256Hex(data) }

    func validate() throws {
        guard !filename.isEmpty, filename.count <= 200, filename.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw WarningError.invalidTransition("附件文件名为空、过长或含控制字符")
        }
        guard !data.isEmpty else { throw WarningError.invalidTransition("附件“\(filename)”为空文件") }
        guard data.count <= Self.maximumBytes else { throw WarningError.invalidTransition("附件“\(filename)”超过 10 MB") }
        guard Self.allowedTypes.contains(contentType) else {
            throw WarningError.invalidTransition("附件“\(filename)”的类型 \(contentType) 不受支持（可上传 PDF、OFD、图片、文本、Word、ZIP）")
        }
    }
}

/// An attachment as stored (its bytes are read separately).
public struct StoredAttachment: Sendable, Codable, Hashable {
    public var id: Int64
    public var warningID: String
    public var transitionID: Int64?
    public var filename: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var at: Int64
}

/// Filters and order of the warning list (风险预警).
public struct WarningListQuery: Sendable, Hashable {
    public enum Sort: String, Sendable, CaseIterable {
        /// Worst first: red before orange before yellow, then the most overdue finding.
        case grade
        /// The nearest step deadline first.
        case due
        /// The most recently changed first.
        case updated
        case caseID = "case"
    }

    public var state: WarningState?
    public var grade: WarningGrade?
    public var agency: String?
    public var caseID: String?
    /// Only warnings whose current step is past its deadline.
    public var overdueOnly: Bool
    /// Leave out closed warnings.
    public var openOnly: Bool
    public var sort: Sort

    public init(state: WarningState? = nil, grade: WarningGrade? = nil, agency: String? = nil, caseID: String? = nil,
        overdueOnly: Bool = false, openOnly: Bool = false, sort: Sort = .grade)
    {
        self.state = state
        self.grade = grade
        self.agency = agency
        self.caseID = caseID
        self.overdueOnly = overdueOnly
        self.openOnly = openOnly
        self.sort = sort
    }
}

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

/// What the overview (驾驶舱) shows, within one caller's scope.
public struct WorkbenchOverview: Sendable, Codable {
    public struct Month: Sendable, Codable, Hashable {
        public var month: String
        public var count: Int
    }

    public var cases: Int
    public var openFindings: Int
    public var openWarnings: Int
    public var overdueWarnings: Int
    public var warningsByGrade: [String: Int]
    public var warningsByState: [String: Int]
    public var findingsByKind: [String: Int]
    public var topRules: [CountedName]
    public var warningsByAgency: [CountedName]
    /// Open warnings by city (the first four digits of the region code, padded to six).
    public var warningsByCity: [CountedName]
    /// Findings by the month the breach occurred (China time), the last twelve months that have any.
    public var trend: [Month]
    /// The open warnings longest past their step's deadline.
    public var mostOverdue: [StoredWarning]
}

extension TianpingStore {
    /// A page of warnings in a scope, sorted in SQL on the `warnings_by_*` indexes.
    /// `total` skips the count when the caller already knows it (the server keeps recent counts; counting a province's
    /// warnings is the costliest part of a page).
    public func warningPage(_ query: WarningListQuery, page: Int, pageSize: Int, scope: DataScope, now: Int64, total known: Int? = nil)
        async throws -> Page<StoredWarning>
    {
        // A province or city covers much of the table: the page then walks the ordering index and filters the region
        // (SQLite would otherwise pick the region index and sort all of it).
        let broad: Bool = { if case .region(let prefix) = scope { return prefix.count <= 4 }; return false }()
        func filtered(_ select: SQLSelectBuilder, forPage: Bool = false) -> SQLSelectBuilder {
            var s = Self.restrict(select, to: scope, regionColumn: "region", avoidRegionIndex: forPage && broad && query.sort == .grade)
            if let state = query.state { s = s.where("state", .equal, state.rawValue) }
            if query.openOnly { s = s.where("state", .notEqual, WarningState.closed.rawValue) }
            if let grade = query.grade { s = s.where("grade_rank", .equal, grade.rank) }
            if let agency = query.agency { s = s.where("agency", .equal, agency) }
            if let caseID = query.caseID { s = s.where("case_id", .equal, caseID) }
            if query.overdueOnly { s = s.where("due_at", .lessThan, now) }
            return s
        }
        var total = known ?? 0
        if known == nil {
            total = try await filtered(reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("warnings"))
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let items = try await warnings(on: reader) { select in
            var s = filtered(select, forPage: true)
            switch query.sort {
            case .grade: s = s.orderBy("grade_rank", .descending).orderBy("overdue_days", .descending)
            case .due:
                // Only closed warnings have no deadline; when the filter leaves them out, due_at alone orders the page
                // and an index can give that order (`warnings_by_state_rank_due`).
                let open = query.openOnly || query.overdueOnly || (query.state.map { $0 != .closed } ?? false)
                if !open { s = s.orderBy(SQLRaw("CASE WHEN due_at IS NULL THEN 1 ELSE 0 END")) }
                s = s.orderBy("due_at", .ascending)
            case .updated: s = s.orderBy("updated_at", .descending)
            case .caseID: s = s.orderBy("case_id", .ascending)
            }
            return s.orderBy("warning_id").limit(pageSize).offset((max(1, page) - 1) * pageSize)
        }
        return Page(items: items, page: page, pageSize: pageSize, total: total)
    }

    /// How many warnings a list query matches in a scope.
    public func warningCount(_ query: WarningListQuery, scope: DataScope, now: Int64) async throws -> Int {
        try await warningPage(query, page: 1, pageSize: 0, scope: scope, now: now).total
    }

    /// Raises the grade of every open warning whose current step is past its deadline, once per step, and records
    /// it as a step of its own (so that the agency's and the supervisor's queues show it). Returns the ids.
    @discardableResult
    public func escalateOverdueWarnings(now: Int64) async throws -> [String] {
        // Red is the top grade: a red warning past its step deadline shows as overdue in the lists and the overview.
        let notYet: (SQLSelectBuilder) -> SQLSelectBuilder = { select in
            select.where("due_at", .lessThan, now).where("state", .notEqual, WarningState.closed.rawValue).where("grade_rank", .lessThan, 2)
                .where { $0.where("escalated_step", .is, SQLLiteral.null).orWhere("escalated_step", .notEqual, SQLColumn("state_entered_at")) }
        }
        let overdue = try await warnings(where: notYet)
        var escalated: [String] = []
        for warning in overdue {
            let grade = warning.grade.raised(by: 1)
            let done = try await transaction { db in
                // Guarded by everything read above: another escalation, step or re-grade in between makes it match nothing.
                let rows = try await db.update("warnings").set("grade", to: grade.rawValue).set("grade_rank", to: grade.rank)
                    .set("escalations", to: warning.escalations + 1).set("escalated_step", to: warning.stateEnteredAt).set("updated_at", to: now)
                    .where("warning_id", .equal, warning.id).where("state_entered_at", .equal, warning.stateEnteredAt)
                    .where("state", .equal, warning.state.rawValue).where("escalations", .equal, warning.escalations)
                    .where("grade_rank", .equal, warning.grade.rank)
                    .where { $0.where("escalated_step", .is, SQLLiteral.null).orWhere("escalated_step", .notEqual, SQLColumn("state_entered_at")) }
                    .returning("warning_id").all()
                guard !rows.isEmpty else { return false }
                let due = warning.dueAt.map { Timestamp(secondsSinceEpoch: $0).description } ?? "-"
                try await Self.recordTransition(warning.id, at: now, actor: "system", role: "system", from: warning.state, to: warning.state,
                    action: "escalated",
                    comment: "“\(warning.state.chineseName)”已超过办理期限（\(due)），预警由\(warning.grade.chineseName)升级为\(grade.chineseName)",
                    conclusion: nil, db: db)
                var raised = warning
                raised.grade = grade
                try await Self.emit(.escalated, raised, at: now, action: "escalated", db: db)
                return true
            }
            if done { escalated.append(warning.id) }
        }
        return escalated
    }

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

    /// The attachments of a warning, without their bytes.
    public func attachments(warningID: String) async throws -> [StoredAttachment] {
        try await reader.select().columns("id", "warning_id", "transition_id", "filename", "content_type", "size", "sha256", "uploaded_by", "at")
            .from("warning_attachments").where("warning_id", .equal, warningID).orderBy("id").all().map(Self.attachment(from:))
    }

    /// One attachment with its bytes.
    public func attachment(id: Int64) async throws -> (StoredAttachment, [UInt8])? {
        guard let row = try await reader.select().columns("*").from("warning_attachments").where("id", .equal, id).first() else { return nil }
        return (try Self.attachment(from: row), [UInt8](try row.decode(column: "data", as: Data.self)))
    }

    private static func attachment(from row: any SQLRow) throws -> StoredAttachment {
        StoredAttachment(id: try row.decode(column: "id", as: Int64.self), warningID: try row.decode(column: "warning_id", as: String.self),
            transitionID: try row.decode(column: "transition_id", as: Int64?.self), filename: try row.decode(column: "filename", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self), size: try row.decode(column: "size", as: Int.self),
            sha256: try row.decode(column: "sha256", as: String.self), uploadedBy: try row.decode(column: "uploaded_by", as: String.self),
            at: try row.decode(column: "at", as: Int64.self))
    }

    /// The overview in a scope: counts by grade, state, risk kind, rule, agency and city, the monthly trend of
    /// findings and the most overdue warnings. Several grouped scans; the server caches it briefly.
    public func overview(scope: DataScope, now: Int64) async throws -> WorkbenchOverview {
        let db = backgroundReader
        let count = SQLFunction("COUNT", args: SQLLiteral.all)
        func grouped(_ table: String, _ key: any SQLExpression, _ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [String: Int] {
            var result: [String: Int] = [:]
            // A warning carries its case's region in `region`; a finding in `case_region` (its `region` is its agency's).
            let select = filter(Self.restrict(db.select().column(key, as: "k").column(count, as: "n").from(table), to: scope,
                regionColumn: table == "warnings" ? "region" : "case_region"))
            for row in try await select.groupBy(SQLColumn("k")).all() {
                result[try row.decode(column: "k", as: String?.self) ?? "-"] = try row.decode(column: "n", as: Int.self)
            }
            return result
        }
        let open: (SQLSelectBuilder) -> SQLSelectBuilder = { $0.where("state", .notEqual, WarningState.closed.rawValue) }
        let openFinding: (SQLSelectBuilder) -> SQLSelectBuilder = { $0.where("status", .equal, "open") }
        let cases = try await Self.restrict(db.select().column(count, as: "n").from("cases"), to: scope, regionColumn: "region")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let byGrade = try await grouped("warnings", SQLColumn("grade"), open)
        let byState = try await grouped("warnings", SQLColumn("state"), { $0 })
        let byKind = try await grouped("findings", SQLColumn("kind"), openFinding)
        let byRule = try await grouped("findings", SQLColumn("rule_id"), openFinding)
        let byAgency = try await grouped("warnings", SQLColumn("agency"), open)
        let byCity = try await grouped("warnings", SQLFunction("SUBSTR", args: SQLColumn("region"), SQLLiteral.numeric("1"), SQLLiteral.numeric("4")), open)
        let month: any SQLExpression = dialect == .sqlite
            ? SQLRaw("strftime('%Y-%m', occurred_at + 28800, 'unixepoch')")
            : SQLRaw("to_char(to_timestamp(occurred_at + 28800) AT TIME ZONE 'UTC', 'YYYY-MM')")
        let byMonth = try await grouped("findings", month, { $0 })
        let overdue = try await open(Self.restrict(db.select().column(count, as: "n").from("warnings"), to: scope, regionColumn: "region"))
            .where("due_at", .lessThan, now).first()?.decode(column: "n", as: Int.self) ?? 0
        let mostOverdue = try await warnings(on: db) { s in
            open(Self.restrict(s, to: scope, regionColumn: "region")).where("due_at", .lessThan, now).orderBy("due_at").limit(10)
        }
        func top(_ counts: [String: Int], _ n: Int) -> [CountedName] {
            counts.map { CountedName(name: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
                .prefix(n).map { $0 }
        }
        return WorkbenchOverview(
            cases: cases, openFindings: byKind.values.reduce(0, +), openWarnings: byGrade.values.reduce(0, +), overdueWarnings: overdue,
            warningsByGrade: byGrade, warningsByState: byState, findingsByKind: byKind, topRules: top(byRule, 10),
            warningsByAgency: top(byAgency, 12),
            warningsByCity: top(byCity, 30).map { CountedName(name: $0.name + "00", count: $0.count) }.sorted { $0.name < $1.name },
            trend: byMonth.map { WorkbenchOverview.Month(month: $0.key, count: $0.value) }.sorted { $0.month < $1.month }.suffix(12).map { $0 },
            mostOverdue: mostOverdue)
    }
}
