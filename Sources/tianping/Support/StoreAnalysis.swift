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
        while true {
            let ids = try await store.queuedCaseIDs(after: next, limit: pageSize)
            guard let last = ids.last else { break }
            next = last
            try await measureSentences(ids, store: store, review: review)
        }
        while true {
            let ids = try await store.queuedCaseIDs(limit: pageSize)
            if ids.isEmpty { break }
            try await evaluate(ids, store: store, engine: engine, review: review, asOf: asOf, into: &outcome)
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
        // The judgment-outcome family: each case's own judgments, and its measures against every stored comparable one
        // (written by ``measureSentences`` before the pass began).
        let reviews = timelines.map { review.review($0) }
        let measures = reviews.flatMap(\.measures)
        let cohorts = SentencingCohorts(histograms: try await store.sentencingCohortHistograms(Set(measures.map(\.cohort))))
        let outliers = Dictionary(grouping: review.cohortFindings(measures, cohorts), by: \.caseID)
        for i in evaluations.indices {
            evaluations[i].findings += reviews[i].findings + (outliers[evaluations[i].caseID] ?? [])
        }
        let t2 = Date()
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        // The findings of these cases feed their warnings (one per case and responsible agency), in the same transaction.
        outcome.sync.merge(try await store.sync(evaluations, packVersion: engine.pack.version, now: now, refreshingWarnings: true))
        for e in evaluations { outcome.summary.add(e) }
        outcome.loadSeconds += t1.timeIntervalSince(t0)
        outcome.analysisSeconds += t2.timeIntervalSince(t1)
        outcome.storeSeconds += Date().timeIntervalSince(t2)
    }
}

extension StoreAnalysis {
    /// Stores the comparable group and term of each effective judgment of these cases, reading their judgments only.
    static func measureSentences(_ ids: [String], store: TianpingStore, review: SentencingReview) async throws {
        let judgments = try await store.judgments(for: ids)
        let measures = ids.flatMap { id in
            review.review(CaseTimeline(caseID: id, caseRecord: nil, events: [], judgments: judgments[id] ?? [])).measures
        }
        try await store.replaceSentencingMeasures(caseIDs: ids, measures: measures.map {
            TianpingStore.SentencingMeasureRow(caseID: $0.caseID, defendant: $0.defendant, cohort: $0.cohort, months: $0.months)
        })
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
