import Crypto

/// A SHA-256 value in the log: a leaf hash, an interior node or a tree head.
///
/// Held inline as four big-endian words, so that building and checking proofs allocates nothing per hash.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    private let w0, w1, w2, w3: UInt64

    private init(words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Wraps 32 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { Self(raw: $0) }
    }

    /// Parses 64 hex characters (either case).
    public init?(hex: String) {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        guard high == nil else { return nil }
        self.init(bytes: out)
    }

    init(_ digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { Self(raw: $0) }
    }

    private init(raw: UnsafeRawBufferPointer) {
        self.init(words: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// Writes the 32 bytes at `offset`.
    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBytes(of: w0.bigEndian, toByteOffset: offset, as: UInt64.self)
        buffer.storeBytes(of: w1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        buffer.storeBytes(of: w2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
        buffer.storeBytes(of: w3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
    }

    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            write(into: UnsafeMutableRawBufferPointer(buffer), at: 0)
            count = 32
        }
    }

    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { out in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { digits in
                for (i, word) in [w0, w1, w2, w3].enumerated() {
                    for nibble in 0..<16 {
                        out[i * 16 + nibble] = digits[Int(truncatingIfNeeded: word >> (60 - 4 * UInt64(nibble))) & 15]
                    }
                }
            }
            return 64
        }
    }

    public var description: String { hex }
}

/// RFC 9162 §2.1.1 hashing: leaves and interior nodes are domain-separated by a one-byte prefix, so that no
/// leaf can be passed off as a node (the second-preimage attack on plain Merkle trees).
public enum MerkleHashing {
    /// The root of the empty tree: SHA-256 of the empty string.
    public static let emptyRoot = TreeHash(SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 || data)`.
    public static func leaf(_ data: some Sequence<UInt8>) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(data))
        return TreeHash(hasher.finalize())
    }

    /// `SHA-256(0x01 || left || right)`, hashed from a buffer on the stack.
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer.storeBytes(of: 0x01, toByteOffset: 0, as: UInt8.self)
            left.write(into: buffer, at: 1)
            right.write(into: buffer, at: 33)
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return TreeHash(hasher.finalize())
        }
    }

    /// The largest power of two strictly less than `n` (n ≥ 2): where RFC 9162 splits a tree of n leaves.
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
