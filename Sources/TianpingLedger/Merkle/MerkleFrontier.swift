/// The right edge of an append-only RFC 9162 tree: the roots of its complete subtrees, largest first. It gives
/// the tree head at the current size in O(log n) memory, for a log that needs heads but no proofs (the access
/// audit log writes a leaf per audited request; keeping every node, as ``MerkleTree`` does, would grow without
/// bound in a long-running server).
///
/// ```swift
/// var frontier = MerkleFrontier()
/// frontier.append(MerkleHashing.leaf(Array("一条审计记录".utf8)))
/// let head = frontier.root   // equals MerkleTree's root(size: 1)
/// ```
public struct MerkleFrontier: Sendable {
    /// (height, hash) of each complete subtree, heights strictly decreasing.
    private var subtrees: [(height: Int, hash: TreeHash)] = []
    public private(set) var size = 0

    public init() {}

    /// Resumes a frontier saved as ``hashes`` at `size`: one hash per set bit of `size`, largest subtree first.
    /// A caller that trusts it must check ``root`` against a signed head of that size (the hashes determine the
    /// head, so a frontier that reproduces a signed head is the signed tree's).
    public init(size: Int, hashes: [TreeHash]) throws {
        guard size >= 0, hashes.count == size.nonzeroBitCount else {
            throw LedgerError.malformed("树大小 \(size) 的右边界应有 \(max(0, size).nonzeroBitCount) 个子树哈希，实有 \(hashes.count) 个")
        }
        let heights = (0..<Int.bitWidth).reversed().filter { size >> $0 & 1 == 1 }
        subtrees = zip(heights, hashes).map { ($0, $1) }
        self.size = size
    }

    /// The complete subtrees' hashes, largest first: what ``init(size:hashes:)`` takes back.
    public var hashes: [TreeHash] { subtrees.map(\.hash) }

    /// Appends a leaf hash: like a binary counter, two complete subtrees of one height merge into one a level up.
    public mutating func append(_ leafHash: TreeHash) {
        subtrees.append((0, leafHash))
        size += 1
        while subtrees.count >= 2, subtrees[subtrees.count - 1].height == subtrees[subtrees.count - 2].height {
            let right = subtrees.removeLast()
            let left = subtrees.removeLast()
            subtrees.append((left.height + 1, MerkleHashing.node(left.hash, right.hash)))
        }
    }

    /// `MTH(D[0:size])`: RFC 9162 splits at the largest power of two below n, which is the first complete
    /// subtree; folding from the right therefore rebuilds the same head.
    public var root: TreeHash {
        guard var head = subtrees.last?.hash else { return MerkleHashing.emptyRoot }
        for s in subtrees.dropLast().reversed() { head = MerkleHashing.node(s.hash, head) }
        return head
    }
}
