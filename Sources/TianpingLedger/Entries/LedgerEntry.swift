import Crypto
import Foundation

/// What one leaf of the dossier log states: that an exchange record version, or the content of a legal document,
/// was received at a given moment with a given SHA-256.
///
/// The leaf is the UTF-8 of ``text``, a few `key value` lines that anyone can rebuild from the record itself and
/// hash with RFC 9162's leaf prefix — no JSON canonicalisation is needed to check a proof.
///
/// ```text
/// tianping/leaf/v1
/// subject record
/// kind document
/// source 520102GA01
/// id D-77
/// version 2
/// case TP-2024-001
/// sha256 9f86d081884c7d65…
/// received 1717200000
/// ```
public struct LedgerEntry: Hashable, Sendable {
    /// A record version (its `sha256` covers the stored canonical JSON) or a document's content (the hash the
    /// document record declares for its text or file).
    public enum Subject: String, Sendable, Codable {
        case record
        case document
    }

    public var subject: Subject
    /// The exchange record kind (`case`, `event`, `document` …).
    public var kind: String
    public var source: String
    public var id: String
    public var version: Int
    public var caseID: String?
    /// Lower-case hex SHA-256.
    public var sha256: String
    /// Seconds since the Unix epoch at which the platform accepted the record.
    public var receivedAt: Int64

    public init(subject: Subject, kind: String, source: String, id: String, version: Int, caseID: String?,
        sha256: String, receivedAt: Int64)
    {
        self.subject = subject
        self.kind = kind
        self.source = source
        self.id = id
        self.version = version
        self.caseID = caseID
        self.sha256 = sha256
        self.receivedAt = receivedAt
    }

    static let header = "tianping/leaf/v1"

    /// The exact bytes that are hashed into the leaf. Backslashes and line breaks inside values are escaped
    /// (`\\`, `\n`, `\r`), so that every field stays on its own line.
    public var text: String { String(decoding: utf8, as: UTF8.self) }

    /// ``text`` as UTF-8, written byte by byte: ingest renders one per record, so this is on the hot path.
    public var utf8: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: Self.headerBytes)
        Self.line(&out, "subject", subject.rawValue)
        Self.line(&out, "kind", kind)
        Self.line(&out, "source", source)
        Self.line(&out, "id", id)
        Self.line(&out, "version", String(version))
        if let caseID { Self.line(&out, "case", caseID) }
        Self.line(&out, "sha256", sha256)
        Self.line(&out, "received", String(receivedAt))
        return out
    }

    private static let headerBytes = Array((header + "\n").utf8)

    private static func line(_ out: inout [UInt8], _ key: StaticString, _ value: String) {
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x20)
        for byte in value.utf8 {
            switch byte {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            default: out.append(byte)
            }
        }
        out.append(0x0A)
    }

    /// RFC 9162 leaf hash of ``text``.
    public var leafHash: TreeHash { MerkleHashing.leaf(utf8) }

    /// Parses the text form; refuses anything that would not print back to the same bytes.
    public init(text: String) throws {
        guard text.hasSuffix("\n") else { throw LedgerError.malformed("叶子条目须以换行结束") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(Self.header) else { throw LedgerError.malformed("叶子条目应以 \(Self.header) 开头") }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let space = line.firstIndex(of: " ") else { throw LedgerError.malformed("叶子条目行缺少值：\(line)") }
            let key = String(line[..<space])
            guard fields[key] == nil else { throw LedgerError.malformed("叶子条目字段重复：\(key)") }
            fields[key] = try Self.unescape(String(line[line.index(after: space)...]))
        }
        func required(_ key: String) throws -> String {
            guard let value = fields[key] else { throw LedgerError.malformed("叶子条目缺少字段：\(key)") }
            return value
        }
        guard let subject = Subject(rawValue: try required("subject")) else {
            throw LedgerError.malformed("未知的叶子主题：\(fields["subject"] ?? "")")
        }
        guard let version = Int(try required("version")), let received = Int64(try required("received")) else {
            throw LedgerError.malformed("叶子条目的版本或接收时间不是整数")
        }
        self.init(subject: subject, kind: try required("kind"), source: try required("source"), id: try required("id"),
            version: version, caseID: fields["case"], sha256: try required("sha256"), receivedAt: received)
        guard self.text == text else { throw LedgerError.malformed("叶子条目不是规范形式") }
    }

    static func unescape(_ value: String) throws -> String {
        guard value.contains("\\") else { return value }
        var out = ""
        var escaping = false
        for c in value {
            if escaping {
                switch c {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: throw LedgerError.malformed("叶子条目含未知转义：\\\(c)")
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        guard !escaping else { throw LedgerError.malformed("叶子条目以不完整的转义结束") }
        return out
    }
}

/// SHA-256 in lower-case hex, as the exchange format writes content hashes.
public enum LedgerDigest {
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        Array(SHA256.hash(data: Array(bytes))).hexString
    }
}
