import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest

extension TianpingStore {
    /// The condition of the partial index `records_current_persons` (migration 16), written as literals: a planner
    /// uses a partial index only when the query's condition is the index's, and a bound parameter is not.
    static let currentPersonsCondition = "kind = 'person' AND is_current = 1"

    /// The current person records of some cases, by case: what a page that lists cases needs to mask their free text
    /// (a title sent with a party's full name) without loading each case's dossier. One query per 500 cases.
    public func persons(ofCases caseIDs: [String]) async throws -> [String: [Person]] {
        var byCase: [String: [Person]] = [:]
        for chunk in Array(Set(caseIDs)).chunked(500) where !chunk.isEmpty {
            let rows = try await reader.select().columns("case_id", "body").from("records")
                .where("case_id", .in, Array(chunk)).where(SQLRaw(Self.currentPersonsCondition)).all()
            for row in rows {
                let record = try ExchangeRecord.decodeStored(Array(try row.decode(column: "body", as: String.self).utf8))
                if case .person(let p) = record.payload { byCase[try row.decode(column: "case_id", as: String.self), default: []].append(p) }
            }
        }
        return byCase
    }

    /// Each case's free-text masker under `policy` (its persons, minority judged at its acceptance), for pages that
    /// show text of several cases (findings' explanations, case titles). A case not in the store gets none; callers
    /// fall back to ``FreeTextMasker/patterns``.
    /// `texts`, when given, is the one text each case's masker will be applied to: the masker then holds only the
    /// values that text contains (the same output for that text, without preparing every party's address).
    public func freeTextMaskers(forCases caseIDs: [String], policy: MaskingPolicy = .masked, texts: [String: String]? = nil) async throws
        -> [String: FreeTextMasker]
    {
        let ids = Array(Set(caseIDs))
        let persons = try await persons(ofCases: ids)
        var maskers: [String: FreeTextMasker] = [:]
        for chunk in ids.chunked(500) where !chunk.isEmpty {
            for row in try await reader.select().columns("case_id", "accepted_at").from("cases").where("case_id", .in, Array(chunk)).all() {
                let id = try row.decode(column: "case_id", as: String.self)
                let accepted = Timestamp(secondsSinceEpoch: try row.decode(column: "accepted_at", as: Int64.self)).localDate
                maskers[id] = policy.freeText(persons: persons[id] ?? [], on: accepted, relevantTo: texts?[id])
            }
        }
        return maskers
    }
}
