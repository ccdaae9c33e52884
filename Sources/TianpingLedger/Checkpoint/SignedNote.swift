import Crypto
import Foundation

/// An Ed25519 key for signing notes in the C2SP `signed-note` format, with the 4-byte key id the format derives
/// from the key's name and public key.
public struct NoteSigner: Sendable {
    public let name: String
    private let key: Curve25519.Signing.PrivateKey

    /// A fresh key.
    public init(name: String) throws {
        try NoteVerifier.checkName(name)
        self.name = name
        self.key = Curve25519.Signing.PrivateKey()
    }

    /// Reads a key written by ``encoded``: `PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || seed)>`.
    public init(encoded: String) throws {
        // The base64 key may itself contain "+": only the first four separate fields.
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let raw = Data(base64Encoded: String(parts[4])),
            raw.count == 33, raw.first == 0x01
        else { throw LedgerError.malformed("私钥格式应为 PRIVATE+KEY+名称+编号+密钥") }
        self.name = String(parts[2])
        self.key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw.dropFirst())
        guard verifier.keyID.hexString == parts[3] else { throw LedgerError.malformed("私钥编号与密钥不符") }
    }

    /// The private key in text form; store it outside the database, readable only by the log's operator.
    public var encoded: String {
        "PRIVATE+KEY+\(name)+\(verifier.keyID.hexString)+" + Data([0x01] + Array(key.rawRepresentation)).base64EncodedString()
    }

    public var verifier: NoteVerifier { NoteVerifier(name: name, publicKey: key.publicKey) }

    /// Signs a note text (which must end in a newline) and returns the signed note.
    public func sign(_ text: String) throws -> String {
        guard text.hasSuffix("\n") else { throw LedgerError.malformed("签名文本须以换行结束") }
        let signature = try key.signature(for: Array(text.utf8))
        return text + "\n" + "— \(name) " + Data(verifier.keyID + Array(signature)).base64EncodedString() + "\n"
    }
}

/// The public half: verifies notes offline, given as `<name>+<key id hex>+<base64(0x01 || public key)>`.
public struct NoteVerifier: Sendable, Hashable {
    public let name: String
    public let publicKey: [UInt8]
    /// SHA-256(name || "\n" || 0x01 || public key), first four bytes.
    public let keyID: [UInt8]

    init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.publicKey = Array(publicKey.rawRepresentation)
        self.keyID = Self.keyID(name: name, publicKey: self.publicKey)
    }

    public init(encoded: String) throws {
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == 0x01 else {
            throw LedgerError.malformed("公钥格式应为 名称+编号+密钥")
        }
        name = String(parts[0])
        publicKey = Array(raw.dropFirst())
        keyID = Self.keyID(name: name, publicKey: publicKey)
        guard keyID.hexString == parts[1] else { throw LedgerError.malformed("公钥编号与密钥不符") }
    }

    public var encoded: String { "\(name)+\(keyID.hexString)+" + Data([0x01] + publicKey).base64EncodedString() }

    static func keyID(name: String, publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, 0x01] + publicKey).prefix(4))
    }

    static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.contains(where: { $0 == "+" || $0.isWhitespace }) else {
            throw LedgerError.malformed("密钥名称不能为空，不能含空白或“+”")
        }
    }

    /// Verifies a signed note and returns its text; throws unless a signature by this key is valid.
    public func verify(_ note: String) throws -> String {
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw LedgerError.malformed("签名笔记缺少签名部分")
        }
        let text = String(note[..<split.lowerBound]) + "\n"
        let signatures = note[split.upperBound...].split(separator: "\n")
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            throw LedgerError.malformed("公钥无效")
        }
        for line in signatures {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "—", fields[1] == name, let raw = Data(base64Encoded: String(fields[2])),
                raw.count == 68, Array(raw.prefix(4)) == keyID
            else { continue }
            if key.isValidSignature(raw.dropFirst(4), for: Array(text.utf8)) { return text }
        }
        throw LedgerError.malformed("没有该公钥（\(name)）的有效签名")
    }
}

extension Array where Element == UInt8 {
    var hexString: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}
