import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingLedger
import TianpingRules
import TianpingServer
import TianpingStore

@Suite("Dossier log API")
struct LedgerAPITests {
    @Test("checkpoint, inclusion and consistency proofs, keys, witness cosignatures and a case's dossier over HTTP")
    func ledger() async throws {
        try await withProvinceStore(cases: 40, seed: 4) { store, directory in
            let signer = try NoteSigner(name: "test.example/dossiers")
            let witness = try NoteSigner(name: "witness.example/w1", type: .cosignatureV1)
            let stranger = try NoteSigner(name: "witness.example/w2", type: .cosignatureV1)
            try await store.activateLedgerKey(signer.verifier.encoded, at: 1)
            let log = DossierLog(store: store)
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            let session = try await signIn(store, role: .committeeSupervisor, agency: committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine, log: log, witnesses: [witness.verifier]))
            try await app.test(.router) { anonymous in
                let client = SignedInClient(base: anonymous, session: session)
                try await anonymous.execute(uri: "/api/v1/ledger/checkpoint", method: .get) { response in
                    #expect(response.status == .notFound, "nothing signed yet (and the log is public: no sign-in needed)")
                }
                try await anonymous.execute(uri: "/api/v1/cases/\(try #require(try await store.caseIDs(after: nil, limit: 1).first))/dossier", method: .post) { response in
                    #expect(response.status == .unauthorized, "a dossier holds personal data: an export for signed-in callers only")
                }
                try await client.execute(uri: "/api/v1/cases/\(try #require(try await store.caseIDs(after: nil, limit: 1).first))/dossier", method: .post,
                    headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"reason":"移送审查"}"#)) { response in
                    #expect(response.status == .conflict, "no dossier before the log has signed a checkpoint")
                }
                let first = try await log.checkpoint(signer: signer, now: 100)
                let size = first.checkpoint.size
                let note = try await client.execute(uri: "/api/v1/ledger/checkpoint", method: .get) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                let checkpoint = try Checkpoint(text: try signer.verifier.verify(note))
                #expect(checkpoint.size == size)

                // An inclusion proof by leaf, and by record, verifies against the signed root.
                try await client.execute(uri: "/api/v1/ledger/proof/inclusion?leaf=\(size - 1)", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = try json(response.body)
                    let entry = try #require(body["entry"] as? String)
                    let proof = try #require(body["proof"] as? [String]).compactMap { Data(base64Encoded: $0).flatMap { TreeHash(bytes: Array($0)) } }
                    #expect(ProofVerification.verifyInclusion(leafHash: try LedgerEntry(text: entry).leafHash, index: size - 1, size: size,
                        proof: proof, root: checkpoint.root))
                }
                let caseID = try #require(try await store.caseIDs(after: nil, limit: 1).first)
                try await client.execute(uri: "/api/v1/ledger/proof/inclusion?source=NO-SUCH-SOURCE&kind=case&id=\(caseID)", method: .get) { response in
                    #expect(response.status == .notFound, "no such source")
                }
                try await client.execute(uri: "/api/v1/ledger/proof/inclusion?leaf=\(size)", method: .get) { response in
                    #expect(response.status == .badRequest)
                }
                // Anyone may check a leaf's proof; only a caller who may see the case gets the entry that names it.
                try await anonymous.execute(uri: "/api/v1/ledger/proof/inclusion?leaf=0", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = try json(response.body)
                    #expect(body["entry"] == nil)
                    #expect((body["proof"] as? [String])?.isEmpty == false)
                }
                try await anonymous.execute(uri: "/api/v1/ledger/proof/inclusion?source=x&kind=case&id=\(caseID)", method: .get) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/api/v1/cases/\(caseID)/dossier", method: .post) { response in
                    #expect(response.status == .badRequest, "an export of unmasked records needs a stated reason")
                }

                // The log grows; a witness checks consistency from the size it saw and cosigns.
                let later = Ingestor(store: store, options: IngestOptions(now: Timestamp("2026-07-02T00:00:00+08:00")!))
                let correction = try Self.correction(in: directory, caseID: caseID)
                let added = try await later.ingest(try LineReader(path: correction.path), sourceName: "correction")
                #expect(added.total(.quarantined) == 0)
                let second = try await log.checkpoint(signer: signer, now: 200)
                #expect(second.checkpoint.size > size)
                let consistency = try await client.execute(uri: "/api/v1/ledger/proof/consistency?from=\(size)&to=\(second.checkpoint.size)", method: .get) { response in
                    try #require(json(response.body)["proof"] as? [String]).compactMap { Data(base64Encoded: $0).flatMap { TreeHash(bytes: Array($0)) } }
                }
                let w = try Witness(log: signer.verifier, signer: witness)
                let previous = try w.cosign(note: note, consistencyProof: [], previous: nil, time: 150).record
                let cosigned = try w.cosign(note: second.note, consistencyProof: consistency, previous: previous, time: 250)
                let body = #"{"size":\#(second.checkpoint.size),"cosignature":"\#(cosigned.line)"}"#
                try await anonymous.execute(uri: "/api/v1/ledger/cosignatures", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .created)
                }
                // A valid cosignature with an extra line smuggled in is refused: it would be served to every client.
                let smuggled = cosigned.line.replacingOccurrences(of: "\n", with: "") + "\\n— test.example/dossiers AAAA"
                try await anonymous.execute(uri: "/api/v1/ledger/cosignatures", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"size":\#(second.checkpoint.size),"cosignature":"\#(smuggled)"}"#)) { response in
                    #expect(response.status == .unprocessableContent)
                }
                // A cosignature by a witness the log does not trust is refused.
                let foreign = try stranger.signatureLine(for: second.checkpoint.text, time: 250)
                try await anonymous.execute(uri: "/api/v1/ledger/cosignatures", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"size":\#(second.checkpoint.size),"cosignature":"\#(foreign)"}"#)) { response in
                    #expect(response.status == .unprocessableContent)
                }
                let served = try await client.execute(uri: "/api/v1/ledger/checkpoint", method: .get) { String(buffer: $0.body) }
                #expect(try witness.verifier.cosignatureTime(served) == 250)
                try await client.execute(uri: "/api/v1/ledger/keys", method: .get) { response in
                    let keys = try json(response.body)
                    #expect((keys["logKeys"] as? [[String: Any]])?.first?["verifier"] as? String == signer.verifier.encoded)
                    #expect(keys["witnesses"] as? [String] == [witness.verifier.encoded])
                }

                // The case's dossier, downloaded, verifies offline with the log key and the witness quorum.
                try await client.execute(uri: "/api/v1/cases/\(caseID)/dossier", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"reason":"移送审查"}"#)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
                    let bundle = try JSONDecoder().decode(DossierBundle.self, from: Data(response.body.readableBytesView))
                    let report = DossierVerifier.verify(bundle, trustedLogKeys: [signer.verifier], witnesses: [witness.verifier], quorum: 1)
                    #expect(report.isValid, "\(report.problems)")
                    #expect(bundle.items.contains { $0.entry.contains("id \(correction.id)\nversion 2\n") }, "the correction is in the dossier")
                }
                try await client.execute(uri: "/api/v1/cases/NO-SUCH-CASE/dossier", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "reason=abcd")) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    /// A corrected second version of one of the case's events, as a later delivery from the police; its id.
    static func correction(in directory: URL, caseID: String) throws -> (path: String, id: String) {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("cases-") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains(#""kind":"event""#) && line.contains(#""case":"\#(caseID)""#) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let path = directory.appendingPathComponent("correction.jsonl").path
                try (line.replacingOccurrences(of: #""version":1"#, with: #""version":2"#) + "\n")
                    .write(toFile: path, atomically: true, encoding: .utf8)
                return (path, try #require(object["id"] as? String))
            }
        }
        throw CocoaError(.fileNoSuchFile)
    }
}
