import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules

/// A finding as stored: the engine's finding with its lifecycle.
public struct StoredFinding: Sendable, Codable {
    public var finding: Finding
    public var status: FindingStatus
    public var firstDetectedAt: Timestamp
    public var updatedAt: Timestamp
    public var resolvedAt: Timestamp?
    public var packVersion: String
}

/// One entry of a finding's history (never updated).
public struct FindingChange: Sendable, Codable {
    public var at: Timestamp
    public var change: FindingChangeKind
    public var status: FindingStatus
    public var explanation: String
    public var packVersion: String
}

/// What a sync changed.
public struct FindingSyncSummary: Sendable, Codable, Equatable {
    public var cases = 0
    public var opened = 0
    public var updated = 0
    public var resolved = 0
    public var reopened = 0
    public var unchanged = 0
    public var clocks = 0

    public init() {}

    public mutating func merge(_ o: FindingSyncSummary) {
        cases += o.cases
        opened += o.opened
        updated += o.updated
        resolved += o.resolved
        reopened += o.reopened
        unchanged += o.unchanged
        clocks += o.clocks
    }
}

/// Filters for the findings list.
public struct FindingQuery: Sendable {
    public var rule: String?
    public var agency: String?
    /// Agencies of this region and below.
    public var region: RegionCode?
    public var severity: Severity?
    public var kind: FindingKind?
    /// Open findings by default; `nil` for both.
    public var status: FindingStatus?
    public var caseID: String?
    public var occurredFrom: Timestamp?
    public var occurredBefore: Timestamp?

    public init(rule: String? = nil, agency: String? = nil, region: RegionCode? = nil, severity: Severity? = nil,
        kind: FindingKind? = nil, status: FindingStatus? = .open, caseID: String? = nil, occurredFrom: Timestamp? = nil,
        occurredBefore: Timestamp? = nil)
    {
        self.rule = rule
        self.agency = agency
        self.region = region
        self.severity = severity
        self.kind = kind
        self.status = status
        self.caseID = caseID
        self.occurredFrom = occurredFrom
        self.occurredBefore = occurredBefore
    }
}

extension TianpingStore {
    static let rowsPerFindingInsert = 200

    /// Records that these cases changed and need evaluating; runs inside the ingest transaction.
    static func enqueueForAnalysis(_ ids: Set<String>, db: any SQLDatabase) async throws {
        for chunk in ids.sorted().chunked(rowsPerInsert) {
            var insert = db.insert(into: "analysis_queue").columns("case_id")
            for id in chunk { insert = insert.values(SQLBind(id)) }
            try await insert.ignoringConflicts(with: "case_id").run()
        }
    }

    /// Cases waiting for evaluation.
    public func queuedCaseIDs(limit: Int) async throws -> [String] {
        try await writer.select().column("case_id").from("analysis_queue").orderBy("case_id").limit(limit).all()
            .map { try $0.decode(column: "case_id", as: String.self) }
    }

