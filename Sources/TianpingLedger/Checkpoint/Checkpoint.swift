import Foundation

/// A log checkpoint in the C2SP `tlog-checkpoint` text form: origin, tree size, base64 root hash, optional
/// extension lines, each ending in a newline. It is the body of a signed note.
public struct Checkpoint: Hashable, Sendable {
    /// The log's name, a schema-less URL by convention (`tianping.example/天平省/dossiers`).
    public var origin: String
    public var size: Int
    public var root: TreeHash
    public var extensions: [String]

    public init(origin: String, size: Int, root: TreeHash, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// The exact bytes that are signed.
    public var text: String {
        ([origin, String(size), Data(root.bytes).base64EncodedString()] + extensions).map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint body; refuses anything not in the canonical form.
    public init(text: String) throws {
        guard text.hasSuffix("\n") else { throw LedgerError.malformed("检查点须以换行结束") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3, !lines[0].isEmpty else { throw LedgerError.malformed("检查点至少三行") }
        guard let size = Int(lines[1]), size >= 0, String(size) == lines[1] else {
            throw LedgerError.malformed("树大小不是规范的十进制数：\(lines[1])")
        }
        guard let raw = Data(base64Encoded: lines[2]), let root = TreeHash(bytes: Array(raw)),
            Data(raw).base64EncodedString() == lines[2]
        else { throw LedgerError.malformed("根哈希不是规范的 base64 SHA-256 值") }
        guard !lines.dropFirst(3).contains(where: \.isEmpty) else { throw LedgerError.malformed("检查点含空行") }
        self.init(origin: lines[0], size: size, root: root, extensions: Array(lines.dropFirst(3)))
    }
}
