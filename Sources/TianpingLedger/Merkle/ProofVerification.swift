/// Checks proofs with nothing but hashes: what any party holding a checkpoint does offline (RFC 9162 §2.1.3.2,
/// §2.1.4.2). These functions never consult a tree.
public enum ProofVerification {
    /// Whether `proof` shows that `leafHash` is leaf `index` of the tree of `size` leaves with head `root`.
    public static func verifyInclusion(leafHash: TreeHash, index: Int, size: Int, proof: [TreeHash], root: TreeHash)
        -> Bool
    {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHashing.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHashing.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows that the tree of `from` leaves with head `fromRoot` is a prefix of the tree of
    /// `to` leaves with head `toRoot` — the append-only property a witness checks before cosigning.
    public static func verifyConsistency(from: Int, to: Int, fromRoot: TreeHash, toRoot: TreeHash, proof: [TreeHash])
        -> Bool
    {
        guard from >= 1, from <= to else { return false }
        if from == to { return proof.isEmpty && fromRoot == toRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        // A power-of-two first tree is a complete subtree of the second: its head starts the path.
        if from & (from - 1) == 0 { path.insert(fromRoot, at: 0) }
        var fn = from - 1
        var sn = to - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHashing.node(c, fr)
                sr = MerkleHashing.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHashing.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == fromRoot && sr == toRoot && sn == 0
    }
}
