import SQLKit
import TianpingCore
import TianpingSentencing

extension TianpingStore {
    /// Replaces the measures of some cases (a case re-reviewed may have lost or changed a judgment) and marks the cohorts
    /// that changed — the ones the cases were in and the ones they are in now — for the cohort pass, in one transaction.
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
            for chunk in touched.sorted().chunked(200) {
                var insert = db.insert(into: "sentencing_dirty_cohorts").columns("cohort")
                for c in chunk { insert = insert.values(SQLBind(c)) }
                try await insert.ignoringConflicts(with: "cohort").run()
            }
            return touched
        }
    }

    /// Cohorts whose leads are still to be recomputed.
    public func dirtySentencingCohorts() async throws -> Set<String> {
        Set(try await writer.select().column("cohort").from("sentencing_dirty_cohorts").all().map { try $0.decode(column: "cohort", as: String.self) })
    }

    /// Marks cohorts as recomputed (only these: a cohort marked meanwhile stays marked).
    public func clearDirtySentencingCohorts(_ cohorts: Set<String>) async throws {
        for chunk in cohorts.sorted().chunked(500) {
            try await writer.delete(from: "sentencing_dirty_cohorts").where("cohort", .in, Array(chunk)).run()
        }
    }

    /// The cohorts some cases' judgments are in.
    public func sentencingCohorts(ofCases caseIDs: Set<String>) async throws -> Set<String> {
        var out = Set<String>()
        for chunk in caseIDs.sorted().chunked(500) {
            for row in try await reader.select().distinct().column("cohort").from("sentencing_measures").where("case_id", .in, Array(chunk)).all() {
                out.insert(try row.decode(column: "cohort", as: String.self))
            }
        }
        return out
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
