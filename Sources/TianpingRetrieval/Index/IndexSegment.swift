import Foundation

/// An immutable part of the index: the judgments added together in one batch, written once as one file and read
/// through a memory map (so opening a library of millions of judgments does not read it all into memory).
///
/// File layout (little-endian; all sections 8-byte aligned):
/// ```
/// "TPIS" format(UInt32 = 1) documents(UInt32) terms(UInt32) postingBytes(UInt64) entryBytes(UInt64)
/// lengths   documents × (facts UInt32, other UInt32)
/// keys      terms × UInt64, ascending (see TermEncoder)
/// offsets   (terms + 1) × UInt64 into postings
/// counts    terms × UInt32: documents per term (padded to 8 bytes)
/// postings  per term: per document (ascending) varint(document delta) varint(facts count) varint(other count)
/// entries   JSON array of IndexEntry, one per document in order
/// ```
public struct IndexSegment: Sendable {
    public let documentCount: Int
    public let termCount: Int
    public let entries: [IndexEntry]
    let data: Data
    let lengthsOffset: Int
    let keysOffset: Int
    let offsetsOffset: Int
    let countsOffset: Int
    let postingsOffset: Int
    /// Charges of the segment's judgments, each distinct name once, and each judgment's charges as indices into it.
    let chargeNames: [String]
    let chargeKeys: [ChargeName.Key]
    /// Each document's charges as indices into `chargeNames`, flattened: document d's are
    /// `chargeList[chargeStart[d]..<chargeStart[d + 1]]` (one array, not one per document, so a scan does not retain).
    let chargeList: [Int32]
    let chargeStart: [Int32]
    /// Field lengths of every document (facts, other, facts, other …), read once: every query needs them all.
    let lengthTable: [UInt32]
    public let factLengthTotal: UInt64
    public let otherLengthTotal: UInt64

    static let magic = Data("TPIS".utf8)
    static let headerSize = 32

    public enum ReadError: Error, CustomStringConvertible {
        case notASegment(String)

        public var description: String {
            switch self {
            case .notASegment(let why): "不是天平类案索引段文件：\(why)"
            }
        }
    }

    public init(data: Data) throws {
        guard data.count >= Self.headerSize, data.prefix(4) == Self.magic else { throw ReadError.notASegment("文件头不符") }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) })) }
        func u64(_ at: Int) -> Int { Int(UInt64(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) })) }
        guard u32(4) == 1 else { throw ReadError.notASegment("格式版本 \(u32(4)) 不受支持") }
        documentCount = u32(8)
        termCount = u32(12)
        let postingBytes = u64(16)
        let entryBytes = u64(24)
        lengthsOffset = Self.headerSize
        keysOffset = lengthsOffset + documentCount * 8
        offsetsOffset = keysOffset + termCount * 8
        countsOffset = offsetsOffset + (termCount + 1) * 8
        postingsOffset = countsOffset + (termCount * 4 + 7) / 8 * 8
        let entriesOffset = postingsOffset + (postingBytes + 7) / 8 * 8
        guard entriesOffset + entryBytes == data.count else { throw ReadError.notASegment("长度不符（文件可能被截断）") }
        self.data = data
        entries = try JSONDecoder().decode([IndexEntry].self, from: data.subdata(in: entriesOffset..<(entriesOffset + entryBytes)))
        guard entries.count == documentCount else { throw ReadError.notASegment("条目数与文书数不符") }
        var names: [String] = []
        var positions: [String: Int] = [:]
        var list: [Int32] = []
        var starts: [Int32] = [0]
        for entry in entries {
            for name in entry.charges {
                let index = positions[name] ?? {
                    positions[name] = names.count
                    names.append(name)
                    return names.count - 1
                }()
                list.append(Int32(index))
            }
            starts.append(Int32(list.count))
        }
        chargeNames = names
        chargeKeys = names.map(ChargeName.Key.init)
        chargeList = list
        chargeStart = starts
        let table = (0..<documentCount * 2).map { i in
            UInt32(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: Self.headerSize + i * 4, as: UInt32.self) })
        }
        lengthTable = table
        factLengthTotal = stride(from: 0, to: table.count, by: 2).reduce(0) { $0 + UInt64(table[$1]) }
        otherLengthTotal = stride(from: 1, to: table.count, by: 2).reduce(0) { $0 + UInt64(table[$1]) }
    }

    public init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url, options: .alwaysMapped))
    }

    /// Field lengths of one document, in terms.
    public func lengths(of document: Int) -> (facts: UInt32, other: UInt32) { (lengthTable[2 * document], lengthTable[2 * document + 1]) }

    /// The position of `term` in the dictionary (binary search), or nil.
    func position(of term: UInt64) -> Int? {
        data.withUnsafeBytes { raw in
            var low = 0
            var high = termCount - 1
            while low <= high {
                let middle = (low + high) / 2
                let key = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: keysOffset + middle * 8, as: UInt64.self))
                if key == term { return middle }
                if key < term { low = middle + 1 } else { high = middle - 1 }
            }
            return nil
        }
    }

    /// The term at `position` of the dictionary (ascending).
    func key(at position: Int) -> UInt64 {
        UInt64(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: keysOffset + position * 8, as: UInt64.self) })
    }

    /// How many of this segment's documents contain `term` (withdrawn ones included, as in Lucene).
    public func documentFrequency(of term: UInt64) -> Int {
        position(of: term).map(documentFrequency(at:)) ?? 0
    }

    func documentFrequency(at position: Int) -> Int {
        Int(UInt32(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: countsOffset + position * 4, as: UInt32.self) }))
    }

    /// Calls `body(document, factCount, otherCount)` for each document containing the term at `position`, decoding
    /// from `raw` (this segment's bytes, borrowed once by a caller that reads many terms).
    @inline(__always)
    func forEachPosting(at position: Int, in raw: UnsafeRawBufferPointer, _ body: (Int, UInt32, UInt32) -> Void) {
        let start = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offsetsOffset + position * 8, as: UInt64.self)))
        let end = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offsetsOffset + position * 8 + 8, as: UInt64.self)))
        var cursor = postingsOffset + start
        let limit = postingsOffset + end
        var document = 0
        @inline(__always) func varint() -> UInt32 {
            var value: UInt32 = 0
            var shift: UInt32 = 0
            while true {
                let byte = raw[cursor]
                cursor += 1
                value |= UInt32(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while cursor < limit {
            document += Int(varint())
            let facts = varint()
            let other = varint()
            body(document, facts, other)
        }
    }

    /// Borrows the segment's bytes for a batch of reads.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { data.withUnsafeBytes(body) }
}
