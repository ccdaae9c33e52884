import Foundation
import Testing
import TianpingLedger

/// A small log of record entries, its signer and a signed checkpoint, for dossier and witness tests.
struct SampleLog {
    var entries: [LedgerEntry] = []
    var contents: [String] = []
    var tree = MerkleTree()
    let signer: NoteSigner

    init(records: Int, caseID: String = "TP1", origin: String = "test.example/log") throws {
        signer = try NoteSigner(name: origin)
        for i in 0..<records { append(caseID: caseID, i: i) }
    }

    mutating func append(caseID: String, i: Int) {
        let content = #"{"case":"\#(caseID)","id":"E\#(i)","kind":"event","payload":{"n":\#(i)},"source":"520102GA01","version":1}"#
        let entry = LedgerEntry(subject: .record, kind: "event", source: "520102GA01", id: "E\(i)", version: 1, caseID: caseID,
            sha256: LedgerDigest.sha256Hex(Array(content.utf8)), receivedAt: 1_700_000_000 + Int64(i))
        entries.append(entry)
        contents.append(content)
        tree.append(entry.leafHash)
    }

    func note(size: Int? = nil) throws -> String {
        let size = size ?? tree.size
        return try signer.sign(Checkpoint(origin: signer.name, size: size, root: try tree.root(size: size)).text)
    }

    func bundle(caseID: String = "TP1", leaves: [Int]) throws -> DossierBundle {
        let note = try note()
        let items = try leaves.map { i in
            DossierBundle.Item(leafIndex: i, entry: entries[i].text,
                proof: try tree.inclusionProof(leaf: i, size: tree.size).map { Data($0.bytes).base64EncodedString() },
                content: contents[i])
        }
        return DossierBundle(caseID: caseID, exportedAt: "2026-11-28T10:00:00+08:00", checkpoint: note, items: items, logKeys: [])
    }
}

@Suite("Leaf entries, cosignatures, witnesses and dossiers")
struct DossierTests {
    @Test("a leaf entry prints canonically, escapes line breaks, and refuses any other spelling")
    func entries() throws {
        let entry = LedgerEntry(subject: .document, kind: "document", source: "5201\nX\\", id: "D-1", version: 3, caseID: nil,
            sha256: String(repeating: "ab", count: 32), receivedAt: 1_717_200_000)
        let text = entry.text
        #expect(text.split(separator: "\n").count == 8, "the escaped value stays on one line; no case line")
        #expect(text.contains("source 5201\\nX\\\\\n"))
        #expect(try LedgerEntry(text: text) == entry)
        #expect(throws: LedgerError.self) { try LedgerEntry(text: text.replacingOccurrences(of: "version 3", with: "version 03")) }
        #expect(throws: LedgerError.self) { try LedgerEntry(text: text + "extra 1\n") == entry && false }
        #expect(throws: LedgerError.self) { try LedgerEntry(text: String(text.dropLast())) }
        #expect(throws: LedgerError.self) { try LedgerEntry(text: text.replacingOccurrences(of: "tianping/leaf/v1", with: "x")) }
        // The leaf hash is RFC 9162's: SHA-256(0x00 || entry text).
        #expect(entry.leafHash == MerkleHashing.leaf(Array(text.utf8)))
    }

    @Test("a cosignature verifies only for its witness key, its type, and the exact checkpoint; it states its time")
    func cosignatures() throws {
        let log = try SampleLog(records: 5)
        let note = try log.note()
        let witness = try NoteSigner(name: "witness.example/w1", type: .cosignatureV1)
        let text = try SignedNote(note).text
        let line = try witness.signatureLine(for: text, time: 1_764_300_000)
        let cosigned = try SignedNote(note).adding(line).note
        #expect(try witness.verifier.cosignatureTime(cosigned) == 1_764_300_000)
        #expect(try log.signer.verifier.verify(cosigned) == text, "the log's own signature still verifies")
        // The encoded key round-trips and carries the cosignature type byte (0x04).
        let reread = try NoteVerifier(encoded: witness.verifier.encoded)
        #expect(reread.type == .cosignatureV1)
        #expect(try NoteSigner(encoded: witness.encoded).verifier == witness.verifier)
        // The type byte enters the key id: the same key presented as a log key (0x01) does not match its id.
        let fields = witness.verifier.encoded.split(separator: "+", maxSplits: 2).map(String.init)
        var material = Array(Data(base64Encoded: fields[2])!)
        #expect(material[0] == 0x04)
        material[0] = 0x01
        #expect(throws: LedgerError.self) { try NoteVerifier(encoded: fields[0] + "+" + fields[1] + "+" + Data(material).base64EncodedString()) }
        // Any single-bit change in the cosignature line or the checkpoint text is caught.
        let bytes = Array(cosigned.utf8)
        var caught = 0
        var tried = 0
        for i in stride(from: 0, to: bytes.count, by: 3) {
            for bit in [0, 5] {
                var changed = bytes
                changed[i] ^= UInt8(1 << bit)
                guard let changedNote = String(bytes: changed, encoding: .utf8), changedNote != cosigned else { continue }
                tried += 1
                let logOK = (try? log.signer.verifier.verify(changedNote)) != nil
                let witnessOK = ((try? witness.verifier.cosignatureTime(changedNote)) ?? nil) != nil
                if !(logOK && witnessOK) { caught += 1 }
            }
        }
        #expect(tried > 100)
        #expect(caught == tried)
    }

