import Foundation
import TianpingCore
import TianpingRules

/// Runs the engine over many timelines on every core, keeping results in input order.
enum ParallelAnalysis {
    static func run(_ timelines: [CaseTimeline], engine: RuleEngine, asOf: Timestamp) async -> [CaseEvaluation] {
        // Many more chunks than cores, so that a slow chunk does not leave a core idle at the end.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount) * 8
        let chunk = (timelines.count + workers - 1) / max(workers, 1)
        guard chunk > 0 else { return [] }
        return await withTaskGroup(of: (Int, [CaseEvaluation]).self) { group in
            for (index, start) in stride(from: 0, to: timelines.count, by: chunk).enumerated() {
                let slice = timelines[start..<min(start + chunk, timelines.count)]
                group.addTask { (index, slice.map { engine.evaluate($0, asOf: asOf) }) }
            }
            var parts: [(Int, [CaseEvaluation])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