    public func queuedCaseCount() async throws -> Int {
        try await writer.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("analysis_queue")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Case ids in order, a page at a time (for a full analysis).
    public func caseIDs(after: String?, limit: Int) async throws -> [String] {
        var select = reader.select().column("case_id").from("cases")
        if let after { select = select.where("case_id", .greaterThan, after) }
        return try await select.orderBy("case_id").limit(limit).all().map { try $0.decode(column: "case_id", as: String.self) }
    }

    /// The timelines of some cases, from their current records (case, events, documents, judgments, executions).
    public func timelines(for caseIDs: [String]) async throws -> [CaseTimeline] {
        var byCase: [String: [ExchangeRecord]] = [:]
        for chunk in caseIDs.chunked(500) {
            let rows = try await reader.select().columns("case_id", "body").from("records")
                .where("case_id", .in, Array(chunk)).where("is_current", .equal, 1)
                .where("kind", .in, ["case", "event", "document", "judgment", "execution"]).all()
            for row in rows {
                let body = try row.decode(column: "body", as: String.self)
                let record = try ExchangeRecord.decodeStored(Array(body.utf8))
                byCase[try row.decode(column: "case_id", as: String.self), default: []].append(record)
            }
        }
        return caseIDs.map { CaseTimeline(caseID: $0, records: byCase[$0] ?? []) }
    }

    /// Stores the evaluation of some cases: new findings opened, changed ones updated, vanished ones resolved
    /// (a cure arrived), each change written to the history; the cases' running clocks replaced; the cases
    /// taken off the analysis queue. One transaction — with `refreshingWarnings`, the cases' warnings are
    /// re-aggregated in it too, so that no crash can leave findings stored and their warnings stale.
    ///
    /// Findings of a rule in `ownedElsewhere` are left alone (another pass owns them, such as the 同案不同判 leads that
    /// depend on other cases); with `onlyRules`, only findings of those rules are synced and the clocks and the queue are
    /// not touched — that other pass's own call.
    public func sync(_ evaluations: [CaseEvaluation], packVersion: String, now: Timestamp, refreshingWarnings: Bool = false,
        ownedElsewhere: Set<String> = [], onlyRules: Set<String>? = nil) async throws -> FindingSyncSummary
    {
        guard !evaluations.isEmpty else { return FindingSyncSummary() }
        // The case's own region, so that scoped finding queries need not go through `cases`.
        let regions = try await caseRegions(evaluations.map(\.caseID))
        return try await transaction { db in
            var summary = FindingSyncSummary()
            summary.cases = evaluations.count
            let caseIDs = evaluations.map(\.caseID)
            var existing: [String: FindingReconciliation.Stored] = [:]
            for chunk in caseIDs.chunked(500) {
                // Integrity findings belong to the ledger's self-audit: re-evaluating a case neither opens nor resolves them.
                var select = db.select().columns("finding_id", "status", "signature", "body").from("findings")
                    .where("case_id", .in, Array(chunk)).where("kind", .notEqual, FindingKind.integrity.rawValue)
                if let onlyRules { select = select.where("rule_id", .in, Array(onlyRules)) }
                if !ownedElsewhere.isEmpty { select = select.where("rule_id", .notIn, Array(ownedElsewhere)) }
                existing.merge(try await Self.storedFindings(select), uniquingKeysWith: { a, _ in a })
            }
            summary.merge(try await Self.reconcile(existing: existing, found: evaluations.flatMap(\.findings), packVersion: packVersion,
                now: now, regions: regions, db: db))
            for chunk in caseIDs.chunked(500) where onlyRules == nil {
                try await db.delete(from: "clocks").where("case_id", .in, Array(chunk)).run()
                try await db.delete(from: "analysis_queue").where("case_id", .in, Array(chunk)).run()
            }
            let clocks = evaluations.flatMap(\.clocks)
            summary.clocks = clocks.count
            for chunk in clocks.chunked(Self.rowsPerFindingInsert) {
                var insert = db.insert(into: "clocks").columns("clock_id", "case_id", "rule_id", "agency", "person", "started_at", "due_at", "action")
                for c in chunk {
                    insert = insert.values(SQLBind(c.id), SQLBind(c.caseID), SQLBind(c.ruleID), SQLBind(c.agency), SQLBind(c.person),
                        SQLBind(c.startedAt.secondsSinceEpoch), SQLBind(c.dueAt.secondsSinceEpoch), SQLBind(c.action))
                }
                try await insert.run()
            }
            if refreshingWarnings { try await self.refreshWarnings(caseIDs: caseIDs, now: now.secondsSinceEpoch, regions: regions) }
            return summary
        }
    }

    /// A stored status, or an error that names it: a row no version of the store wrote.
    static func findingStatus(_ text: String) throws -> FindingStatus {
        guard let status = FindingStatus(rawValue: text) else { throw StoreError.corrupt("findings.status 取值无法识别：\(text)") }
        return status
    }

    static func findingChange(_ text: String) throws -> FindingChangeKind {
        guard let change = FindingChangeKind(rawValue: text) else { throw StoreError.corrupt("finding_history.change 取值无法识别：\(text)") }
        return change
    }

    /// The stored state of the findings a select returns (columns finding_id, status, signature, body), for a plan.
    static func storedFindings(_ select: SQLSelectBuilder) async throws -> [String: FindingReconciliation.Stored] {
        var existing: [String: FindingReconciliation.Stored] = [:]
        for row in try await select.all() {
            existing[try row.decode(column: "finding_id", as: String.self)] = FindingReconciliation.Stored(
                status: try findingStatus(row.decode(column: "status", as: String.self)),
                signature: try row.decode(column: "signature", as: String.self), body: try row.decode(column: "body", as: String.self))
        }
        return existing
    }

    /// The one writer of findings, whatever raised them (the engines through ``sync``, the ledger's self-audit through
    /// ``recordLedgerAudit(_:now:)``): asks ``FindingReconciliation`` what to change and writes it with its history, inside
    /// the caller's transaction.
    static func reconcile(existing: [String: FindingReconciliation.Stored], found: [Finding], packVersion: String, now: Timestamp,
        regions: [String: String], resolvedExplanation: String = FindingReconciliation.resolvedExplanation, db: any SQLDatabase)
        async throws -> FindingSyncSummary
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plan = try FindingReconciliation(existing: existing, found: found) { String(decoding: try encoder.encode($0), as: UTF8.self) }
        var summary = FindingSyncSummary()
        summary.opened = plan.opens.count
        summary.reopened = plan.reopened
        summary.updated = plan.updated
        summary.unchanged = plan.unchanged
        summary.resolved = plan.resolves.count
        var history: [(String, FindingChangeKind, FindingStatus, String)] = plan.opens.map { ($0.finding.id, .opened, .open, $0.finding.explanation) }
        for w in plan.updates {
            try await update(w.finding, body: w.body, signature: w.finding.signature, status: FindingStatus.open.rawValue, now: now,
                packVersion: packVersion, db: db)
            if let change = w.change { history.append((w.finding.id, change, .open, w.finding.explanation)) }
        }
        for id in plan.resolves {
            try await db.update("findings").set("status", to: FindingStatus.resolved.rawValue).set("resolved_at", to: now.secondsSinceEpoch)
                .set("updated_at", to: now.secondsSinceEpoch).where("finding_id", .equal, id).run()
            history.append((id, .resolved, .resolved, resolvedExplanation))
        }
        for chunk in plan.opens.chunked(rowsPerFindingInsert) {
            var insert = db.insert(into: "findings").columns("finding_id", "rule_id", "case_id", "kind", "severity", "grade",
                "agency", "region", "officer", "status", "ongoing", "due_at", "actual_at", "lateness", "lateness_unit",
                "occurred_at", "explanation", "signature", "body", "pack_version", "first_detected_at", "updated_at", "case_region")
            for w in chunk {
                let f = w.finding
                insert = insert.values(SQLBind(f.id), SQLBind(f.ruleID), SQLBind(f.caseID), SQLBind(f.kind.rawValue),
                    SQLBind(f.severity.rawValue), SQLBind(f.grade.rawValue), SQLBind(f.agency), SQLBind(f.agency.map { String($0.prefix(6)) }),
                    SQLBind(f.officer), SQLBind(FindingStatus.open.rawValue), SQLBind(f.ongoing ? 1 : 0), SQLBind(f.dueAt?.secondsSinceEpoch),
                    SQLBind(f.actualAt?.secondsSinceEpoch), SQLBind(f.lateness?.amount), SQLBind(f.lateness?.unit.rawValue),
                    SQLBind(f.occurredAt.secondsSinceEpoch), SQLBind(f.explanation), SQLBind(f.signature), SQLBind(w.body),
                    SQLBind(packVersion), SQLBind(now.secondsSinceEpoch), SQLBind(now.secondsSinceEpoch), SQLBind(regions[f.caseID]))
            }
            try await insert.run()
        }
        for chunk in history.chunked(rowsPerFindingInsert) {
            var insert = db.insert(into: "finding_history").columns("finding_id", "at", "change", "status", "explanation", "pack_version")
            for (id, change, status, explanation) in chunk {
                insert = insert.values(SQLBind(id), SQLBind(now.secondsSinceEpoch), SQLBind(change.rawValue), SQLBind(status.rawValue),
                    SQLBind(explanation), SQLBind(packVersion))
            }
            try await insert.run()
        }
        return summary
    }

