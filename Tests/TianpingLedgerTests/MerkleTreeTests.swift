import Foundation
import Testing
import TianpingLedger

/// The leaf inputs and tree heads published with the RFC 6962 reference implementation (Certificate Transparency).
enum ReferenceVectors {
    static let leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { i in
            let s = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[s..<hex.index(s, offsetBy: 2)], radix: 16)!
        }
    }

    static var tree: MerkleTree { MerkleTree(leafHashes: leaves.map { MerkleHashing.leaf(bytes($0)) }) }
}

@Suite("RFC 9162 Merkle tree")
struct MerkleTreeTests {
    @Test("tree heads of sizes 0–8 equal the published RFC 6962 values")
    func referenceRoots() throws {
        let tree = ReferenceVectors.tree
        for size in 0...8 {
            #expect(try tree.root(size: size).hex == ReferenceVectors.roots[size], "size \(size)")
        }
    }

    @Test("inclusion and consistency proofs equal the published ones", arguments: [
        ("inclusion", 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        ("inclusion", 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        ("inclusion", 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        ("consistency", 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        ("consistency", 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        ("consistency", 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    ])
    func referenceProofs(kind: String, a: Int, b: Int, expected: [String]) throws {
        let tree = ReferenceVectors.tree
        let proof = kind == "inclusion" ? try tree.inclusionProof(leaf: a, size: b) : try tree.consistencyProof(from: a, to: b)
        #expect(proof.map(\.hex) == expected)
        if kind == "inclusion" {
            #expect(ProofVerification.verifyInclusion(leafHash: tree.leafHash(a), index: a, size: b, proof: proof,
                root: try tree.root(size: b)))
        } else {
            #expect(ProofVerification.verifyConsistency(from: a, to: b, fromRoot: try tree.root(size: a),
                toRoot: try tree.root(size: b), proof: proof))
        }
    }

    /// Flips one bit of one hash.
    static func flipped(_ h: TreeHash, bit: Int) -> TreeHash {
        var bytes = h.bytes
        bytes[bit / 8] ^= UInt8(1 << (bit % 8))
        return TreeHash(bytes: bytes)!
    }

    @Test("for random sizes every proof verifies, and any single-bit change to a leaf, a proof or a head fails")
    func properties() throws {
        var rng = SystemRandomNumberGenerator()
        var tree = MerkleTree()
        for i in 0..<300 { tree.append(MerkleHashing.leaf(Array("记录\(i)".utf8))) }
        for _ in 0..<60 {
            let size = Int.random(in: 1...300, using: &rng)
            let root = try tree.root(size: size)
            let index = Int.random(in: 0..<size, using: &rng)
            let proof = try tree.inclusionProof(leaf: index, size: size)
            let leaf = tree.leafHash(index)
            #expect(ProofVerification.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
            let bit = Int.random(in: 0..<256, using: &rng)
            #expect(!ProofVerification.verifyInclusion(leafHash: Self.flipped(leaf, bit: bit), index: index, size: size, proof: proof, root: root))
            #expect(!ProofVerification.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: Self.flipped(root, bit: bit)))
            if !proof.isEmpty {
                var bad = proof
                let j = Int.random(in: 0..<bad.count, using: &rng)
                bad[j] = Self.flipped(bad[j], bit: bit)
                #expect(!ProofVerification.verifyInclusion(leafHash: leaf, index: index, size: size, proof: bad, root: root))
            }
            if size > 1 {
                #expect(!ProofVerification.verifyInclusion(leafHash: leaf, index: (index + 1) % size, size: size, proof: proof, root: root))
            }

            let from = Int.random(in: 1...size, using: &rng)
            let consistency = try tree.consistencyProof(from: from, to: size)
            let fromRoot = try tree.root(size: from)
            #expect(ProofVerification.verifyConsistency(from: from, to: size, fromRoot: fromRoot, toRoot: root, proof: consistency))
            #expect(!ProofVerification.verifyConsistency(from: from, to: size, fromRoot: Self.flipped(fromRoot, bit: bit), toRoot: root, proof: consistency))
            #expect(!ProofVerification.verifyConsistency(from: from, to: size, fromRoot: fromRoot, toRoot: Self.flipped(root, bit: bit), proof: consistency))
            if !consistency.isEmpty {
                var bad = consistency
                let j = Int.random(in: 0..<bad.count, using: &rng)
                bad[j] = Self.flipped(bad[j], bit: bit)
                #expect(!ProofVerification.verifyConsistency(from: from, to: size, fromRoot: fromRoot, toRoot: root, proof: bad))
            }
        }
    }

    @Test("out-of-range sizes and leaves are refused")
    func ranges() {
        let tree = ReferenceVectors.tree
        #expect(throws: LedgerError.self) { try tree.root(size: 9) }
        #expect(throws: LedgerError.self) { try tree.inclusionProof(leaf: 8, size: 8) }
        #expect(throws: LedgerError.self) { try tree.consistencyProof(from: 0, to: 8) }
        #expect(throws: LedgerError.self) { try tree.consistencyProof(from: 5, to: 4) }
    }

    @Test("an independent Python implementation of RFC 9162 agrees on every head and proof of a 40-leaf log")
    func pythonCrossCheck() throws {
        var tree = MerkleTree()
        var leaves: [String] = []
        for i in 0..<40 {
            let data = Array("卷宗\(i)".utf8)
            leaves.append(data.map { String(format: "%02x", $0) }.joined())
            tree.append(MerkleHashing.leaf(data))
        }
        var roots: [String: String] = [:]
        var inclusion: [[String: Any]] = []
        var consistency: [[String: Any]] = []
        for size in 1...40 {
            roots[String(size)] = try tree.root(size: size).hex
            for index in 0..<size {
                inclusion.append(["index": index, "size": size, "proof": try tree.inclusionProof(leaf: index, size: size).map(\.hex)])
            }
            for from in 1...size {
                consistency.append(["from": from, "to": size, "proof": try tree.consistencyProof(from: from, to: size).map(\.hex)])
            }
        }
        let doc: [String: Any] = ["leaves": leaves, "roots": roots, "inclusion": inclusion, "consistency": consistency]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("merkle-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/merkle_check.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("checked \(40 + 820 + 820) values, 0 differ"))
    }
}

@Suite("Signed checkpoints")
struct CheckpointTests {
    @Test("a checkpoint signed by the log verifies with its public key and with nothing else")
    func signAndVerify() throws {
        let signer = try NoteSigner(name: "tianping.example/黔/卷宗")
        let tree = ReferenceVectors.tree
        let checkpoint = Checkpoint(origin: "tianping.example/黔/卷宗", size: 8, root: try tree.root())
        #expect(checkpoint.text == "tianping.example/黔/卷宗\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n")
        let note = try signer.sign(checkpoint.text)
        let verifier = try NoteVerifier(encoded: signer.verifier.encoded)
        #expect(try Checkpoint(text: try verifier.verify(note)) == checkpoint)

        // Keys survive their text forms, whatever characters their base64 holds ("+" among them).
        for _ in 0..<50 {
            let key = try NoteSigner(name: "log")
            #expect(try NoteSigner(encoded: key.encoded).verifier == key.verifier)
            #expect(try NoteVerifier(encoded: key.verifier.encoded) == key.verifier)
        }

        let other = try NoteSigner(name: "tianping.example/黔/卷宗")
        #expect(throws: LedgerError.self) { try other.verifier.verify(note) }
        let tampered = note.replacingOccurrences(of: "\n8\n", with: "\n9\n")
        #expect(throws: LedgerError.self) { try verifier.verify(tampered) }
        // Every single-bit change anywhere in the signed note is caught.
        let bytes = Array(note.utf8)
        for position in stride(from: 0, to: bytes.count, by: 3) {
            var changed = bytes
            changed[position] ^= 0x01
            let text = String(decoding: changed, as: UTF8.self)
            #expect((try? Checkpoint(text: try verifier.verify(text))) != checkpoint, "byte \(position)")
        }
    }

    @Test("non-canonical checkpoint text is refused")
    func canonical() {
        #expect(throws: LedgerError.self) { try Checkpoint(text: "log\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n") }
        #expect(throws: LedgerError.self) { try Checkpoint(text: "log\n8\nnot base64\n") }
        #expect(throws: LedgerError.self) { try Checkpoint(text: "log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=") }
    }
}
