import SQLKit
import TianpingAccess
import TianpingCore

/// Province-wide counts for the overview and `tianping stats`.
public struct Statistics: Sendable, Codable, Equatable {
    public var cases: Int
    public var agencies: Int
    public var casesByType: [String: Int]
    /// City region code → cases.
    public var casesByCity: [String: Int]
    /// Top charges by number of criminal cases.
    public var topCharges: [CountedName]
    /// Current records per kind; `nil` unless asked for (it scans every record).
    public var recordsByKind: [String: Int]?
    /// Stored versions that have been superseded by a correction; `nil` unless asked for.
    public var historicalVersions: Int?
    /// Quarantine entries still open, by code.
    public var openQuarantineByCode: [String: Int]
    /// Cases by the stage their latest event belongs to.
    public var casesByStage: [String: Int]
}

/// A name with a count.
public struct CountedName: Sendable, Codable, Equatable {
    public var name: String
    public var count: Int
}

extension TianpingStore {
    /// Province-wide counts from the `cases`, `agencies` and `quarantine` tables. Counting records by kind
    /// reads the whole `records` table (about 80 s for 26 million records on the project machine), so it is
    /// done only when `includeRecordCounts` is set — by `tianping stats`, not by web pages.
    public func statistics(topChargeCount: Int = 15, includeRecordCounts: Bool = false, scope: DataScope = .everything)
        async throws -> Statistics
    {
        let db = reader
        func grouped(_ table: String, _ column: String, where predicate: ((SQLSelectBuilder) -> SQLSelectBuilder)? = nil)
            async throws -> [String: Int]
        {
            var select = db.select().column(SQLIdentifier(column), as: "k")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            if let predicate { select = predicate(select) }
            var result: [String: Int] = [:]
            for row in try await select.groupBy(column).all() {
                result[try row.decode(column: "k", as: String?.self) ?? "-"] = try row.decode(column: "n", as: Int.self)
            }
            return result
        }
        let inScope: (SQLSelectBuilder) -> SQLSelectBuilder = { Self.restrict($0, to: scope, regionColumn: "region") }
        let byType = try await grouped("cases", "case_type", where: inScope)
        let byCity = try await grouped("cases", "city", where: inScope)
        var byKind: [String: Int]?
        var history: Int?
        if includeRecordCounts {
            byKind = try await grouped("records", "kind") { $0.where("is_current", .equal, 1) }
            history = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("records")
                .where("is_current", .equal, 0).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let quarantine = try await grouped("quarantine", "code") { $0.where("status", .equal, "open") }
        let lastEvents = try await grouped("cases", "last_event_kind", where: inScope)
        var byStage: [String: Int] = [:]
        for (kind, n) in lastEvents {
            byStage[(EventKind(rawValue: kind).map(CaseStage.init(after:)) ?? .accepted).rawValue, default: 0] += n
        }
        let charges = try await grouped("cases", "charges") { inScope($0.where("case_type", .equal, CaseType.criminal.rawValue)) }
        var perCharge: [String: Int] = [:]
        for (list, n) in charges {
            for charge in list.split(separator: Character(Self.chargeSeparator)) { perCharge[String(charge), default: 0] += n }
        }
        let top = perCharge.map { CountedName(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }.prefix(topChargeCount)
        let agencies = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("agencies")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return Statistics(
            cases: byType.values.reduce(0, +), agencies: agencies, casesByType: byType, casesByCity: byCity,
            topCharges: Array(top), recordsByKind: byKind, historicalVersions: history,
            openQuarantineByCode: quarantine, casesByStage: byStage)
    }
}

extension TianpingStore {
    /// The number of cases, cheaply (for health checks).
    public func caseCount() async throws -> Int {
        try await reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cases").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
