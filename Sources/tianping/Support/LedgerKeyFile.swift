import ArgumentParser
import Foundation
import TianpingLedger
import TianpingStore

/// Where the dossier log's private signing key lives: a file outside the database, readable by its owner only,
/// so that whoever can alter the database still cannot sign a checkpoint over the alteration.
struct LedgerKeyOptions: ParsableArguments {
    @Option(help: "The log's private signing key file. Default: $TIANPING_LEDGER_KEY, else the SQLite path + .ledger-key, else ./tianping-ledger.key")
    var ledgerKey: String?
    @Option(help: "The log's name (checkpoint origin) when a new key is generated.")
    var ledgerOrigin = "tianping.local/dossiers"

    func path(database: String) -> String {
        if let ledgerKey { return ledgerKey }
        if let configured = ProcessEnvironment.value("TIANPING_LEDGER_KEY") { return configured }
        if case .sqlite(let file) = StoreLocation(argument: database) { return file + ".ledger-key" }
        return "tianping-ledger.key"
    }

    /// The public keys of the key file and of the retired key files beside it (`<path>.retired-<id>`): what the
    /// self-audit trusts, rather than the keys recorded in the database.
    func trustedKeys(database: String) throws -> [NoteVerifier] {
        let file = path(database: database)
        let directory = (file as NSString).deletingLastPathComponent
        let base = (file as NSString).lastPathComponent
        var keys: [NoteVerifier] = []
        if FileManager.default.fileExists(atPath: file) { keys.append(try LedgerKeyFile.read(file).verifier) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        where name.hasPrefix(base + ".retired-") {
            keys.append(try LedgerKeyFile.read((directory.isEmpty ? "." : directory) + "/" + name).verifier)
        }
        return keys
    }

    /// Reads the key, generating one on first use, and records its public half in the store.
    func signer(database: String, store: TianpingStore) async throws -> NoteSigner {
        let file = path(database: database)
        let signer: NoteSigner
        if FileManager.default.fileExists(atPath: file) {
            signer = try LedgerKeyFile.read(file)
        } else if let known = try await store.ledgerKeys().last {
            // The log has signed before: a missing key file is an operator error, never a reason to start a new key.
            throw ValidationError("找不到存证日志签名密钥文件 \(file)；该日志已由公钥 \(known.verifier) 签署过检查点。请用 --ledger-key 指向原密钥文件；确需更换密钥请用 tianping ledger rotate-key")
        } else {
            signer = try NoteSigner(name: ledgerOrigin)
            try LedgerKeyFile.write(signer, to: file)
            printError("已生成存证日志签名密钥：\(file)（仅所有者可读，请备份并妥善保管）")
            printError("公钥（交给需要核验卷宗的单位）：\(signer.verifier.encoded)")
        }
        try await store.activateLedgerKey(signer.verifier.encoded, at: Int64(Date().timeIntervalSince1970))
        return signer
    }
}

enum LedgerKeyFile {
    static func read(_ path: String) throws -> NoteSigner {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("无法读取密钥文件：\(path)")
        }
        do {
            return try NoteSigner(encoded: text)
        } catch {
            throw ValidationError("密钥文件 \(path) 格式错误：\(error)")
        }
    }

    /// Writes a private key readable by its owner only: created exclusively with mode 0600 in one step, so it is never
    /// readable by others for a moment and never overwrites an existing file.
    static func write(_ signer: NoteSigner, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw ValidationError(errno == EEXIST ? "密钥文件已存在，不会覆盖：\(path)" : "无法创建密钥文件：\(path)")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: Data((signer.encoded + "\n").utf8))
        try handle.synchronize()
    }

    /// Public keys given on the command line, each the text form or a file holding it.
    static func verifiers(_ arguments: [String]) throws -> [NoteVerifier] {
        try arguments.map { argument in
            let text = FileManager.default.fileExists(atPath: argument)
                ? (try String(contentsOfFile: argument, encoding: .utf8)) : argument
            do {
                return try NoteVerifier(encoded: text)
            } catch {
                throw ValidationError("公钥格式错误（应为 名称+编号+密钥）：\(argument)")
            }
        }
    }
}