    @Test("a witness cosigns growth, and refuses a rollback, a split view, a rewritten history and a forged note")
    func witness() throws {
        let log = try SampleLog(records: 10)
        let signer = try NoteSigner(name: "witness.example/w1", type: .cosignatureV1)
        let witness = try Witness(log: log.signer.verifier, signer: signer)
        let first = try witness.cosign(note: try log.note(), consistencyProof: [], previous: nil, time: 100)
        #expect(first.record.size == 10)
        #expect(try signer.verifier.cosignatureTime(try SignedNote(try log.note()).adding(first.line).note) == 100)

        // Honest growth: 10 → 17 with the log's consistency proof.
        var grown = log
        for i in 10..<17 { grown.append(caseID: "TP1", i: i) }
        let proof = try grown.tree.consistencyProof(from: 10, to: 17)
        let second = try witness.cosign(note: try grown.note(), consistencyProof: proof, previous: first.record, time: 200)
        #expect(second.record.size == 17)
        // The same checkpoint again is fine (a fresh timestamp).
        #expect(throws: Never.self) { try witness.cosign(note: try grown.note(), consistencyProof: [], previous: second.record, time: 300) }

        func refusal(_ note: String, _ proof: [TreeHash] = []) -> WitnessRefusal.Kind? {
            do {
                _ = try witness.cosign(note: note, consistencyProof: proof, previous: second.record, time: 400)
                return nil
            } catch {
                return error.kind
            }
        }
        // Rollback: the log shows a smaller tree than one already cosigned.
        #expect(refusal(try log.note()) == .rollback)
        // Split view: a second log history of the same size (entry 3 rewritten).
        var forked = try SampleLog(records: 0, origin: "test.example/log")
        forked = SampleLog(copying: log, signer: log.signer)
        forked.rewrite(3)
        for i in 10..<17 { forked.append(caseID: "TP1", i: i) }
        let forkNote = try forked.note()
        #expect(refusal(forkNote) == .splitView)
        // Rewritten history presented as growth: 17 → 20 over the fork does not extend what was cosigned.
        for i in 17..<20 { forked.append(caseID: "TP1", i: i) }
        let forkProof = try forked.tree.consistencyProof(from: 17, to: 20)
        #expect(refusal(try forked.note(), forkProof) == .inconsistent)
        // A note signed by another key, and a checkpoint of another log.
        let stranger = try SampleLog(records: 20)
        #expect(refusal(try stranger.note()) == .badSignature)
        let otherOrigin = try grown.signer.sign(Checkpoint(origin: "other.example/log", size: 17, root: try grown.tree.root(size: 17)).text)
        #expect(refusal(otherOrigin) == .wrongOrigin)
        // A witness that first saw an empty log cosigns its growth without a proof: every tree extends the empty one.
        let empty = try witness.cosign(note: try log.note(size: 0), consistencyProof: [], previous: nil, time: 10)
        #expect(empty.record.size == 0)
        #expect(throws: Never.self) { try witness.cosign(note: try log.note(), consistencyProof: [], previous: empty.record, time: 11) }
        #expect(WitnessRefusal(kind: .splitView, message: "", note: "").isAlarm)
        #expect(!WitnessRefusal(kind: .badSignature, message: "", note: "").isAlarm)
    }

