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
    public var text: String {
        var lines = [Self.header, "subject " + subject.rawValue, "kind " + Self.escape(kind), "source " + Self.escape(source),
            "id " + Self.escape(id), "version " + String(version)]
        if let caseID { lines.append("case " + Self.escape(caseID)) }
        lines.append("sha256 " + sha256)
        lines.append("received " + String(receivedAt))
        return lines.map { $0 + "\n" }.joined()
    }

    /// RFC 9162 leaf hash of ``text``.
    public var leafHash: TreeHash { MerkleHashing.leaf(Array(text.utf8)) }

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

    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\r" }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r")
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