    private static func update(_ f: Finding, body: String, signature: String, status: String, now: Timestamp,
        packVersion: String, db: any SQLDatabase) async throws
    {
        try await db.update("findings").set("status", to: status).set("resolved_at", to: SQLLiteral.null)
            .set("severity", to: f.severity.rawValue).set("agency", to: f.agency).set("officer", to: f.officer)
            .set("ongoing", to: f.ongoing ? 1 : 0).set("due_at", to: f.dueAt?.secondsSinceEpoch)
            .set("actual_at", to: f.actualAt?.secondsSinceEpoch).set("lateness", to: f.lateness?.amount)
            .set("lateness_unit", to: f.lateness?.unit.rawValue).set("occurred_at", to: f.occurredAt.secondsSinceEpoch)
            .set("explanation", to: f.explanation).set("signature", to: signature).set("body", to: body)
            .set("pack_version", to: packVersion).set("updated_at", to: now.secondsSinceEpoch)
            .where("finding_id", .equal, f.id).run()
    }

    /// A page of findings, most recent breach first.
    public func findings(_ query: FindingQuery, page: Int, pageSize: Int, scope: DataScope = .everything) async throws
        -> Page<StoredFinding>
    {
        let page = max(1, page)
        let pageSize = min(max(1, pageSize), 500)
        func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var s = select
            if let v = query.rule { s = s.where("rule_id", .equal, v) }
            if let v = query.agency { s = s.where("agency", .equal, v) }
            if let r = query.region {
                switch r.level {
                case .county: s = s.where("region", .equal, r.text)
                case .city: s = s.where("region", .like, String(r.text.prefix(4)) + "%")
                case .province: s = s.where("region", .like, String(r.text.prefix(2)) + "%")
                }
            }
            if let v = query.severity { s = s.where("severity", .equal, v.rawValue) }
            if let v = query.kind { s = s.where("kind", .equal, v.rawValue) }
            if let v = query.status { s = s.where("status", .equal, v.rawValue) }
            if let v = query.caseID { s = s.where("case_id", .equal, v) }
            if let v = query.occurredFrom { s = s.where("occurred_at", .greaterThanOrEqual, v.secondsSinceEpoch) }
            if let v = query.occurredBefore { s = s.where("occurred_at", .lessThan, v.secondsSinceEpoch) }
            return Self.restrict(s, to: scope, regionColumn: "case_region")
        }
        let db = reader
        let total = try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("findings"))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await filtered(db.select().columns("body", "status", "first_detected_at", "updated_at", "resolved_at", "pack_version")
            .from("findings")).orderBy("occurred_at", .descending).orderBy("finding_id", .ascending)
            .limit(pageSize).offset((page - 1) * pageSize).all()
        let decoder = JSONDecoder()
        return Page(items: try rows.map { row in
            StoredFinding(finding: try decoder.decode(Finding.self, from: Data(try row.decode(column: "body", as: String.self).utf8)),
                status: try Self.findingStatus(row.decode(column: "status", as: String.self)),
                firstDetectedAt: Timestamp(secondsSinceEpoch: try row.decode(column: "first_detected_at", as: Int64.self)),
                updatedAt: Timestamp(secondsSinceEpoch: try row.decode(column: "updated_at", as: Int64.self)),
                resolvedAt: try row.decode(column: "resolved_at", as: Int64?.self).map { Timestamp(secondsSinceEpoch: $0) },
                packVersion: try row.decode(column: "pack_version", as: String.self))
        }, page: page, pageSize: pageSize, total: total)
    }

    /// Every change of one finding, oldest first.
    public func findingHistory(_ findingID: String) async throws -> [FindingChange] {
        try await reader.select().columns("*").from("finding_history").where("finding_id", .equal, findingID)
            .orderBy("id").all().map { row in
                FindingChange(at: Timestamp(secondsSinceEpoch: try row.decode(column: "at", as: Int64.self)),
                    change: try Self.findingChange(row.decode(column: "change", as: String.self)),
                    status: try Self.findingStatus(row.decode(column: "status", as: String.self)),
                    explanation: try row.decode(column: "explanation", as: String.self),
                    packVersion: try row.decode(column: "pack_version", as: String.self))
            }
    }

    /// The stored running clocks of a case (status is computed by the caller for the moment it asks about).
    public func storedClocks(caseID: String) async throws -> [(id: String, rule: String, agency: String?, startedAt: Timestamp, dueAt: Timestamp, action: String)] {
        try await reader.select().columns("*").from("clocks").where("case_id", .equal, caseID).orderBy("due_at").all().map { row in
            (try row.decode(column: "clock_id", as: String.self), try row.decode(column: "rule_id", as: String.self),
                try row.decode(column: "agency", as: String?.self),
                Timestamp(secondsSinceEpoch: try row.decode(column: "started_at", as: Int64.self)),
                Timestamp(secondsSinceEpoch: try row.decode(column: "due_at", as: Int64.self)),
                try row.decode(column: "action", as: String.self))
        }
    }
}

extension TianpingStore {
    /// Open findings per rule (for the rule catalogue).
    public func openFindingCounts(scope: DataScope = .everything) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await Self.restrict(reader.select().column("rule_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("findings").where("status", .equal, "open"), to: scope, regionColumn: "case_region").groupBy("rule_id").all()
        {
            result[try row.decode(column: "rule_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }
}
