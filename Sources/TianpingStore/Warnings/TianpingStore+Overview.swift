import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingWorkflow

/// What the overview (驾驶舱) shows, within one caller's scope.
public struct WorkbenchOverview: Sendable, Codable {
    public struct Month: Sendable, Codable, Hashable {
        /// `2026-07`, China time.
        public var month: String
        public var count: Int

        public init(month: String, count: Int) {
            self.month = month
            self.count = count
        }
    }

    public var cases: Int
    public var openFindings: Int
    public var openWarnings: Int
    /// 流转超期: open warnings whose current step (push, verification, rectification …) is past its deadline.
    public var overdueWarnings: Int
    /// 办案超期: open warnings whose case went past a statutory case-handling limit, by grade.
    public var caseLateByGrade: [String: Int]
    /// Open red and orange warnings by responsible agency, most first.
    public var seriousByAgency: [CountedName]
    public var warningsByGrade: [String: Int]
    public var warningsByState: [String: Int]
    public var findingsByKind: [String: Int]
    public var topRules: [CountedName]
    public var warningsByAgency: [CountedName]
    /// Open warnings by city (the first four digits of the region code, padded to six).
    public var warningsByCity: [CountedName]
    /// Findings by the month the breach occurred (China time), every month that has any, oldest first.
    public var trend: [Month]
    /// The open warnings longest past their step's deadline.
    public var mostOverdue: [StoredWarning]
    /// The open warnings whose case is longest past a statutory limit.
    public var mostCaseLate: [StoredWarning]
}

/// The figures of the 驾驶舱 in the caller's scope.
extension TianpingStore {
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
        let caseLate = try await grouped("warnings", SQLColumn("grade"), { open($0).where("overdue_days", .greaterThan, 0) })
        let serious = try await grouped("warnings", SQLColumn("agency"), { open($0).where("grade_rank", .greaterThanOrEqual, WarningGrade.orange.rank) })
        let month: any SQLExpression = dialect == .sqlite
            ? SQLRaw("strftime('%Y-%m', occurred_at + 28800, 'unixepoch')")
            : SQLRaw("to_char(to_timestamp(occurred_at + 28800) AT TIME ZONE 'UTC', 'YYYY-MM')")
        let byMonth = try await grouped("findings", month, { $0 })
        let overdue = try await open(Self.restrict(db.select().column(count, as: "n").from("warnings"), to: scope, regionColumn: "region"))
            .where("due_at", .lessThan, now).first()?.decode(column: "n", as: Int.self) ?? 0
        let mostOverdue = try await warnings(on: db) { s in
            open(Self.restrict(s, to: scope, regionColumn: "region")).where("due_at", .lessThan, now).orderBy("due_at").limit(10)
        }
        let mostCaseLate = try await warnings(on: db) { s in
            open(Self.restrict(s, to: scope, regionColumn: "region")).where("overdue_days", .greaterThan, 0)
                .orderBy("overdue_days", .descending).orderBy("warning_id").limit(10)
        }
        func top(_ counts: [String: Int], _ n: Int) -> [CountedName] {
            counts.map { CountedName(name: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
                .prefix(n).map { $0 }
        }
        return WorkbenchOverview(
            cases: cases, openFindings: byKind.values.reduce(0, +), openWarnings: byGrade.values.reduce(0, +), overdueWarnings: overdue,
            caseLateByGrade: caseLate, seriousByAgency: top(serious, 12), warningsByGrade: byGrade, warningsByState: byState, findingsByKind: byKind, topRules: top(byRule, 10),
            warningsByAgency: top(byAgency, 12),
            warningsByCity: top(byCity, 30).map { CountedName(name: $0.name + "00", count: $0.count) },
            trend: byMonth.map { WorkbenchOverview.Month(month: $0.key, count: $0.value) }.sorted { $0.month < $1.month },
            mostOverdue: mostOverdue, mostCaseLate: mostCaseLate)
    }
}
