import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingWorkflow

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
    /// A region code prefix: a province (2 digits), a city (4) or a county (6) — the case's region.
    public var region: String?
    public var caseID: String?
    /// Only warnings whose current step is past its deadline (流转超期).
    public var overdueOnly: Bool
    /// Only warnings with a finding of this rule (a warning lists its findings' ids, each led by its rule's id).
    public var rule: String?
    /// Only warnings whose case went past a statutory case-handling limit (办案超期).
    public var caseLateOnly: Bool = false
    /// Leave out closed warnings.
    public var openOnly: Bool
    public var sort: Sort

    public init(state: WarningState? = nil, grade: WarningGrade? = nil, agency: String? = nil, region: String? = nil,
        caseID: String? = nil, overdueOnly: Bool = false, openOnly: Bool = false, sort: Sort = .grade)
    {
        self.region = region
        self.state = state
        self.grade = grade
        self.agency = agency
        self.caseID = caseID
        self.overdueOnly = overdueOnly
        self.openOnly = openOnly
        self.sort = sort
    }
}

/// The warning list: one page in the caller's scope, and its total.
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
            if let region = query.region { s = s.where(RegionPrefix(prefix: region, column: "region")) }
            if let caseID = query.caseID { s = s.where("case_id", .equal, caseID) }
            if query.overdueOnly { s = s.where("due_at", .lessThan, now) }
            if query.caseLateOnly { s = s.where("overdue_days", .greaterThan, 0) }
            if let rule = query.rule {
                let id = Self.escapeLike(rule)
                s = s.where { $0.where("finding_ids", .like, id + "|%").orWhere("finding_ids", .like, "%," + id + "|%") }
            }
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
}
