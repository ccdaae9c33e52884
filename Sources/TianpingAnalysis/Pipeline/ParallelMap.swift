import Foundation

/// Per-item work on every core, results in input order: how the pipeline evaluates a page of cases.
enum ParallelMap {
    static func map<Item: Sendable, Result: Sendable>(_ items: [Item], _ work: @escaping @Sendable (Item) -> Result) async -> [Result] {
        // Many more chunks than cores, so that a slow chunk does not leave a core idle at the end.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount) * 8
        let chunk = (items.count + workers - 1) / max(workers, 1)
        guard chunk > 0 else { return [] }
        return await withTaskGroup(of: (Int, [Result]).self) { group in
            for (index, start) in stride(from: 0, to: items.count, by: chunk).enumerated() {
                let slice = items[start..<min(start + chunk, items.count)]
                group.addTask { (index, slice.map(work)) }
            }
            var parts: [(Int, [Result])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
