/// Tells UTF-8 from the legacy encodings agencies still export (GBK / GB18030), so a wrongly encoded file
/// is named for what it is instead of failing as "malformed JSON".
public enum TextEncodingCheck {
    public enum Verdict: Equatable, Sendable {
        case utf8
        case probablyGBK
        case invalid
    }

    public static func classify(_ bytes: [UInt8]) -> Verdict {
        if String(validating: bytes, as: UTF8.self) != nil { return .utf8 }
        // GBK: a lead byte 0x81–0xFE followed by a trail byte 0x40–0x7E or 0x80–0xFE.
        var i = 0
        var pairs = 0
        var strays = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            if b >= 0x81, b <= 0xFE, i + 1 < bytes.count {
                let t = bytes[i + 1]
                if (t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE) {
                    pairs += 1
                    i += 2
                    continue
                }
            }
            strays += 1
            i += 1
        }
        return pairs >= 1 && strays * 10 <= pairs ? .probablyGBK : .invalid
    }
}
