import Foundation

/// A witness's memory of one log: the largest checkpoint it has verified and cosigned.
public struct WitnessRecord: Codable, Sendable, Hashable {
    public var origin: String
    public var size: Int
    /// Base64 root, as in the checkpoint.
    public var root: String
    /// The log-signed checkpoint note as the witness received it.
    public var note: String
    /// POSIX time of the witness's latest cosignature.
    public var cosignedAt: UInt64

    public init(checkpoint: Checkpoint, note: String, cosignedAt: UInt64) {
        origin = checkpoint.origin
        size = checkpoint.size
        root = Data(checkpoint.root.bytes).base64EncodedString()
        self.note = note
        self.cosignedAt = cosignedAt
    }

    public var rootHash: TreeHash? { Data(base64Encoded: root).flatMap { TreeHash(bytes: Array($0)) } }
}

/// Why a witness refused to cosign. Every case but a bad signature is evidence that the log misbehaved.
public struct WitnessRefusal: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The note is not signed by the log key the witness was configured with.
        case badSignature = "bad_signature"
        /// The checkpoint names another log.
        case wrongOrigin = "wrong_origin"
        /// A smaller tree than one already cosigned: the log went back.
        case rollback
        /// The same size with another root: two views of one log.
        case splitView = "split_view"
        /// A larger tree that does not extend the cosigned one: entries were changed or removed.
        case inconsistent
    }

    public var kind: Kind
    public var message: String
    /// The refused note, kept as evidence.
    public var note: String

    public init(kind: Kind, message: String, note: String) {
        self.kind = kind
        self.message = message
        self.note = note
    }

    /// Whether the refusal shows the log itself misbehaving (an alarm), rather than a configuration fault.
    public var isAlarm: Bool { kind != .badSignature && kind != .wrongOrigin }

    public var description: String { message }
}

/// Checks that a log only ever grows before cosigning its checkpoint (C2SP `tlog-cosignature` v1).
///
/// The witness is deliberately small and pure: the transport (which fetches checkpoints and consistency proofs)
/// and the persistence of ``WitnessRecord`` live in the command that runs it, so the rules can be tested alone.
public struct Witness: Sendable {
    public let log: NoteVerifier
    public let signer: NoteSigner

    public init(log: NoteVerifier, signer: NoteSigner) throws {
        guard log.type == .ed25519 else { throw LedgerError.malformed("日志公钥应为签名笔记（0x01）类型") }
        guard signer.type == .cosignatureV1 else { throw LedgerError.malformed("见证密钥应为联署（0x04）类型") }
        self.log = log
        self.signer = signer
    }

    /// Verifies `note` and, when it extends `previous` (checked with `consistencyProof` from `previous.size`),
    /// returns the cosignature line to hand back to the log and the record to keep.
    public func cosign(note: String, consistencyProof: [TreeHash], previous: WitnessRecord?, time: UInt64) throws(WitnessRefusal)
        -> (line: String, record: WitnessRecord)
    {
        let text: String
        let checkpoint: Checkpoint
        do {
            text = try log.verify(note)
            checkpoint = try Checkpoint(text: text)
        } catch {
            throw WitnessRefusal(kind: .badSignature, message: "检查点签名无效或格式错误：\(error)", note: note)
        }
        guard checkpoint.origin == log.name else {
            throw WitnessRefusal(kind: .wrongOrigin, message: "检查点来源 \(checkpoint.origin) 不是所见证的日志 \(log.name)", note: note)
        }
        if let previous {
            guard let previousRoot = previous.rootHash else {
                throw WitnessRefusal(kind: .badSignature, message: "见证状态中保存的根哈希无法读取，拒绝联署（请检查状态文件）", note: note)
            }
            if checkpoint.size < previous.size {
                throw WitnessRefusal(kind: .rollback,
                    message: "日志回退：已联署树大小 \(previous.size)，新检查点仅 \(checkpoint.size)", note: note)
            }
            if checkpoint.size == previous.size, checkpoint.root != previousRoot {
                throw WitnessRefusal(kind: .splitView,
                    message: "分叉视图：树大小 \(checkpoint.size) 出现两个不同的根哈希（已联署 \(previous.root)，新 \(Data(checkpoint.root.bytes).base64EncodedString())）",
                    note: note)
            }
            // Every tree extends the empty one: a witness that first saw an empty log needs no proof.
            if checkpoint.size > previous.size, previous.size > 0 {
                let consistent = ProofVerification.verifyConsistency(from: previous.size, to: checkpoint.size,
                    fromRoot: previousRoot, toRoot: checkpoint.root, proof: consistencyProof)
                guard consistent else {
                    throw WitnessRefusal(kind: .inconsistent,
                        message: "一致性证明不成立：树大小 \(checkpoint.size) 不是已联署的树大小 \(previous.size) 的追加扩展，已记录的条目被改动或删除",
                        note: note)
                }
            }
        }
        do {
            let line = try signer.signatureLine(for: text, time: time)
            return (line, WitnessRecord(checkpoint: checkpoint, note: note, cosignedAt: time))
        } catch {
            throw WitnessRefusal(kind: .badSignature, message: "联署签名失败：\(error)", note: note)
        }
    }
}
