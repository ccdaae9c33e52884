/// Re-writes a JSON text in canonical form — object keys sorted by their UTF-8 bytes, no insignificant
/// white space, strings with escapes resolved and only `"`, `\` and control characters escaped,
/// numbers as written — so that the same content always has the same bytes and the same hash.
///
/// It works on bytes and allocates one output buffer: re-encoding every record through `JSONEncoder`
/// cost three times as much as hashing and validating it together.
public enum CanonicalJSON {
    public struct Malformed: Error, Sendable {
        public let offset: Int
    }

    public static func canonicalize(_ input: [UInt8]) throws -> [UInt8] {
        var parser = Parser(bytes: input)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        try input.withUnsafeBufferPointer { buffer in
            parser.buffer = buffer
            parser.skipWhitespace()
            try parser.value(into: &out)
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw Malformed(offset: parser.position) }
        }
        return out
    }

    struct Parser {
        let bytes: [UInt8]
        var buffer: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while position < buffer.count {
                let b = buffer[position]
                guard b == 32 || b == 9 || b == 10 || b == 13 else { return }
                position += 1
            }
        }

        mutating func value(into out: inout [UInt8]) throws {
            guard position < buffer.count else { throw Malformed(offset: position) }
            switch buffer[position] {
            case 123: try object(into: &out)
            case 91: try array(into: &out)
            case 34: out.append(contentsOf: try string())
            case 116: try literal([116, 114, 117, 101], into: &out)
            case 102: try literal([102, 97, 108, 115, 101], into: &out)
            case 110: try literal([110, 117, 108, 108], into: &out)
            default: try number(into: &out)
            }
        }

        mutating func literal(_ word: [UInt8], into out: inout [UInt8]) throws {
            guard position + word.count <= buffer.count else { throw Malformed(offset: position) }
            for (i, b) in word.enumerated() where buffer[position + i] != b { throw Malformed(offset: position) }
            out.append(contentsOf: word)
            position += word.count
        }

        mutating func number(into out: inout [UInt8]) throws {
            let start = position
            while position < buffer.count {
                let b = buffer[position]
                guard (b >= 48 && b <= 57) || b == 45 || b == 43 || b == 46 || b == 101 || b == 69 else { break }
                position += 1
            }
            guard position > start else { throw Malformed(offset: position) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<position]))
        }

        mutating func array(into out: inout [UInt8]) throws {
            position += 1
            out.append(91)
            skipWhitespace()
            if position < buffer.count, buffer[position] == 93 {
                position += 1
                out.append(93)
                return
            }
            while true {
                skipWhitespace()
                try value(into: &out)
                skipWhitespace()
                guard position < buffer.count else { throw Malformed(offset: position) }
                if buffer[position] == 44 {
                    position += 1
                    out.append(44)
                } else if buffer[position] == 93 {
                    position += 1
                    out.append(93)
                    return
                } else {
                    throw Malformed(offset: position)
                }
            }
        }

        mutating func object(into out: inout [UInt8]) throws {
            position += 1
            var members: [(key: [UInt8], value: [UInt8])] = []
            skipWhitespace()
            if position < buffer.count, buffer[position] == 125 {
                position += 1
            } else {
                while true {
                    skipWhitespace()
                    guard position < buffer.count, buffer[position] == 34 else { throw Malformed(offset: position) }
                    let key = try string()
                    skipWhitespace()
                    guard position < buffer.count, buffer[position] == 58 else { throw Malformed(offset: position) }
                    position += 1
                    skipWhitespace()
                    var value: [UInt8] = []
                    try self.value(into: &value)
                    members.append((key, value))
                    skipWhitespace()
                    guard position < buffer.count else { throw Malformed(offset: position) }
                    if buffer[position] == 44 {
                        position += 1
                    } else if buffer[position] == 125 {
                        position += 1
                        break
                    } else {
                        throw Malformed(offset: position)
                    }
                }
            }
            // Keys compare as their encoded text; encoded keys of distinct strings differ, so this is a total order.
            members.sort { $0.key.lexicographicallyPrecedes($1.key) }
            out.append(123)
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(44) }
                out.append(contentsOf: m.key)
                out.append(58)
                out.append(contentsOf: m.value)
            }
            out.append(125)
        }

        /// Reads a string token and returns it re-encoded canonically, quotes included.
        mutating func string() throws -> [UInt8] {
            position += 1
            let start = position
            // Fast path: no escapes and no control characters.
            while position < buffer.count {
                let b = buffer[position]
                if b == 34 {
                    var out: [UInt8] = [34]
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<position]))
                    out.append(34)
                    position += 1
                    return out
                }
                if b == 92 || b < 32 { break }
                position += 1
            }
            var scalars = String.UnicodeScalarView()
            var raw = Array(UnsafeBufferPointer(rebasing: buffer[start..<position]))
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
            while position < buffer.count {
                let b = buffer[position]
                if b == 34 {
                    position += 1
                    return Self.encode(scalars)
                }
                guard b >= 32 else { throw Malformed(offset: position) }
                if b != 92 {
                    // Copy a run of plain bytes.
                    let runStart = position
                    while position < buffer.count, buffer[position] != 92, buffer[position] != 34, buffer[position] >= 32 {
                        position += 1
                    }
                    scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: buffer[runStart..<position]),
                        as: UTF8.self).unicodeScalars)
                    continue
                }
                position += 1
                guard position < buffer.count else { throw Malformed(offset: position) }
                let e = buffer[position]
                position += 1
                switch e {
                case 34: scalars.append("\"")
                case 92: scalars.append("\\")
                case 47: scalars.append("/")
                case 98: scalars.append("\u{08}")
                case 102: scalars.append("\u{0C}")
                case 110: scalars.append("\n")
                case 114: scalars.append("\r")
                case 116: scalars.append("\t")
                case 117:
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), position + 1 < buffer.count, buffer[position] == 92,
                        buffer[position + 1] == 117
                    {
                        position += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Malformed(offset: position) }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw Malformed(offset: position) }
                    scalars.append(scalar)
                default: throw Malformed(offset: position)
                }
            }
            throw Malformed(offset: position)
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= buffer.count else { throw Malformed(offset: position) }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = buffer[position]
                let d: UInt32
                switch b {
                case 48...57: d = UInt32(b - 48)
                case 97...102: d = UInt32(b - 87)
                case 65...70: d = UInt32(b - 55)
                default: throw Malformed(offset: position)
                }
                v = v * 16 + d
                position += 1
            }
            return v
        }

        static func encode(_ scalars: String.UnicodeScalarView) -> [UInt8] {
            var out: [UInt8] = [34]
            let hex = Array("0123456789abcdef".utf8)
            for s in scalars {
                switch s {
                case "\"": out += [92, 34]
                case "\\": out += [92, 92]
                case "\n": out += [92, 110]
                case "\r": out += [92, 114]
                case "\t": out += [92, 116]
                default:
                    if s.value < 32 {
                        out += [92, 117, 48, 48, hex[Int(s.value >> 4)], hex[Int(s.value & 15)]]
                    } else {
                        out.append(contentsOf: String(s).utf8)
                    }
                }
            }
            out.append(34)
            return out
        }
    }
}
