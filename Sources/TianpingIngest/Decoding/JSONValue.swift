import TianpingCore

/// A parsed JSON text: the shape ingest decodes records from and writes their canonical form from.
///
/// Ingest parses each line once into this tree, maps it onto the model by hand (``FieldReader``) and
/// writes it back canonically — object keys sorted by their UTF-8 bytes, no insignificant white space,
/// escapes resolved and only `"`, `\` and control characters escaped, numbers as written — so the same
/// content always has the same bytes and hash. Foundation's `JSONDecoder` plus `JSONEncoder` cost about
/// 40 µs a record on this machine, most of the ingest budget.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number as written, so that canonical output never changes its digits.
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// Raised for text that is not JSON, with the byte offset where reading stopped.
    public struct Malformed: Error, Sendable {
        public let offset: Int
    }

    /// Parses one JSON text.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer: buffer)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw Malformed(offset: parser.position) }
            return value
        }
    }

    /// The canonical text of this value.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .object(let members):
            out.append(123)
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, m) in sorted.enumerated() {
                if i > 0 { out.append(44) }
                Self.writeString(m.key, into: &out)
                out.append(58)
                m.value.write(into: &out)
            }
            out.append(125)
        case .array(let items):
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                item.write(into: &out)
            }
            out.append(93)
        case .string(let s): Self.writeString(s, into: &out)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .null: out.append(contentsOf: Array("null".utf8))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) { JSONText.appendQuoted(s, to: &out) }

    /// Nesting deeper than this is refused, so a hostile line cannot exhaust the stack.
    static let maximumDepth = 64

    struct Parser {
        let buffer: UnsafeBufferPointer<UInt8>
        var position = 0

        init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

        mutating func skipWhitespace() {
            while position < buffer.count {
                let b = buffer[position]
                guard b == 32 || b == 9 || b == 10 || b == 13 else { return }
                position += 1
            }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard position < buffer.count, depth < JSONValue.maximumDepth else { throw Malformed(offset: position) }
            switch buffer[position] {
            case 123: return try object(depth: depth)
            case 91: return try array(depth: depth)
            case 34: return .string(try string())
            case 116:
                try literal("true")
                return .bool(true)
            case 102:
                try literal("false")
                return .bool(false)
            case 110:
                try literal("null")
                return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard position + count <= buffer.count else { throw Malformed(offset: position) }
            let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { buffer[position + $0] == w[$0] } }
            guard matches else { throw Malformed(offset: position) }
            position += count
        }

        mutating func number() throws -> String {
            let start = position
            if position < buffer.count, buffer[position] == 45 { position += 1 }
            let digitsStart = position
            while position < buffer.count, buffer[position] >= 48, buffer[position] <= 57 { position += 1 }
            guard position > digitsStart else { throw Malformed(offset: position) }
            if position < buffer.count, buffer[position] == 46 {
                position += 1
                let fraction = position
                while position < buffer.count, buffer[position] >= 48, buffer[position] <= 57 { position += 1 }
                guard position > fraction else { throw Malformed(offset: position) }
            }
            if position < buffer.count, buffer[position] == 101 || buffer[position] == 69 {
                position += 1
                if position < buffer.count, buffer[position] == 43 || buffer[position] == 45 { position += 1 }
                let exponent = position
                while position < buffer.count, buffer[position] >= 48, buffer[position] <= 57 { position += 1 }
                guard position > exponent else { throw Malformed(offset: position) }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self)
        }

        mutating func array(depth: Int) throws -> JSONValue {
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if position < buffer.count, buffer[position] == 93 {
                position += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard position < buffer.count else { throw Malformed(offset: position) }
                if buffer[position] == 44 {
                    position += 1
                } else if buffer[position] == 93 {
                    position += 1
                    return .array(items)
                } else {
                    throw Malformed(offset: position)
                }
            }
        }

        mutating func object(depth: Int) throws -> JSONValue {
            position += 1
            var members: [(key: String, value: JSONValue)] = []
            skipWhitespace()
            if position < buffer.count, buffer[position] == 125 {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < buffer.count, buffer[position] == 34 else { throw Malformed(offset: position) }
                let key = try string()
                skipWhitespace()
                guard position < buffer.count, buffer[position] == 58 else { throw Malformed(offset: position) }
                position += 1
                skipWhitespace()
                let value = try self.value(depth: depth + 1)
                // A repeated key would make the record ambiguous; JSON leaves it undefined, so refuse it.
                guard !members.contains(where: { $0.key == key }) else { throw Malformed(offset: position) }
                members.append((key, value))
                skipWhitespace()
                guard position < buffer.count else { throw Malformed(offset: position) }
                if buffer[position] == 44 {
                    position += 1
                } else if buffer[position] == 125 {
                    position += 1
                    return .object(members)
                } else {
                    throw Malformed(offset: position)
                }
            }
        }

        mutating func string() throws -> String {
            position += 1
            let start = position
            while position < buffer.count {
                let b = buffer[position]
                if b == 34 {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self)
                    position += 1
                    return s
                }
                if b == 92 || b < 32 { break }
                position += 1
            }
            var bytes = Array(UnsafeBufferPointer(rebasing: buffer[start..<position]))
            while position < buffer.count {
                let b = buffer[position]
                if b == 34 {
                    position += 1
                    return String(decoding: bytes, as: UTF8.self)
                }
                guard b >= 32 else { throw Malformed(offset: position) }
                guard b == 92 else {
                    bytes.append(b)
                    position += 1
                    continue
                }
                position += 1
                guard position < buffer.count else { throw Malformed(offset: position) }
                let e = buffer[position]
                position += 1
                switch e {
                case 34: bytes.append(34)
                case 92: bytes.append(92)
                case 47: bytes.append(47)
                case 98: bytes.append(8)
                case 102: bytes.append(12)
                case 110: bytes.append(10)
                case 114: bytes.append(13)
                case 116: bytes.append(9)
                case 117:
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard position + 1 < buffer.count, buffer[position] == 92, buffer[position + 1] == 117 else {
                            throw Malformed(offset: position)
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Malformed(offset: position) }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw Malformed(offset: position) }
                    bytes.append(contentsOf: String(Character(scalar)).utf8)
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
    }
}
