import TianpingRules
import TianpingStore

/// What one pass of the pipeline over stored cases did: the findings' summary, what was stored, and where the time went.
public struct AnalysisOutcome: Sendable, Encodable {
    public var summary = FindingSummary()
    public var sync = FindingSyncSummary()
    public var loadSeconds = 0.0
    public var analysisSeconds = 0.0
    public var storeSeconds = 0.0

    public init() {}
}
