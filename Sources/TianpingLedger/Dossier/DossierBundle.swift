import Foundation

/// A portable electronic dossier: a case's records and document hashes, each with its inclusion proof, and the
/// signed (and cosigned) checkpoint the proofs lead to. Whoever receives it — another agency, a court, defence
/// counsel — checks it offline with ``DossierVerifier`` and the log's public key, obtained separately.
public struct DossierBundle: Codable, Sendable, Hashable {
    public static let currentFormat = "tianping-dossier/v1"

    public var format: String
    public var caseID: String
    /// RFC 3339 time of export.
    public var exportedAt: String
    /// The signed checkpoint note, with any witness cosignatures.
    public var checkpoint: String
    public var items: [Item]
    /// The keys the exporting log says it signs with: informational only, never trusted by the verifier.
    public var logKeys: [String]

    public struct Item: Codable, Sendable, Hashable {
        public var leafIndex: Int
        /// The leaf entry text (``LedgerEntry/text``).
        public var entry: String
        /// Inclusion proof, base64 hashes, leaf to root.
        public var proof: [String]
        /// What the entry's SHA-256 covers: the record's canonical JSON, or a document's text when it was sent.
        public var content: String?

        public init(leafIndex: Int, entry: String, proof: [String], content: String?) {
            self.leafIndex = leafIndex
            self.entry = entry
            self.proof = proof
            self.content = content
        }
    }

    public init(caseID: String, exportedAt: String, checkpoint: String, items: [Item], logKeys: [String]) {
        self.format = Self.currentFormat
        self.caseID = caseID
        self.exportedAt = exportedAt
        self.checkpoint = checkpoint
        self.items = items
        self.logKeys = logKeys
    }
}

/// What an offline check of a dossier found.
public struct DossierVerification: Sendable, Hashable, Codable {
    public struct Problem: Sendable, Hashable, Codable {
        /// The item's leaf index, or `nil` for the bundle as a whole.
        public var leafIndex: Int?
        /// What the item is (`record event E1 v2`), when the entry could be read.
        public var item: String?
        public var message: String
    }

    public var caseID: String
    public var treeSize: Int?
    public var signedBy: [String] = []
    public var cosignedBy: [String] = []
    public var verifiedItems = 0
    /// Document leaves whose text was not in the bundle: their hash is proven recorded, the text is not checked.
    public var documentsWithoutText = 0
    public var problems: [Problem] = []

    public var isValid: Bool { problems.isEmpty && treeSize != nil }
}

/// Checks a ``DossierBundle`` with nothing but the trusted keys: signature, witness quorum, every inclusion proof,
/// and every content hash against the content carried.
public enum DossierVerifier {
    public static func verify(_ bundle: DossierBundle, trustedLogKeys: [NoteVerifier], witnesses: [NoteVerifier] = [],
        quorum: Int = 0) -> DossierVerification
    {
        var report = DossierVerification(caseID: bundle.caseID)
        func problem(_ message: String, _ index: Int? = nil, _ item: String? = nil) {
            report.problems.append(.init(leafIndex: index, item: item, message: message))
        }
        guard bundle.format == DossierBundle.currentFormat else {
            problem("不支持的卷宗格式：\(bundle.format)（应为 \(DossierBundle.currentFormat)）")
            return report
        }
        var text: String?
        for key in trustedLogKeys where key.type == .ed25519 {
            // C2SP tlog-checkpoint: the log's key is named after its origin; a key of another log proves nothing here.
            if let verified = try? key.verify(bundle.checkpoint), (try? Checkpoint(text: verified))?.origin == key.name {
                text = verified
                report.signedBy.append(key.encoded)
            }
        }
        guard let text, let checkpoint = try? Checkpoint(text: text) else {
            problem("检查点没有任何受信任日志公钥的有效签名（或来源与公钥名称不符），卷宗不可信")
            return report
        }
        report.treeSize = checkpoint.size
        var counted = Set<[UInt8]>()
        for witness in witnesses where witness.type == .cosignatureV1 && counted.insert(witness.keyID + witness.publicKey).inserted {
            if ((try? witness.cosignatureTime(bundle.checkpoint)) ?? nil) != nil { report.cosignedBy.append(witness.name) }
        }
        if report.cosignedBy.count < quorum {
            problem("见证联署不足：需要 \(quorum) 个，有效的只有 \(report.cosignedBy.count) 个")
        }
        if bundle.items.isEmpty { problem("卷宗中没有任何条目") }
        var seen = Set<Int>()
        for item in bundle.items {
            guard seen.insert(item.leafIndex).inserted else {
                problem("同一叶子在卷宗中出现两次", item.leafIndex)
                continue
            }
            guard let entry = try? LedgerEntry(text: item.entry) else {
                problem("条目不是有效的叶子条目", item.leafIndex)
                continue
            }
            let label = "\(entry.subject == .record ? "记录" : "文书正文") \(entry.kind) \(entry.id) 第\(entry.version)版"
            let proof = item.proof.compactMap { Data(base64Encoded: $0).flatMap { TreeHash(bytes: Array($0)) } }
            guard proof.count == item.proof.count,
                ProofVerification.verifyInclusion(leafHash: entry.leafHash, index: item.leafIndex, size: checkpoint.size,
                    proof: proof, root: checkpoint.root)
            else {
                problem("包含证明不成立：该条目不在已签名的日志中，或已被改动", item.leafIndex, label)
                continue
            }
            guard entry.caseID == bundle.caseID else {
                problem("条目属于\(entry.caseID.map { "案件 \($0)" } ?? "无案件的记录")，不属于本卷宗的案件 \(bundle.caseID)", item.leafIndex, label)
                continue
            }
            guard let content = item.content else {
                if entry.subject == .document {
                    report.documentsWithoutText += 1
                    report.verifiedItems += 1
                } else {
                    problem("缺少记录内容，无法核对内容哈希", item.leafIndex, label)
                }
                continue
            }
            guard LedgerDigest.sha256Hex(Array(content.utf8)) == entry.sha256 else {
                problem("内容哈希不符：内容在存证后被改动", item.leafIndex, label)
                continue
            }
            if entry.subject == .record, let mismatch = envelopeMismatch(content, entry) {
                problem("记录信封与存证条目不符：\(mismatch)", item.leafIndex, label)
                continue
            }
            report.verifiedItems += 1
        }
        return report
    }

    /// Compares the record's own envelope with what the leaf says, so a valid record cannot be shown under
    /// another record's leaf.
    static func envelopeMismatch(_ json: String, _ entry: LedgerEntry) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return "记录内容不是 JSON 对象"
        }
        if object["kind"] as? String != entry.kind { return "种类" }
        if object["source"] as? String != entry.source { return "报送单位" }
        if object["id"] as? String != entry.id { return "记录编号" }
        if (object["version"] as? NSNumber)?.intValue != entry.version { return "版本" }
        if object["case"] as? String != entry.caseID { return "案件" }
        return nil
    }
}
