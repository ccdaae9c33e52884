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

    /// Reads the key, generating one on first use, and records its public half in the store.
    func signer(database: String, store: TianpingStore) async throws -> NoteSigner {
        let file = path(database: database)
        let signer: NoteSigner
        if FileManager.default.fileExists(atPath: file) {
            signer = try LedgerKeyFile.read(file)
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

    /// Writes a private key readable by its owner only; refuses to overwrite an existing file.
    static func write(_ signer: NoteSigner, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw ValidationError("密钥文件已存在，不会覆盖：\(path)") }
        guard FileManager.default.createFile(atPath: path, contents: Data((signer.encoded + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("无法写入密钥文件：\(path)") }
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
