/// An append-only Merkle tree (RFC 9162 §2.1) that keeps every complete subtree's hash, so that the head of
/// any earlier size, and inclusion and consistency proofs between any sizes, come from stored nodes without
/// rehashing leaves.
///
/// `levels[0]` holds the leaf hashes; `levels[h][i]` is the hash of leaves `i·2^h ..< (i+1)·2^h`. Appending
/// one leaf costs one leaf hash plus one node hash per completed subtree (two on average).
///
/// ```swift
/// var tree = MerkleTree()
/// tree.append(MerkleHashing.leaf(Array("受案登记".utf8)))
/// let proof = try tree.inclusionProof(leaf: 0, size: tree.size)
/// ```
public struct MerkleTree: Sendable {
    private(set) var levels: [[TreeHash]] = [[]]

    public init() {}

    /// Builds a tree over existing leaf hashes (a node restarting from its stored leaves).
    public init(leafHashes: [TreeHash]) {
        levels[0].reserveCapacity(leafHashes.count)
        for h in leafHashes { append(h) }
    }

    public var size: Int { levels[0].count }

    public func leafHash(_ index: Int) -> TreeHash { levels[0][index] }

    /// Appends a leaf hash; returns its index.
    @discardableResult
    public mutating func append(_ leafHash: TreeHash) -> Int {
        let index = levels[0].count
        levels[0].append(leafHash)
        var height = 0
        var position = index
        // Each time the new node closes a pair, the pair's parent becomes a complete subtree one level up.
        while position & 1 == 1 {
            let parent = MerkleHashing.node(levels[height][position - 1], levels[height][position])
            height += 1
            if levels.count == height { levels.append([]) }
            levels[height].append(parent)
            position >>= 1
        }
        return index
    }

    /// The tree head for the first `size` leaves (`MTH(D[0:size])`).
    public func root(size: Int? = nil) throws -> TreeHash {
        let n = size ?? self.size
        guard n >= 0, n <= self.size else { throw LedgerError.sizeOutOfRange(n, self.size) }
        return n == 0 ? MerkleHashing.emptyRoot : hash(0, n)
    }

    /// `MTH(D[start:end])`, from stored complete subtrees where the range is one.
    func hash(_ start: Int, _ end: Int) -> TreeHash {
        let count = end - start
        if count & (count - 1) == 0, start % count == 0 {
            let height = count.trailingZeroBitCount
            return levels[height][start >> height]
        }
        let k = MerkleHashing.split(count)
        return MerkleHashing.node(hash(start, start + k), hash(start + k, end))
    }

    /// RFC 9162 §2.1.3.1: the audit path of leaf `leaf` in the tree of the first `size` leaves.
    public func inclusionProof(leaf: Int, size: Int) throws -> [TreeHash] {
        guard size >= 1, size <= self.size else { throw LedgerError.sizeOutOfRange(size, self.size) }
        guard leaf >= 0, leaf < size else { throw LedgerError.leafOutOfRange(leaf, size) }
        var proof: [TreeHash] = []
        path(leaf, 0, size, &proof)
        return proof
    }

    private func path(_ m: Int, _ start: Int, _ end: Int, _ proof: inout [TreeHash]) {
        let n = end - start
        guard n > 1 else { return }
        let k = MerkleHashing.split(n)
        if m < k {
            path(m, start, start + k, &proof)
            proof.append(hash(start + k, end))
        } else {
            path(m - k, start + k, end, &proof)
            proof.append(hash(start, start + k))
        }
    }

    /// RFC 9162 §2.1.4.1: the proof that the tree of `from` leaves is a prefix of the tree of `to` leaves.
    public func consistencyProof(from: Int, to: Int) throws -> [TreeHash] {
        guard to <= size else { throw LedgerError.sizeOutOfRange(to, size) }
        guard from >= 1, from <= to else { throw LedgerError.sizeOutOfRange(from, to) }
        var proof: [TreeHash] = []
        subproof(from, 0, to, true, &proof)
        return proof
    }

    private func subproof(_ m: Int, _ start: Int, _ end: Int, _ complete: Bool, _ proof: inout [TreeHash]) {
        let n = end - start
        if m == n {
            if !complete { proof.append(hash(start, end)) }
            return
        }
        let k = MerkleHashing.split(n)
        if m <= k {
            subproof(m, start, start + k, complete, &proof)
            proof.append(hash(start + k, end))
        } else {
            subproof(m - k, start + k, end, false, &proof)
            proof.append(hash(start, start + k))
        }
    }
}

/// Why a ledger operation was refused.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case sizeOutOfRange(Int, Int)
    case leafOutOfRange(Int, Int)
    case malformed(String)

    public var description: String {
        switch self {
        case .sizeOutOfRange(let n, let max): return "树大小 \(n) 超出范围（当前 \(max)）"
        case .leafOutOfRange(let i, let n): return "叶子序号 \(i) 超出树大小 \(n)"
        case .malformed(let what): return "格式错误：\(what)"
        }
    }
}
