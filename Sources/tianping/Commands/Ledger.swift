import ArgumentParser
import Foundation
import TianpingCore
import TianpingLedger
import TianpingStore

/// `tianping ledger`: the tamper-evident dossier log — keys, checkpoints, proofs, self-audit, witnessing.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "电子卷宗存证日志：密钥、签名检查点、证明、自检与见证",
        subcommands: [Keygen.self, SignCheckpoint.self, Proof.self, Consistency.self, Audit.self, RotateKey.self, WitnessCommand.self])

    /// `tianping ledger keygen`: a new key file (log or witness), with its public key printed.
    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "生成签名密钥（日志或见证节点），私钥写入文件，打印公钥")
        @Option(help: "Key name: the log's origin or the witness's name, e.g. witness.example/省检察院.") var name: String
        @Option(help: "Private key file to create (never overwritten).") var output: String
        @Flag(help: "A witness (cosignature/v1) key instead of a log key.") var witness = false

        func run() async throws {
            let signer = try NoteSigner(name: name, type: witness ? .cosignatureV1 : .ed25519)
            try LedgerKeyFile.write(signer, to: output)
            print(signer.verifier.encoded)
        }
    }

    /// `tianping ledger checkpoint`: signs the current tree (if it grew) and prints the checkpoint.
    struct SignCheckpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "为当前日志签署检查点并输出")
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var key: LedgerKeyOptions

        func run() async throws {
            try await withStore(db) { store in
                let stored = try await DossierLog(store: store)
                    .checkpoint(signer: try await key.signer(database: db.location, store: store), now: Timestamp.now().secondsSinceEpoch)
                print(stored.note, terminator: "")
            }
        }
    }

    /// `tianping ledger proof`: an inclusion proof for a leaf or a record version.
    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "输出某叶子（或某记录版本）到最新检查点的包含证明（JSON）")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Leaf index.") var leaf: Int?
        @Option(help: "Record as SOURCE/KIND/ID/VERSION, e.g. 520102GA01/event/E1/1.") var record: String?

        func run() async throws {
            try await withStore(db) { store in
                guard let latest = try await store.latestCheckpoint() else {
                    throw ValidationError("存证日志尚无检查点：先运行 tianping ledger checkpoint")
                }
                var index = leaf
                if let record {
                    let parts = record.split(separator: "/", maxSplits: 3).map(String.init)
                    guard parts.count == 4, let version = Int(parts[3]) else { throw ValidationError("--record 应为 来源/种类/编号/版本") }
                    index = try await store.ledgerLeafIndex(source: parts[0], kind: parts[1], id: parts[2], version: version)
                    if index == nil { throw ValidationError("该记录版本不在存证日志中") }
                }
                guard let index, index >= 0, index < latest.checkpoint.size else {
                    throw ValidationError("请给出 --leaf（0 到 \(latest.checkpoint.size - 1)）或已被检查点覆盖的 --record")
                }
                let log = DossierLog(store: store)
                let proof = try await log.inclusionProof(leaf: index, size: latest.checkpoint.size)
                print(try jsonString(InclusionOutput(leafIndex: index, treeSize: latest.checkpoint.size,
                    entry: try await store.ledgerEntry(at: index) ?? "", proof: proof.map { Data($0.bytes).base64EncodedString() },
                    checkpoint: latest.note)))
            }
        }

        struct InclusionOutput: Encodable {
            var leafIndex: Int
            var treeSize: Int
            var entry: String
            var proof: [String]
            var checkpoint: String
        }
    }

    /// `tianping ledger consistency`: a consistency proof between two tree sizes.
    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "输出两个树大小之间的一致性证明（JSON）")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Earlier tree size.") var from: Int
        @Option(help: "Later tree size (default: the whole log).") var to: Int?

        func run() async throws {
            try await withStore(db) { store in
                let log = DossierLog(store: store)
                let size = try await log.refresh()
                let to = to ?? size
                guard from >= 0, from <= to, to <= size else { throw ValidationError("树大小应满足 0 ≤ from ≤ to ≤ \(size)") }
                let proof = try await log.consistencyProof(from: from, to: to)
                print(try jsonString(["from": .int(from), "to": .int(to),
                    "proof": .list(proof.map { Data($0.bytes).base64EncodedString() })] as [String: ProofField]))
            }
        }

        enum ProofField: Encodable {
            case int(Int)
            case list([String])
            func encode(to encoder: any Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .int(let n): try c.encode(n)
                case .list(let l): try c.encode(l)
                }
            }
        }
    }

    /// `tianping ledger audit`: recomputes every leaf from stored data; critical findings on any mismatch.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "存证自检：由数据库中的记录重算每个叶子并与签名检查点比对；不符时登记严重告警，退出码 1",
            discussion: "Exit status: 0 when everything matches, 1 when a problem was found (and recorded as a finding).")
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var key: LedgerKeyOptions
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            let clean = try await withStore(db) { store in
                let report = try await store.auditLedger(trustedKeys: try key.trustedKeys(database: db.location))
                let recorded = try await store.recordLedgerAudit(report, now: Timestamp.now())
                if json {
                    print(try jsonString(report))
                } else {
                    print(Self.describe(report, opened: recorded.opened, resolved: recorded.resolved))
                }
                return report.isClean
            }
            if !clean { throw ExitCode(1) }
        }

        static func describe(_ report: LedgerAuditReport, opened: Int, resolved: Int) -> String {
            var lines = ["存证自检：叶子 \(report.leaves) 个，核对记录 \(report.recordsChecked) 条"
                + (report.checkpointSize.map { "，最新检查点树大小 \($0)（根哈希\(report.checkpointMatches == true ? "一致" : "不一致")）" } ?? "，尚无检查点")]
            if report.problems.isEmpty {
                lines.append("结果：一致，未发现篡改。")
            } else {
                lines.append("结果：发现 \(report.problems.count) 处不一致（严重）：")
                for p in report.problems.prefix(50) {
                    lines.append("  - " + [p.leafIndex.map { "叶子 \($0)" }, p.caseID.map { "案件 \($0)" }, p.record, p.message]
                        .compactMap { $0 }.joined(separator: "；"))
                }
                if report.problems.count > 50 { lines.append("  …另有 \(report.problems.count - 50) 处，完整清单见 --json") }
            }
            if opened > 0 || resolved > 0 { lines.append("告警：新登记 \(opened) 条，销号 \(resolved) 条（风险发现列表中 kind=integrity）") }
            return lines.joined(separator: "\n")
        }
    }

    /// `tianping ledger rotate-key`: a new signing key; the handover checkpoint carries both signatures.
    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "轮换日志签名密钥：新密钥写入原路径，旧密钥改名保留；交接检查点同时带新旧两个签名")
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var key: LedgerKeyOptions

        func run() async throws {
            try await withStore(db) { store in
                let path = key.path(database: db.location)
                let old = try LedgerKeyFile.read(path)
                let new = try NoteSigner(name: old.name)
                let retired = path + ".retired-" + old.verifier.encoded.split(separator: "+")[1]
                try FileManager.default.moveItem(atPath: path, toPath: retired)
                try LedgerKeyFile.write(new, to: path)
                let now = Timestamp.now().secondsSinceEpoch
                let log = DossierLog(store: store)
                let size = try await log.refresh()
                let checkpoint = Checkpoint(origin: old.name, size: size, root: try await log.root(size: size))
                // Both keys sign the handover: a verifier who trusts the old key learns the new one from this note.
                let note = SignedNote(text: checkpoint.text, signatures: [
                    try old.signatureLine(for: checkpoint.text, time: 0), try new.signatureLine(for: checkpoint.text, time: 0),
                ]).note
                try await store.saveCheckpoint(checkpoint, signedNote: note, at: now, replacing: true)
                try await store.activateLedgerKey(new.verifier.encoded, at: now)
                print("新公钥：\(new.verifier.encoded)")
                print("旧密钥已停用并保存在：\(retired)")
                print(note, terminator: "")
            }
        }
    }
}

/// Opens the store, runs `body`, and closes the store whatever happens.
func withStore<T>(_ db: DatabaseOptions, readConnections: Int = 0, _ body: (TianpingStore) async throws -> T) async throws -> T {
    let store = try await TianpingStore.open(StoreLocation(argument: db.location), readConnections: readConnections)
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}