    @Test("a dossier verifies offline, and fails on changed content, a changed entry, a changed proof, a wrong key or a missing quorum")
    func dossier() throws {
        let log = try SampleLog(records: 12)
        let good = try log.bundle(leaves: [0, 4, 11])
        let report = DossierVerifier.verify(good, trustedLogKeys: [log.signer.verifier])
        #expect(report.isValid, "\(report.problems)")
        #expect(report.verifiedItems == 3)
        #expect(report.treeSize == 12)

        var content = good
        content.items[1].content = content.items[1].content!.replacingOccurrences(of: #""n":4"#, with: #""n":5"#)
        let contentReport = DossierVerifier.verify(content, trustedLogKeys: [log.signer.verifier])
        #expect(!contentReport.isValid)
        #expect(contentReport.problems.map(\.leafIndex) == [4])
        #expect(contentReport.problems.first?.message.contains("内容哈希不符") == true)

        var entry = good
        entry.items[2].entry = entry.items[2].entry.replacingOccurrences(of: "received 1700000011", with: "received 1700000012")
        #expect(DossierVerifier.verify(entry, trustedLogKeys: [log.signer.verifier]).problems.map(\.leafIndex) == [11])

        var proof = good
        var raw = Array(Data(base64Encoded: proof.items[0].proof[0])!)
        raw[7] ^= 0x10
        proof.items[0].proof[0] = Data(raw).base64EncodedString()
        #expect(DossierVerifier.verify(proof, trustedLogKeys: [log.signer.verifier]).problems.map(\.leafIndex) == [0])

        // A record shown under another record's leaf: the hash matches its own content but not the leaf.
        var swapped = good
        swapped.items[0].content = log.contents[4]
        #expect(!DossierVerifier.verify(swapped, trustedLogKeys: [log.signer.verifier]).isValid)

        let stranger = try NoteSigner(name: log.signer.name)
        let untrusted = DossierVerifier.verify(good, trustedLogKeys: [stranger.verifier])
        #expect(!untrusted.isValid)
        #expect(untrusted.treeSize == nil)

        let witness = try NoteSigner(name: "witness.example/w1", type: .cosignatureV1)
        #expect(!DossierVerifier.verify(good, trustedLogKeys: [log.signer.verifier], witnesses: [witness.verifier], quorum: 1).isValid)
        var cosigned = good
        let line = try witness.signatureLine(for: try SignedNote(good.checkpoint).text, time: 1_764_300_000)
        cosigned.checkpoint = try SignedNote(good.checkpoint).adding(line).note
        let quorum = DossierVerifier.verify(cosigned, trustedLogKeys: [log.signer.verifier], witnesses: [witness.verifier], quorum: 1)
        #expect(quorum.isValid, "\(quorum.problems)")
        #expect(quorum.cosignedBy == ["witness.example/w1"])

        // A key of another name (another log) proves nothing, even over the same bytes; a witness key given twice counts
        // once; the same leaf twice is refused.
        let renamed = try NoteSigner(name: "other.example/log")
        var foreign = good
        foreign.checkpoint = try renamed.sign(try SignedNote(good.checkpoint).text)
        #expect(!DossierVerifier.verify(foreign, trustedLogKeys: [renamed.verifier]).isValid)
        let doubled = DossierVerifier.verify(cosigned, trustedLogKeys: [log.signer.verifier], witnesses: [witness.verifier, witness.verifier], quorum: 2)
        #expect(!doubled.isValid)
        var repeated = good
        repeated.items.append(good.items[0])
        #expect(DossierVerifier.verify(repeated, trustedLogKeys: [log.signer.verifier]).problems.map(\.leafIndex) == [0])
        // An item of another case in this case's dossier.
        var other = try SampleLog(records: 0)
        other = SampleLog(copying: log, signer: log.signer)
        other.append(caseID: "TP2", i: 12)
        let mixed = try other.bundle(caseID: "TP1", leaves: [0, 12])
        #expect(DossierVerifier.verify(mixed, trustedLogKeys: [log.signer.verifier]).problems.map(\.leafIndex) == [12])
    }
}

extension SampleLog {
    init(copying other: SampleLog, signer: NoteSigner) {
        self.signer = signer
        entries = other.entries
        contents = other.contents
        tree = other.tree
    }

    /// Replaces entry `i` and rebuilds the tree: another history of the same log.
    mutating func rewrite(_ i: Int) {
        let content = contents[i].replacingOccurrences(of: "\"n\":", with: "\"n\":9")
        entries[i].sha256 = LedgerDigest.sha256Hex(Array(content.utf8))
        contents[i] = content
        tree = MerkleTree(leafHashes: entries.map(\.leafHash))
    }
}
