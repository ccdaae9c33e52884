import Foundation
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore

/// Runs the engine over a database and stores what it finds: a full pass, or only the cases that ingest queued.
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
            // First every judgment's comparable group and term, so that each case is compared with the whole store.
            var next: String?
            while true {
                let ids = try await store.caseIDs(after: next, limit: pageSize)
                guard let last = ids.last else { break }
                next = last
                try await measureSentences(ids, store: store, review: review)
            }
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
            outcome.sync.merge(try await syncCohortLeads(cohorts: nil, alsoCases: [], store: store, engine: engine, review: review))
            if showProgress { bar.finish() }
            try await store.close()
            return outcome
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Evaluates the cases whose records changed since their last evaluation (queued by ingest).
    static func processQueue(store: TianpingStore, engine: RuleEngine, asOf: Timestamp) async throws -> Outcome {
        var outcome = Outcome(summary: FindingSummary(), sync: FindingSyncSummary(), loadSeconds: 0, analysisSeconds: 0, storeSeconds: 0)
        let review = try SentencingReview(graph: .bundled())
        var next: String?
        var queued = Set<String>()
        var touched = Set<String>()
        while true {
            let ids = try await store.queuedCaseIDs(after: next, limit: pageSize)
            guard let last = ids.last else { break }
            next = last
            queued.formUnion(ids)
            touched.formUnion(try await measureSentences(ids, store: store, review: review))
        }
        while true {
            let ids = try await store.queuedCaseIDs(limit: pageSize)
            if ids.isEmpty { break }
            try await evaluate(ids, store: store, engine: engine, review: review, asOf: asOf, into: &outcome)
        }
        // Leads of every case in a cohort these cases joined or left, not only of the cases themselves.
        if !touched.isEmpty || !queued.isEmpty {
            outcome.sync.merge(try await syncCohortLeads(cohorts: touched, alsoCases: queued, store: store, engine: engine, review: review))
        }
        return outcome
    }

    private static func evaluate(_ ids: [String], store: TianpingStore, engine: RuleEngine, review: SentencingReview, asOf: Timestamp,
        into outcome: inout Outcome) async throws
    {
        let t0 = Date()
        let timelines = try await store.timelines(for: ids)
        let t1 = Date()
        var evaluations = await ParallelAnalysis.run(timelines, engine: engine, asOf: asOf)
        // The judgment-outcome family: each case's own judgments (its 同案不同判 leads come from the cohort pass).
        let reviewed = Dictionary(uniqueKeysWithValues: await ParallelAnalysis.map(timelines) { ($0.caseID, review.review($0).findings) })
        for i in evaluations.indices { evaluations[i].findings += reviewed[evaluations[i].caseID] ?? [] }
        let t2 = Date()
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
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

    /// Stores the comparable group and term of each effective judgment of these cases, reading their judgments only,
    /// and returns the cohorts that changed.
    @discardableResult
    static func measureSentences(_ ids: [String], store: TianpingStore, review: SentencingReview) async throws -> Set<String> {
        let judgments = try await store.judgments(for: ids)
        let judged = ids.compactMap { id in judgments[id].map { CaseTimeline(caseID: id, caseRecord: nil, events: [], judgments: $0) } }
        let measures = await ParallelAnalysis.map(judged) { review.review($0).measures }.flatMap { $0 }
        return try await store.replaceSentencingMeasures(caseIDs: ids, measures: measures)
    }

    /// 同案不同判 leads of every case in these cohorts (all cohorts when `nil`), compared with every stored judgment of
    /// their group; opened, updated or closed for each case that has or had one, with its warnings.
    static func syncCohortLeads(cohorts: Set<String>?, alsoCases: Set<String>, store: TianpingStore, engine: RuleEngine,
        review: SentencingReview) async throws -> FindingSyncSummary
    {
        let measures = try await store.sentencingMeasures(inCohorts: cohorts)
        var terms: [String: [Double]] = [:]
        for m in measures { terms[m.cohort, default: []].append(m.months) }
        let leads = Dictionary(grouping: review.cohortFindings(measures, SentencingCohorts(terms: terms)), by: \.caseID)
        let open = try await store.casesWithOpenFindings(rules: cohortRules)
        let candidates = cohorts == nil ? open : open.intersection(Set(measures.map(\.caseID)).union(alsoCases))
        let cases = Set(leads.keys).union(candidates).sorted()
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        var summary = FindingSyncSummary()
        for start in stride(from: 0, to: cases.count, by: pageSize) {
            let page = cases[start..<min(start + pageSize, cases.count)]
            let evaluations = page.map { CaseEvaluation(caseID: $0, asOf: now, findings: leads[$0] ?? [], clocks: []) }
            summary.merge(try await store.sync(evaluations, packVersion: engine.pack.version, now: now, refreshingWarnings: true,
                onlyRules: cohortRules))
        }
        return summary
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
