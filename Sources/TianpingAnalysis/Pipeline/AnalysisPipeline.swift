import Foundation
import TianpingCore
import TianpingExecution
import TianpingRules
import TianpingSentencing

/// The one path from case timelines to findings that every front end and test takes: the procedural engine, the
/// sentencing review, and each further ``CaseEngine``, joined into one evaluation per case.
///
/// In memory (``evaluate(_:asOf:)``: `analyze --data`, `evaluate`, benchmarks) it only evaluates; over a store
/// (``run(store:asOf:progress:)``, ``processQueue(store:asOf:)``) it also reconciles findings, re-aggregates warnings
/// in the same transaction, stores the judgments' comparable groups and raises the 同案不同判 leads that compare cases.
///
/// ```swift
/// let pipeline = try AnalysisPipeline.standard()
/// let outcome = try await pipeline.processQueue(store: store, asOf: .now())
/// ```
public struct AnalysisPipeline: Sendable {
    /// The procedure pack's engine: findings and the running clocks of open stages.
    public let procedure: RuleEngine
    /// The judgment-outcome review; `nil` leaves judgments unreviewed (tests of the procedure pack alone).
    public let sentencing: SentencingReview?
    /// Every further engine, in the order their findings are added.
    public let engines: [any CaseEngine]
    /// Every rule of every engine above, for pages, APIs and summaries.
    public let catalogue: RuleCatalogue
    /// When stored findings and warnings change (their history's time); the moment evaluated is each call's `asOf`.
    public let clock: any PlatformClock

    public init(procedure: RuleEngine, sentencing: SentencingReview?, engines: [any CaseEngine] = [],
        clock: any PlatformClock = SystemClock())
    {
        self.procedure = procedure
        self.sentencing = sentencing
        self.engines = engines
        self.clock = clock
        catalogue = sentencing == nil
            ? RuleCatalogue(pack: procedure.pack, families: engines.map(\.rules))
            : RuleCatalogue.platform(pack: procedure.pack, more: engines.map(\.rules))
    }

    /// The bundled rule pack, holiday calendar, sentencing graph and commutation rules, with any further engines.
    public static func standard(procedure: RuleEngine? = nil, engines: [any CaseEngine] = [],
        clock: any PlatformClock = SystemClock()) throws -> AnalysisPipeline
    {
        let rules = try procedure ?? RuleEngine(pack: .bundled(), calendar: .bundled())
        let commutation = CommutationReview(calculator: CommutationCalculator(rules: try .bundled()))
        return AnalysisPipeline(procedure: rules, sentencing: try SentencingReview(graph: .bundled()), engines: [commutation] + engines, clock: clock)
    }

    /// One case through every engine: the procedure pack's findings and clocks, then each other engine's findings.
    /// The sentencing review's findings are not included here: they come with its comparable groups from
    /// ``review(_:)``, which the store passes need together.
    public func evaluate(_ timeline: CaseTimeline, asOf: Timestamp) -> CaseEvaluation {
        var evaluation = procedure.evaluate(timeline, asOf: asOf)
        for engine in engines { evaluation.findings += engine.findings(in: timeline, asOf: asOf) }
        return evaluation
    }

    /// Many cases on every core, in input order, without the sentencing review (its findings are per judgment and
    /// the exchange files of a benchmark or `analyze --data` are read for the procedure and the added engines).
    public func evaluate(_ timelines: [CaseTimeline], asOf: Timestamp) async -> [CaseEvaluation] {
        await ParallelMap.map(timelines) { evaluate($0, asOf: asOf) }
    }
}
