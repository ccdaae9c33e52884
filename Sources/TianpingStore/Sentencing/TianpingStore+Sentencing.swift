import SQLKit
import TianpingCore
import TianpingIngest

extension TianpingStore {
    /// One effective judgment's comparable group and term, as the sentencing review measured it.
    public struct SentencingMeasureRow: Sendable, Hashable {
        public var caseID: String
        public var defendant: String
        public var cohort: String
        public var months: Double

        public init(caseID: String, defendant: String, cohort: String, months: Double) {
            self.caseID = caseID
            self.defendant = defendant
            self.cohort = cohort
            self.months = months
        }
    }

    /// The current judgments of some cases, and nothing else of them (the sentencing review's first pass).
    public func judgments(for caseIDs: [String]) async throws -> [String: [Judgment]] {
        var out: [String: [Judgment]] = [:]
        for chunk in caseIDs.chunked(500) {
            let rows = try await reader.select().columns("case_id", "body").from("records")
                .where("case_id", .in, Array(chunk)).where("is_current", .equal, 1).where("kind", .equal, "judgment").all()
            for row in rows {
                let record = try ExchangeRecord.decodeStored(Array(try row.decode(column: "body", as: String.self).utf8))
                if case .judgment(let j) = record.payload { out[try row.decode(column: "case_id", as: String.self), default: []].append(j) }
            }
        }
        return out.mapValues { $0.sorted { $0.decidedAt < $1.decidedAt } }
    }

    /// Replaces the measures of some cases (a case re-reviewed may have lost or changed a judgment).
    public func replaceSentencingMeasures(caseIDs: [String], measures: [SentencingMeasureRow]) async throws {
        try await transaction { db in
            for chunk in caseIDs.chunked(500) {
                try await db.delete(from: "sentencing_measures").where("case_id", .in, Array(chunk)).run()
            }
            for chunk in measures.chunked(200) {
                var insert = db.insert(into: "sentencing_measures").columns("case_id", "defendant", "cohort", "months")
                for m in chunk { insert = insert.values(SQLBind(m.caseID), SQLBind(m.defendant), SQLBind(m.cohort), SQLBind(m.months)) }
                try await insert.run()
            }
        }
    }

    /// How many stored judgments of each cohort have each term: a histogram, so that a large group costs one row per
    /// distinct term rather than one per judgment.
    public func sentencingCohortHistograms(_ cohorts: Set<String>) async throws -> [String: [(months: Double, count: Int)]] {
        var out: [String: [(months: Double, count: Int)]] = [:]
        for chunk in Array(cohorts).sorted().chunked(200) {
            let rows = try await reader.select().column("cohort").column("months")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sentencing_measures")
                .where("cohort", .in, Array(chunk)).groupBy("cohort").groupBy("months").all()
            for row in rows {
                out[try row.decode(column: "cohort", as: String.self), default: []].append(
                    (try row.decode(column: "months", as: Double.self), try row.decode(column: "n", as: Int.self)))
            }
        }
        return out
    }
}
