import Foundation

/// One judgment as the index holds it: term counts of its two fields and the elements used to filter and rank.
/// Made once from a judgment and its reading (``init(_:reading:)``); the text itself stays in the library.
public struct IndexedJudgment: Sendable {
    public var entry: IndexEntry
    /// Term counts of the facts the court found.
    public var factTerms: [UInt64: UInt32]
    /// Term counts of the rest of the text (heading, prosecution's account, reasoning, decision).
    public var otherTerms: [UInt64: UInt32]
    public var factLength: UInt32
    public var otherLength: UInt32

    public init(_ judgment: LibraryJudgment, reading: JudgmentReading) {
        entry = IndexEntry(id: judgment.id, version: judgment.version, charges: reading.charges, articles: reading.articles,
            courtLevel: reading.courtLevel, province: reading.province, year: reading.year)
        var facts: [UInt64: UInt32] = [:]
        var other: [UInt64: UInt32] = [:]
        var factCount: UInt32 = 0
        var otherCount: UInt32 = 0
        let start = reading.facts.first ?? 0
        let end = reading.facts.last ?? 0
        TermEncoder.scan(judgment.text) { term, offset in
            if offset >= start && offset < end {
                facts[term, default: 0] += 1
                factCount += 1
            } else {
                other[term, default: 0] += 1
                otherCount += 1
            }
        }
        factTerms = facts
        otherTerms = other
        factLength = factCount
        otherLength = otherCount
    }
}

/// What the index keeps of a judgment besides its terms: identity and the elements that filter and rank.
public struct IndexEntry: Sendable, Codable, Hashable {
    public var id: String
    public var version: Int
    public var charges: [String]
    public var articles: [Int]
    public var courtLevel: CourtLevel?
    public var province: String?
    public var year: Int?
}

extension IndexedJudgment {
    /// Reads and prepares many judgments on every core (reading is most of the cost of indexing), in input order.
    public static func prepare(_ judgments: [LibraryJudgment]) async -> [(reading: JudgmentReading, indexed: IndexedJudgment)] {
        await concurrentMap(judgments) { judgment in
            let reading = JudgmentReading(judgment)
            return (reading, IndexedJudgment(judgment, reading: reading))
        }
    }
}

extension JudgmentReading {
    /// Reads many judgments on every core, in input order (what the library stores; the index is built later).
    public static func readAll(_ judgments: [LibraryJudgment]) async -> [JudgmentReading] {
        await concurrentMap(judgments, JudgmentReading.init)
    }
}

/// `transform` over `items` in one chunk per core, results in input order.
public func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let size = max(1, (items.count + workers - 1) / workers)
    return await withTaskGroup(of: (Int, [R]).self) { group in
        for start in stride(from: 0, to: items.count, by: size) {
            let chunk = Array(items[start..<min(start + size, items.count)])
            group.addTask { (start, chunk.map(transform)) }
        }
        var parts: [(Int, [R])] = []
        for await part in group { parts.append(part) }
        return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}
