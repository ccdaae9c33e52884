/// Byte-level helpers shared by everything that writes the exchange format or hashes it: the writer of
/// the generator and the canonical form of ingest must escape strings identically.
public enum JSONText {
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `s` as a quoted JSON string, escaping only `"`, `\` and control characters.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        for b in s.utf8 {
            switch b {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 0..<32: out += [92, 117, 48, 48, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(34)
    }

    /// Lower-case hexadecimal of some bytes (a SHA-256 digest becomes 64 characters).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
