import Crypto
import Foundation

/// The two Ed25519 signature types of C2SP `signed-note` the ledger uses. The type byte enters the key id, so a
/// log key can never be mistaken for a witness key.
public enum NoteSignatureType: UInt8, Sendable, Hashable, Codable {
    /// The log signs its checkpoints (`signed-note`, type 0x01).
    case ed25519 = 0x01
    /// A witness cosigns a checkpoint it checked (`tlog-cosignature` v1, type 0x04): the signed message is
    /// `cosignature/v1\ntime <t>\n` followed by the checkpoint, and the signature carries the 8-byte time.
    case cosignatureV1 = 0x04

    var chineseName: String { self == .ed25519 ? "日志签名" : "见证联署" }
}

/// An Ed25519 key for signing notes in the C2SP `signed-note` format, with the 4-byte key id the format derives
/// from the key's name, type and public key.
public struct NoteSigner: Sendable {
    public let name: String
    public let type: NoteSignatureType
    private let key: Curve25519.Signing.PrivateKey

    /// A fresh key.
    public init(name: String, type: NoteSignatureType = .ed25519) throws {
        try NoteVerifier.checkName(name)
        self.name = name
        self.type = type
        self.key = Curve25519.Signing.PrivateKey()
    }

    /// Reads a key written by ``encoded``: `PRIVATE+KEY+<name>+<key id hex>+<base64(type || seed)>`.
    public init(encoded: String) throws {
        // The base64 key may itself contain "+": only the first four separate fields.
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let raw = Data(base64Encoded: String(parts[4])),
            raw.count == 33, let type = raw.first.flatMap(NoteSignatureType.init(rawValue:))
        else { throw LedgerError.malformed("私钥格式应为 PRIVATE+KEY+名称+编号+密钥") }
        try NoteVerifier.checkName(String(parts[2]))
        self.name = String(parts[2])
        self.type = type
        self.key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw.dropFirst())
        guard verifier.keyID.hexString == parts[3] else { throw LedgerError.malformed("私钥编号与密钥不符") }
    }

    /// The private key in text form; store it outside the database, readable only by the log's operator.
    public var encoded: String {
        "PRIVATE+KEY+\(name)+\(verifier.keyID.hexString)+"
            + Data([type.rawValue] + Array(key.rawRepresentation)).base64EncodedString()
    }

    public var verifier: NoteVerifier { NoteVerifier(name: name, type: type, publicKey: Array(key.publicKey.rawRepresentation)) }

    /// Signs a note text (which must end in a newline) and returns the signed note.
    public func sign(_ text: String) throws -> String {
        guard text.hasSuffix("\n") else { throw LedgerError.malformed("签名文本须以换行结束") }
        return text + "\n" + (try signatureLine(for: text, time: 0)) + "\n"
    }

    /// One signature line (`— <name> <base64>`) over a note text. For a cosignature, `time` is the POSIX time
    /// the witness states it saw the checkpoint.
    public func signatureLine(for text: String, time: UInt64) throws -> String {
        var payload = verifier.keyID
        switch type {
        case .ed25519:
            payload += Array(try key.signature(for: Array(text.utf8)))
        case .cosignatureV1:
            withUnsafeBytes(of: time.bigEndian) { payload += $0 }
            payload += Array(try key.signature(for: NoteVerifier.cosignedMessage(text, time: time)))
        }
        return "— \(name) " + Data(payload).base64EncodedString()
    }
}

/// The public half: verifies notes offline, given as `<name>+<key id hex>+<base64(type || public key)>`.
public struct NoteVerifier: Sendable, Hashable {
    public let name: String
    public let type: NoteSignatureType
    public let publicKey: [UInt8]
    /// SHA-256(name || "\n" || type || public key), first four bytes.
    public let keyID: [UInt8]

