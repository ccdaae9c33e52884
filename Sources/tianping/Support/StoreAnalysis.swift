import Foundation
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore

/// Runs the engines over a database and stores what they find: a full pass, or only the cases that ingest queued.
///
/// Each page of cases is evaluated by the procedural engine and the sentencing review together, and the judgments'
/// comparable groups are stored with it (marking the groups that changed). The 同案不同判 leads, which compare cases,
/// come last from the marked groups: a crash before then leaves the marks for the next run.
enum StoreAnalysis {
    /// Cases loaded, evaluated and stored per step.
    static let pageSize = 2_000

    struct Outcome: Encodable {
        var summary: FindingSummary
        var sync: FindingSyncSummary
        var loadSeconds: Double
        var analysisSeconds: Double
        var storeSeconds: Double
    }

    /// Evaluates every case of the database.
    static func run(database: String, engine: RuleEngine, asOf: Timestamp, showProgress: Bool) async throws -> Outcome {
        let store = try await TianpingStore.open(StoreLocation(argument: database), readConnections: 1)
        do {
            let review = try SentencingReview(graph: .bundled())
            let total = try await store.caseCount()
            let bar = ProgressBar(label: "分析", total: showProgress ? total : nil)
            var outcome = Outcome(summary: FindingSummary(), sync: FindingSyncSummary(), loadSeconds: 0, analysisSeconds: 0, storeSeconds: 0)
            var after: String?
            var done = 0
            while true {
                let ids = try await store.caseIDs(after: after, limit: pageSize)
                guard let last = ids.last else { break }
                after = last
                try await evaluate(ids, store: store, engine: engine, review: review, asOf: asOf, into: &outcome)
                done += ids.count
                if showProgress { bar.update(done, unit: "件") }
            }
            try await syncCohortLeads(everyCohort: true, store: store, engine: engine, review: review, into: &outcome)
            if showProgress { bar.finish() }
            try await store.close()
            return outcome
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Evaluates the cases whose records changed since their last evaluation (queued by ingest), then the leads of
    /// every comparable group they joined or left.
    static func processQueue(store: TianpingStore, engine: RuleEngine, asOf: Timestamp) async throws -> Outcome {
        var outcome = Outcome(summary: FindingSummary(), sync: FindingSyncSummary(), loadSeconds: 0, analysisSeconds: 0, storeSeconds: 0)
        let review = try SentencingReview(graph: .bundled())
        while true {
            let ids = try await store.queuedCaseIDs(limit: pageSize)
            if ids.isEmpty { break }
            try await evaluate(ids, store: store, engine: engine, review: review, asOf: asOf, into: &outcome)
        }
        try await syncCohortLeads(everyCohort: false, store: store, engine: engine, review: review, into: &outcome)
        return outcome
    }

    private static func evaluate(_ ids: [String], store: TianpingStore, engine: RuleEngine, review: SentencingReview, asOf: Timestamp,
        into outcome: inout Outcome) async throws
    {
        let t0 = Date()
        let timelines = try await store.timelines(for: ids)
        let t1 = Date()
        var evaluations = await ParallelAnalysis.run(timelines, engine: engine, asOf: asOf)
        // The judgment-outcome family: each case's own judgments; their comparable groups are stored for the lead pass.
        let reviews = Dictionary(uniqueKeysWithValues: await ParallelAnalysis.map(timelines) { ($0.caseID, review.review($0)) })
        for i in evaluations.indices { evaluations[i].findings += reviews[evaluations[i].caseID]?.findings ?? [] }
        let t2 = Date()
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        try await store.replaceSentencingMeasures(caseIDs: ids, measures: ids.flatMap { reviews[$0]?.measures ?? [] })
        // The findings of these cases feed their warnings (one per case and responsible agency), in the same transaction.
        outcome.sync.merge(try await store.sync(evaluations, packVersion: engine.pack.version, now: now, refreshingWarnings: true,
            ownedElsewhere: cohortRules))
        for e in evaluations { outcome.summary.add(e) }
        outcome.loadSeconds += t1.timeIntervalSince(t0)
        outcome.analysisSeconds += t2.timeIntervalSince(t1)
        outcome.storeSeconds += Date().timeIntervalSince(t2)
    }
}

extension StoreAnalysis {
    /// Rules whose findings depend on other cases, synced by ``syncCohortLeads`` rather than with each case.
    static let cohortRules: Set<String> = [SentencingRules.cohortOutlier.id]

    /// The judgment-outcome rules for summaries (their grade is that of the rules each finding used).
    static let sentencingRuleNames = Dictionary(uniqueKeysWithValues: SentencingRules.all.map { ($0.id, (name: $0.name, note: "裁判结果风险")) })

    /// 同案不同判 leads of every case in a changed comparable group (every group on a full run), compared with every
    /// stored judgment of the group; opened, updated or closed for each case that has or had one, with its warnings.
    /// Cases with an open lead are always looked at again, so that a case that left its group has its lead closed.
    static func syncCohortLeads(everyCohort: Bool, store: TianpingStore, engine: RuleEngine, review: SentencingReview,
        into outcome: inout Outcome) async throws
    {
        let dirty = try await store.dirtySentencingCohorts()
        let open = try await store.casesWithOpenFindings(rules: cohortRules)
        guard everyCohort || !dirty.isEmpty || !open.isEmpty else { return }
        let cohorts: Set<String>? = everyCohort ? nil : dirty.union(try await store.sentencingCohorts(ofCases: open))
        let measures = try await store.sentencingMeasures(inCohorts: cohorts)
        var terms: [String: [Double]] = [:]
        for m in measures { terms[m.cohort, default: []].append(m.months) }
        let leads = Dictionary(grouping: review.cohortFindings(measures, SentencingCohorts(terms: terms)), by: \.caseID)
        let cases = Set(leads.keys).union(open).sorted()
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        for start in stride(from: 0, to: cases.count, by: pageSize) {
            let page = cases[start..<min(start + pageSize, cases.count)]
            let evaluations = page.map { CaseEvaluation(caseID: $0, asOf: now, findings: leads[$0] ?? [], clocks: []) }
            var synced = try await store.sync(evaluations, packVersion: engine.pack.version, now: now, refreshingWarnings: true,
                onlyRules: cohortRules)
            synced.cases = 0  // these cases were counted when they were evaluated, or were not evaluated at all
            outcome.sync.merge(synced)
        }
        outcome.summary.add(findings: leads.values.flatMap { $0 })
        try await store.clearDirtySentencingCohorts(dirty)
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
