import Foundation
import Testing
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingSentencing
import TianpingStore

@Suite("Sentencing measures in the store")
struct SentencingStoreTests {
    @Test("judgments are read with their facts; measures are replaced per case and report the cohorts they left and joined; cohort leads are synced apart from the case's own findings")
    func measures() async throws {
        try await withTemporaryStore { store, _ in try await Self.lifecycle(on: store) }
    }

    /// On any store (SQLite here; PostgreSQL in `PostgresTests`).
    static func lifecycle(on store: TianpingStore) async throws {
        let court = "520102FY01"
        let caseID = FindingStoreTests.caseID
        let judgment = Judgment(defendant: caseID + "-P1", caseNumber: "（2024）黔0102刑初7号", instance: 1, court: court,
            decidedAt: Timestamp("2024-05-10T10:00:00+08:00")!, charges: ["盗窃罪"], principalPenalty: .fixedTermImprisonment,
            termMonths: 10, circumstances: ["坦白"], facts: SentencingFacts(amountYuan: 5200.5, cues: ["入户盗窃"]))
        let summary = try await ingest(FindingStoreTests.agencies + [
            ExchangeRecord(source: court, id: court, payload: .agency(Agency(code: court, kind: .court, name: "青石市东湖区人民法院",
                region: RegionCode("520102")!, level: .county))),
            FindingStoreTests.caseRecord,
            ExchangeRecord(source: court, id: "J1", caseID: caseID, payload: .judgment(judgment)),
        ], into: store)
        #expect(summary.total(.quarantined) == 0)
        let stored = try await store.timelines(for: [caseID]).first?.judgments
        #expect(stored == [judgment], "the judgment comes back with its facts")

        func row(_ cohort: String, _ months: Double) -> SentencingReview.Measure {
            .init(caseID: caseID, defendant: judgment.defendant, cohort: cohort, months: months, caseNumber: judgment.caseNumber, court: court,
                decidedAt: judgment.decidedAt)
        }
        #expect(try await store.replaceSentencingMeasures(caseIDs: [caseID], measures: [row("盗窃罪|b0|A", 10.5)]) == ["盗窃罪|b0|A"])
        #expect(try await store.replaceSentencingMeasures(caseIDs: [caseID], measures: [row("盗窃罪|b0|B", 7.25)]) == ["盗窃罪|b0|A", "盗窃罪|b0|B"])
        #expect(try await store.dirtySentencingCohorts() == ["盗窃罪|b0|A", "盗窃罪|b0|B"], "changed cohorts are marked with the measures")
        try await store.clearDirtySentencingCohorts(["盗窃罪|b0|A"])
        #expect(try await store.dirtySentencingCohorts() == ["盗窃罪|b0|B"])
        #expect(try await store.sentencingCohorts(ofCases: [caseID]) == ["盗窃罪|b0|B"])
        #expect(try await store.sentencingMeasures(inCohorts: ["盗窃罪|b0|B"]) == [row("盗窃罪|b0|B", 7.25)])
        #expect(try await store.sentencingMeasures(inCohorts: ["盗窃罪|b0|A"]).isEmpty)
        #expect(try await store.sentencingMeasures(inCohorts: nil).count == 1)
        // A case that lost its judgment leaves its cohort.
        #expect(try await store.replaceSentencingMeasures(caseIDs: [caseID], measures: []) == ["盗窃罪|b0|B"])
        #expect(try await store.sentencingMeasures(inCohorts: nil).isEmpty)

        // A cohort lead is owned by the cohort pass: the case's own re-evaluation neither closes nor duplicates it.
        let rule = "SENT-COHORT-OUTLIER"
        let now = Timestamp("2024-06-01T10:00:00+08:00")!
        let lead = Finding(id: Finding.key(rule: rule, caseID: caseID, anchor: judgment.defendant), ruleID: rule, caseID: caseID, kind: .signal,
            severity: .low, grade: .b, agency: court, person: judgment.defendant, occurredAt: judgment.decidedAt, explanation: "离群", citation: "—")
        let opened = try await store.sync([CaseEvaluation(caseID: caseID, asOf: now, findings: [lead], clocks: [])], packVersion: "t", now: now,
            refreshingWarnings: true, onlyRules: [rule])
        #expect(opened.opened == 1)
        #expect(try await store.queuedCaseIDs(limit: 10) == [caseID], "the cohort pass leaves the queue to the case's own evaluation")
        let own = try await store.sync([CaseEvaluation(caseID: caseID, asOf: now, findings: [], clocks: [])], packVersion: "t", now: now,
            ownedElsewhere: [rule])
        #expect(own.resolved == 0)
        #expect(try await store.casesWithOpenFindings(rules: [rule]) == [caseID])
        #expect(try await store.queuedCaseIDs(limit: 10).isEmpty)
        let closed = try await store.sync([CaseEvaluation(caseID: caseID, asOf: now, findings: [], clocks: [])], packVersion: "t", now: now,
            onlyRules: [rule])
        #expect(closed.resolved == 1)
        #expect(try await store.casesWithOpenFindings(rules: [rule]).isEmpty)
    }
}
