import Foundation
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore

extension AnalysisPipeline {
    /// Cases loaded, evaluated and stored per step.
    public static let pageSize = 2_000

    /// Rules whose findings depend on other cases, synced by the lead pass rather than with each case.
    public static let cohortRules: Set<String> = [SentencingRules.cohortOutlier.id]

    /// Evaluates every case of the store, then the leads of every comparable group. `progress` is told how many
    /// cases are done after each page.
    public func run(store: TianpingStore, asOf: Timestamp, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil)
        async throws -> AnalysisOutcome
    {
        let total = try await store.caseCount()
        var outcome = AnalysisOutcome()
        var after: String?
        var done = 0
        while true {
            let ids = try await store.caseIDs(after: after, limit: Self.pageSize)
            guard let last = ids.last else { break }
            after = last
            try await evaluatePage(ids, store: store, asOf: asOf, into: &outcome)
            done += ids.count
            progress?(done, total)
        }
        try await syncCohortLeads(everyCohort: true, store: store, into: &outcome)
        return outcome
    }

    /// Evaluates the cases whose records changed since their last evaluation (queued by ingest in the transactions
    /// that changed them), then the leads of every comparable group they joined or left.
    public func processQueue(store: TianpingStore, asOf: Timestamp) async throws -> AnalysisOutcome {
        var outcome = AnalysisOutcome()
        while true {
            let ids = try await store.queuedCaseIDs(limit: Self.pageSize)
            if ids.isEmpty { break }
            try await evaluatePage(ids, store: store, asOf: asOf, into: &outcome)
        }
        try await syncCohortLeads(everyCohort: false, store: store, into: &outcome)
        return outcome
    }

    /// One page: every engine on each case, the judgments' comparable groups stored, and the findings reconciled with
    /// the stored ones and aggregated into warnings in one transaction (which also takes the cases off the queue).
    private func evaluatePage(_ ids: [String], store: TianpingStore, asOf: Timestamp, into outcome: inout AnalysisOutcome)
        async throws
    {
        let t0 = Date()
        let timelines = try await store.timelines(for: ids)
        let t1 = Date()
        var evaluations = await evaluate(timelines, asOf: asOf)
        var measures: [SentencingReview.Measure] = []
        if let sentencing {
            // The judgment-outcome family: each case's own judgments; their comparable groups are kept for the lead pass.
            let reviews = Dictionary(uniqueKeysWithValues: await ParallelMap.map(timelines) { ($0.caseID, sentencing.review($0)) })
            for i in evaluations.indices { evaluations[i].findings += reviews[evaluations[i].caseID]?.findings ?? [] }
            measures = ids.flatMap { reviews[$0]?.measures ?? [] }
        }
        let t2 = Date()
        let now = clock.now()
        if sentencing != nil { _ = try await store.replaceSentencingMeasures(caseIDs: ids, measures: measures) }
        outcome.sync.merge(try await store.sync(evaluations, packVersion: procedure.pack.version, now: now, refreshingWarnings: true,
            ownedElsewhere: sentencing == nil ? [] : Self.cohortRules))
        for e in evaluations { outcome.summary.add(e) }
        outcome.loadSeconds += t1.timeIntervalSince(t0)
        outcome.analysisSeconds += t2.timeIntervalSince(t1)
        outcome.storeSeconds += Date().timeIntervalSince(t2)
    }

    /// 同案不同判 leads of every case in a changed comparable group (every group on a full run), compared with every
    /// stored judgment of the group; opened, updated or closed for each case that has or had one, with its warnings.
    /// Cases with an open lead are always looked at again, so that a case that left its group has its lead closed.
    private func syncCohortLeads(everyCohort: Bool, store: TianpingStore, into outcome: inout AnalysisOutcome) async throws {
        guard let sentencing else { return }
        let dirty = try await store.dirtySentencingCohorts()
        let open = try await store.casesWithOpenFindings(rules: Self.cohortRules)
        guard everyCohort || !dirty.isEmpty || !open.isEmpty else { return }
        let cohorts: Set<String>? = everyCohort ? nil : dirty.union(try await store.sentencingCohorts(ofCases: open))
        let measures = try await store.sentencingMeasures(inCohorts: cohorts)
        var terms: [String: [Double]] = [:]
        for m in measures { terms[m.cohort, default: []].append(m.months) }
        let leads = Dictionary(grouping: sentencing.cohortFindings(measures, SentencingCohorts(terms: terms)), by: \.caseID)
        let cases = Set(leads.keys).union(open).sorted()
        let now = clock.now()
        for start in stride(from: 0, to: cases.count, by: Self.pageSize) {
            let page = cases[start..<min(start + Self.pageSize, cases.count)]
            let evaluations = page.map { CaseEvaluation(caseID: $0, asOf: now, findings: leads[$0] ?? [], clocks: []) }
            var synced = try await store.sync(evaluations, packVersion: procedure.pack.version, now: now, refreshingWarnings: true,
                onlyRules: Self.cohortRules)
            synced.cases = 0  // these cases were counted when they were evaluated, or were not evaluated at all
            outcome.sync.merge(synced)
        }
        outcome.summary.add(findings: leads.values.flatMap { $0 })
        try await store.clearDirtySentencingCohorts(dirty)
    }
}
