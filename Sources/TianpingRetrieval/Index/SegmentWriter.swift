import Foundation

/// Collects judgments in memory and writes them as one ``IndexSegment`` file (see its layout).
public struct SegmentWriter: Sendable {
    private var entries: [IndexEntry] = []
    private var lengths: [UInt32] = []
    /// For each term its slot in `lists`, which holds the postings as (document, facts count, other count) triples.
    private var slots: [UInt64: Int] = [:]
    private var lists: [[UInt32]] = []

    public init() {}

    public var count: Int { entries.count }

    public mutating func add(_ judgment: IndexedJudgment) {
        let document = UInt32(entries.count)
        entries.append(judgment.entry)
        lengths.append(judgment.factLength)
        lengths.append(judgment.otherLength)
        for (term, facts) in judgment.factTerms { append(term, document, facts, judgment.otherTerms[term] ?? 0) }
        for (term, other) in judgment.otherTerms where judgment.factTerms[term] == nil { append(term, document, 0, other) }
    }

    private mutating func append(_ term: UInt64, _ document: UInt32, _ facts: UInt32, _ other: UInt32) {
        let slot: Int
        if let known = slots[term] {
            slot = known
        } else {
            slot = lists.count
            slots[term] = slot
            lists.append([])
        }
        lists[slot].append(document)
        lists[slot].append(facts)
        lists[slot].append(other)
    }

    /// The segment's bytes: deterministic for the same judgments added in the same order.
    public func encoded() throws -> Data {
        let keys = slots.keys.sorted()
        var postingBytes: [UInt8] = []
        var offsets: [UInt64] = [0]
        var counts: [UInt32] = []
        offsets.reserveCapacity(keys.count + 1)
        for key in keys {
            let triples = lists[slots[key]!]
            var previous: UInt32 = 0
            var index = 0
            while index < triples.count {
                Self.appendVarint(triples[index] - previous, to: &postingBytes)
                Self.appendVarint(triples[index + 1], to: &postingBytes)
                Self.appendVarint(triples[index + 2], to: &postingBytes)
                previous = triples[index]
                index += 3
            }
            offsets.append(UInt64(postingBytes.count))
            counts.append(UInt32(triples.count / 3))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let entryData = try encoder.encode(entries)
        var data = Data()
        data.append(IndexSegment.magic)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func pad() { while data.count % 8 != 0 { data.append(0) } }
        append(UInt32(1))
        append(UInt32(entries.count))
        append(UInt32(keys.count))
        append(UInt64(postingBytes.count))
        append(UInt64(entryData.count))
        lengths.forEach { append($0) }
        keys.forEach { append($0) }
        offsets.forEach { append($0) }
        counts.forEach { append($0) }
        pad()
        data.append(contentsOf: postingBytes)
        pad()
        data.append(entryData)
        return data
    }

    static func appendVarint(_ value: UInt32, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
