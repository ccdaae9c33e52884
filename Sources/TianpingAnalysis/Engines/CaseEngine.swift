import TianpingCore
import TianpingRules

/// A risk engine that reads one case at a time: the one protocol a new engine implements to join the pipeline.
///
/// The pipeline gives each engine every case it evaluates, adds the findings it returns to the case's evaluation,
/// reconciles them with the stored ones (opened, updated, resolved when later data cures them) and aggregates them
/// into warnings — and the engine's ``rules`` join the platform's ``RuleCatalogue``, so its findings are filtered,
/// named and cited like every other family's. An engine is a pure function of the timeline and the moment: the
/// same inputs give the same findings with the same ids (``Finding/key(rule:caseID:anchor:)``).
///
/// ```swift
/// struct NightArrests: CaseEngine {
///     let rules = [CatalogueEntry(id: "X-NIGHT", name: "夜间执行逮捕", …)]
///     func findings(in timeline: CaseTimeline, asOf: Timestamp) -> [Finding] { … }
/// }
/// let pipeline = try AnalysisPipeline.standard(engines: [NightArrests()])
/// ```
public protocol CaseEngine: Sendable {
    /// Every rule the engine can raise a finding of, registered in the platform catalogue.
    var rules: [CatalogueEntry] { get }

    /// The findings of one case as it stood at `asOf`.
    func findings(in timeline: CaseTimeline, asOf: Timestamp) -> [Finding]
}