    init(name: String, type: NoteSignatureType, publicKey: [UInt8]) {
        self.name = name
        self.type = type
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, type: type, publicKey: publicKey)
    }

    public init(encoded: String) throws {
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = Data(base64Encoded: String(parts[2])), raw.count == 33,
            let type = raw.first.flatMap(NoteSignatureType.init(rawValue:))
        else { throw LedgerError.malformed("公钥格式应为 名称+编号+密钥") }
        self.init(name: String(parts[0]), type: type, publicKey: Array(raw.dropFirst()))
        guard keyID.hexString == parts[1] else { throw LedgerError.malformed("公钥编号与密钥不符") }
    }

    public var encoded: String { "\(name)+\(keyID.hexString)+" + Data([type.rawValue] + publicKey).base64EncodedString() }

    static func keyID(name: String, type: NoteSignatureType, publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, type.rawValue] + publicKey).prefix(4))
    }

    static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.contains(where: { $0 == "+" || $0.isWhitespace }) else {
            throw LedgerError.malformed("密钥名称不能为空，不能含空白或“+”")
        }
    }

    static func cosignedMessage(_ text: String, time: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(time)\n".utf8) + Array(text.utf8)
    }

    /// Verifies a signed note and returns its text; throws unless a signature by this key is valid.
    public func verify(_ note: String) throws -> String {
        let parts = try SignedNote(note)
        guard parts.signatures.contains(where: { (try? check($0, text: parts.text)) != nil }) else {
            throw LedgerError.malformed("没有该公钥（\(name)，\(type.chineseName)）的有效签名")
        }
        return parts.text
    }

    /// The time a valid cosignature by this key states, or `nil` when the note carries none.
    public func cosignatureTime(_ note: String) throws -> UInt64? {
        let parts = try SignedNote(note)
        return parts.signatures.lazy.compactMap { try? self.check($0, text: parts.text) }.first
    }

    /// Checks one signature line against a note text; returns the stated time (0 for a log signature).
    func check(_ line: String, text: String) throws -> UInt64 {
        let fields = line.split(separator: " ")
        let length = type == .ed25519 ? 68 : 76
        // Canonical base64 only: a decoder ignores the unused low bits of the last character, so without this
        // check a one-bit change there would leave a valid signature.
        guard fields.count == 3, fields[0] == "—", fields[1] == name, let raw = Data(base64Encoded: String(fields[2])),
            raw.base64EncodedString() == fields[2], raw.count == length, Array(raw.prefix(4)) == keyID,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        else { throw LedgerError.malformed("签名行不属于该公钥") }
        switch type {
        case .ed25519:
            guard key.isValidSignature(raw.dropFirst(4), for: Array(text.utf8)) else { throw LedgerError.malformed("签名无效") }
            return 0
        case .cosignatureV1:
            let time = raw.dropFirst(4).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard time <= UInt64(Int64.max), key.isValidSignature(raw.dropFirst(12), for: Self.cosignedMessage(text, time: time))
            else { throw LedgerError.malformed("联署签名无效") }
            return time
        }
    }
}

/// A signed note split into its text and its signature lines.
public struct SignedNote: Sendable, Hashable {
    /// The signed text, ending in a newline.
    public var text: String
    /// The lines after the blank line, each `— <name> <base64>`.
    public var signatures: [String]

    public init(_ note: String) throws {
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw LedgerError.malformed("签名笔记缺少签名部分")
        }
        text = String(note[..<split.lowerBound]) + "\n"
        signatures = note[split.upperBound...].split(separator: "\n").map(String.init)
    }

    public init(text: String, signatures: [String]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note with one more signature line (a witness's cosignature); a line already present is not repeated.
    public func adding(_ line: String) -> SignedNote {
        signatures.contains(line) ? self : SignedNote(text: text, signatures: signatures + [line])
    }

    public var note: String { text + "\n" + signatures.map { $0 + "\n" }.joined() }
}

private let hexDigits = Array("0123456789abcdef".utf8)

extension Array where Element == UInt8 {
    /// Lower-case hex.
    var hexString: String {
        var out = [UInt8](repeating: 0, count: count * 2)
        for (i, b) in enumerated() {
            out[2 * i] = hexDigits[Int(b >> 4)]
            out[2 * i + 1] = hexDigits[Int(b & 0x0F)]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
