import ArgumentParser
import Foundation
import TianpingCore
import TianpingLedger
import TianpingStore

/// `tianping dossier`: portable, offline-verifiable electronic dossiers (电子卷宗).
struct DossierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "电子卷宗：导出带包含证明与签名检查点的卷宗包；离线核验收到的卷宗包",
        subcommands: [Export.self, Verify.self])

    /// `tianping dossier export CASE --output FILE`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "导出案件的电子卷宗包（记录、文书哈希、包含证明、签名检查点）")
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var key: LedgerKeyOptions
        @Argument(help: "Case id.") var caseID: String
        @Option(help: "Bundle file to write.") var output: String

        func run() async throws {
            try await withStore(db) { store in
                let log = DossierLog(store: store)
                // Sign first, so that the bundle covers everything stored up to now.
                try await log.checkpoint(signer: try await key.signer(database: db.location, store: store),
                    now: Timestamp.now().secondsSinceEpoch)
                guard let bundle = try await log.dossier(caseID: caseID, exportedAt: Timestamp.now().description) else {
                    throw ValidationError("案件 \(caseID) 没有已存证的记录")
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try encoder.encode(bundle).write(to: URL(fileURLWithPath: output))
                let checkpoint = try Checkpoint(text: SignedNote(bundle.checkpoint).text)
                print("已导出案件 \(caseID) 的电子卷宗：\(bundle.items.count) 个存证条目，检查点树大小 \(checkpoint.size) → \(output)")
                print("核验方需要的日志公钥：\(try await store.ledgerKeys().last?.verifier ?? "")")
            }
        }
    }

    /// `tianping dossier verify FILE --key PUBLIC-KEY`: needs no database and no network.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "离线核验电子卷宗包：签名、见证联署、每个条目的包含证明与内容哈希",
            discussion: "Exit status 0 when the dossier verifies, 1 when it does not.")
        @Argument(help: "Bundle file.") var file: String
        @Option(name: .customLong("key"), help: "A trusted log public key (text or file); repeat for several.") var keys: [String] = []
        @Option(name: .customLong("witness-key"), help: "A trusted witness public key; repeat for several.") var witnessKeys: [String] = []
        @Option(help: "Witness cosignatures required.") var quorum = 0
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            guard !keys.isEmpty else { throw ValidationError("请用 --key 给出受信任的日志公钥（从日志运营方处另行获得，不要取自卷宗包本身）") }
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("无法读取卷宗包：\(file)") }
            let bundle: DossierBundle
            do {
                bundle = try JSONDecoder().decode(DossierBundle.self, from: data)
            } catch {
                throw ValidationError("不是有效的卷宗包：\(error)")
            }
            let report = DossierVerifier.verify(bundle, trustedLogKeys: try LedgerKeyFile.verifiers(keys),
                witnesses: try LedgerKeyFile.verifiers(witnessKeys), quorum: quorum)
            if json {
                print(try jsonString(report))
            } else {
                print(Self.describe(report))
            }
            if !report.isValid { throw ExitCode(1) }
        }

        static func describe(_ r: DossierVerification) -> String {
            var lines = ["案件 \(r.caseID)：" + (r.treeSize.map { "检查点树大小 \($0)" } ?? "检查点不可信")
                + "，日志签名 \(r.signedBy.count) 个，见证联署 \(r.cosignedBy.count) 个"
                + (r.cosignedBy.isEmpty ? "" : "（\(r.cosignedBy.joined(separator: "、"))）")]
            lines.append("核验通过的条目：\(r.verifiedItems) 个" + (r.documentsWithoutText > 0 ? "（其中 \(r.documentsWithoutText) 份文书正文未随包提供，仅核验其哈希已存证）" : ""))
            if r.isValid {
                lines.append("结论：核验通过。卷宗包中的每条记录都已记入签名的存证日志，且存证后未被改动。")
            } else {
                lines.append("结论：核验未通过，发现 \(r.problems.count) 处问题：")
                for p in r.problems {
                    lines.append("  - " + [p.leafIndex.map { "叶子 \($0)" }, p.item, p.message].compactMap { $0 }.joined(separator: "；"))
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
