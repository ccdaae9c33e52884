import SQLKit
import TianpingAccess

extension TianpingStore {
    /// Narrows a select over a table with a `case_id` column (or the `cases` table itself) to the cases a scope
    /// allows. Every query that returns case data goes through here, so scope is enforced in one place. Tables that
    /// carry the case's own region (`region` of cases, warnings, warning_events; `case_region` of findings — a
    /// finding's `region` is its agency's) name that column and are filtered on it directly: the subquery through
    /// `cases` takes seconds on a million cases. `avoidRegionIndex` (SQLite) keeps the planner on an ordering index
    /// when the region is not selective.
    static func restrict(_ select: SQLSelectBuilder, to scope: DataScope, regionColumn: String? = nil, avoidRegionIndex: Bool = false)
        -> SQLSelectBuilder
    {
        switch scope {
        case .everything:
            return select
        case .nothing:
            return select.where(SQLLiteral.numeric("1"), .equal, SQLLiteral.numeric("0"))
        case .region(let prefix):
            if let regionColumn { return select.where(RegionPrefix(prefix: prefix, column: regionColumn, avoidIndex: avoidRegionIndex)) }
            return select.where("case_id", .in, SQLSubquery.select { $0.column("case_id").from("cases").where(RegionPrefix(prefix: prefix)) })
        case .agency(let code):
            return select.where("case_id", .in,
                SQLSubquery.select { $0.column("case_id").from("case_agencies").where("agency", .equal, code) })
        case .assigned(let account, let purpose):
            return select.where("case_id", .in, SQLSubquery.select {
                $0.column("case_id").from("case_assignments").where("account_id", .equal, account)
                    .where("purpose", .equal, purpose.rawValue)
            })
        }
    }

    /// Whether a case is within a scope (a case out of scope is answered as not found).
    public func caseVisible(_ caseID: String, scope: DataScope) async throws -> Bool {
        try await Self.restrict(reader.select().column("case_id").from("cases").where("case_id", .equal, caseID), to: scope,
            regionColumn: "region").first() != nil
    }
}

/// `region` starts with a prefix. SQLite's LIKE ignores case and so cannot use an index; a digits-only prefix (every
/// region code) is matched there with GLOB, which can. PostgreSQL uses LIKE.
struct RegionPrefix: SQLExpression {
    let prefix: String
    var column = "region"
    var avoidIndex = false

    func serialize(to serializer: inout SQLSerializer) {
        let digits = !prefix.isEmpty && prefix.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let sqlite = serializer.dialect.name == "sqlite"
        // SQLite's unary + on a column keeps the term from choosing an index.
        if avoidIndex && sqlite { serializer.write("+") }
        SQLColumn(column).serialize(to: &serializer)
        if digits && sqlite {
            serializer.write(" GLOB ")
            SQLBind(prefix + "*").serialize(to: &serializer)
        } else {
            serializer.write(" LIKE ")
            SQLBind(TianpingStore.escapeLike(prefix) + "%").serialize(to: &serializer)
        }
    }
}
