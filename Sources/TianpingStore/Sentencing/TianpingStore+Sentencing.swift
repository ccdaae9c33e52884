import SQLKit
import TianpingCore
import TianpingIngest
import TianpingSentencing

extension TianpingStore {
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

    /// Replaces the measures of some cases (a case re-reviewed may have lost or changed a judgment) and returns the
    /// cohorts that changed: the ones the cases were in and the ones they are in now.
    @discardableResult
    public func replaceSentencingMeasures(caseIDs: [String], measures: [SentencingReview.Measure]) async throws -> Set<String> {
        try await transaction { db in
            var touched = Set(measures.map(\.cohort))
            for chunk in caseIDs.chunked(500) {
                for row in try await db.select().distinct().column("cohort").from("sentencing_measures").where("case_id", .in, Array(chunk)).all() {
                    touched.insert(try row.decode(column: "cohort", as: String.self))
                }
                try await db.delete(from: "sentencing_measures").where("case_id", .in, Array(chunk)).run()
            }
            for chunk in measures.chunked(100) {
                var insert = db.insert(into: "sentencing_measures")
                    .columns("case_id", "defendant", "cohort", "months", "case_number", "court", "decided_at")
                for m in chunk {
                    insert = insert.values(SQLBind(m.caseID), SQLBind(m.defendant), SQLBind(m.cohort), SQLBind(m.months), SQLBind(m.caseNumber),
                        SQLBind(m.court), SQLBind(m.decidedAt.secondsSinceEpoch))
                }
                try await insert.run()
            }
            return touched
        }
    }

    /// Every stored measure of these cohorts, or of all cohorts when `cohorts` is `nil` (a full analysis).
    public func sentencingMeasures(inCohorts cohorts: Set<String>?) async throws -> [SentencingReview.Measure] {
        func rows(_ select: SQLSelectBuilder) async throws -> [SentencingReview.Measure] {
            try await select.columns("case_id", "defendant", "cohort", "months", "case_number", "court", "decided_at")
                .from("sentencing_measures").all().map { row in
                    SentencingReview.Measure(caseID: try row.decode(column: "case_id", as: String.self),
                        defendant: try row.decode(column: "defendant", as: String.self), cohort: try row.decode(column: "cohort", as: String.self),
                        months: try row.decode(column: "months", as: Double.self), caseNumber: try row.decode(column: "case_number", as: String.self),
                        court: try row.decode(column: "court", as: String.self),
                        decidedAt: Timestamp(secondsSinceEpoch: try row.decode(column: "decided_at", as: Int64.self)))
                }
        }
        guard let cohorts else { return try await rows(reader.select()) }
        var out: [SentencingReview.Measure] = []
        for chunk in Array(cohorts).sorted().chunked(200) { out += try await rows(reader.select().where("cohort", .in, Array(chunk))) }
        return out
    }

    /// Cases with an open finding of one of these rules (a lead whose case has since left its cohort must be closed).
    public func casesWithOpenFindings(rules: Set<String>) async throws -> Set<String> {
        Set(try await reader.select().distinct().column("case_id").from("findings").where("rule_id", .in, Array(rules))
            .where("status", .equal, "open").all().map { try $0.decode(column: "case_id", as: String.self) })
    }
}
