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
        return try Self.layout(entries: entries, lengths: lengths, keys: keys, offsets: offsets, counts: counts, postingBytes: postingBytes)
    }

    /// Writes the sections in the file layout of ``IndexSegment``.
    static func layout(entries: [IndexEntry], lengths: [UInt32], keys: [UInt64], offsets: [UInt64], counts: [UInt32], postingBytes: [UInt8])
        throws -> Data
    {
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

    /// One segment holding the live documents of `parts`, in their order, with their postings copied term by term
    /// (nothing is read again): how small segments become one and how removed documents leave the files.
    public static func merged(_ parts: [(segment: IndexSegment, removed: Set<Int>)]) throws -> Data {
        var entries: [IndexEntry] = []
        var lengths: [UInt32] = []
        var renumbered: [[Int]] = []
        for (segment, removed) in parts {
            var map = [Int](repeating: -1, count: segment.documentCount)
            for d in 0..<segment.documentCount where !removed.contains(d) {
                map[d] = entries.count
                entries.append(segment.entries[d])
                let l = segment.lengths(of: d)
                lengths.append(l.facts)
                lengths.append(l.other)
            }
            renumbered.append(map)
        }
        // Every term of every part, ascending; each part's dictionary is walked with its own cursor.
        var cursors = [Int](repeating: 0, count: parts.count)
        var keys: [UInt64] = []
        var offsets: [UInt64] = [0]
        var counts: [UInt32] = []
        var postingBytes: [UInt8] = []
        while true {
            var next: UInt64?
            for (i, part) in parts.enumerated() where cursors[i] < part.segment.termCount {
                let key = part.segment.key(at: cursors[i])
                if next == nil || key < next! { next = key }
            }
            guard let term = next else { break }
            var previous = 0
            var count: UInt32 = 0
            for (i, part) in parts.enumerated() where cursors[i] < part.segment.termCount && part.segment.key(at: cursors[i]) == term {
                let map = renumbered[i]
                part.segment.withBytes { raw in
                    part.segment.forEachPosting(at: cursors[i], in: raw) { d, facts, other in
                        let document = map[d]
                        guard document >= 0 else { return }
                        appendVarint(UInt32(document - previous), to: &postingBytes)
                        appendVarint(facts, to: &postingBytes)
                        appendVarint(other, to: &postingBytes)
                        previous = document
                        count += 1
                    }
                }
                cursors[i] += 1
            }
            // A term only removed documents held leaves the dictionary.
            guard count > 0 else { continue }
            keys.append(term)
            counts.append(count)
            offsets.append(UInt64(postingBytes.count))
        }
        return try layout(entries: entries, lengths: lengths, keys: keys, offsets: offsets, counts: counts, postingBytes: postingBytes)
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
