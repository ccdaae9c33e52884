import Foundation
import Hummingbird
import TianpingStore

/// The fields of an HTML form: `application/x-www-form-urlencoded`, or `multipart/form-data` (a form with a file),
/// whose text fields are read here and whose files are kept as parts.
///
/// A multipart body is read by ``MultipartBody``, not by a library parser: MultipartKit's parser aborts the process on
/// an empty boundary (a `precondition`) and on a byte ≥ 0x80 in a part's header name (an index past its 128-entry
/// table), and both come straight from the request. A malformed multipart form is refused with 400.
struct FormFields {
    private var values: [String: [String]] = [:]
    /// The parts of a multipart body (files included); empty for an urlencoded one.
    private(set) var parts: [FormPart] = []

    /// An urlencoded body (the only kind a caller without a `Content-Type` check may read).
    init(_ body: ByteBuffer) {
        values = Self.urlEncoded(body)
    }

    /// A body of the given `Content-Type`: multipart when it says `multipart/form-data`, urlencoded otherwise.
    /// Throws a 400 ``APIFailure`` for a multipart form whose boundary or body is malformed.
    init(_ body: ByteBuffer, contentType: String?) throws {
        guard let boundary = try Self.multipartBoundary(contentType) else {
            values = Self.urlEncoded(body)
            return
        }
        let parts: [FormPart]
        do {
            parts = try MultipartBody.parse(Array(body.readableBytesView), boundary: boundary)
        } catch let error as MultipartBody.Malformed {
            throw APIFailure(.badRequest, code: "invalid_multipart", message: "表单（multipart/form-data）格式错误：\(error.reason)")
        }
        self.parts = parts
        for part in parts where part.filename == nil {
            if let name = part.name { values[name, default: []].append(String(decoding: part.body, as: UTF8.self)) }
        }
    }

    private static func urlEncoded(_ body: ByteBuffer) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for (key, value) in urlEncodedPairs(String(buffer: body)) { values[key, default: []].append(value) }
        return values
    }

    /// The name–value pairs of an urlencoded text (a body or a GET form's query), in order: `+` is a space.
    static func urlEncodedPairs(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "&").compactMap { pair in
            let pieces = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return pieces.first.map { ($0, pieces.count > 1 ? pieces[1] : "") }
        }
    }

    /// The first value of a field.
    subscript(_ key: String) -> String? { values[key]?.first }

    /// Every value of a field that repeats (checkboxes).
    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// The first non-empty file sent in a field, as an attachment to validate and store.
    func file(_ key: String) -> NewAttachment? {
        parts.first { $0.name == key && !($0.filename ?? "").isEmpty && !$0.body.isEmpty }.map {
            NewAttachment(filename: $0.filename ?? "", contentType: $0.header("Content-Type") ?? "application/octet-stream", data: $0.body)
        }
    }

    /// The checked boundary of a `multipart/form-data` content type; `nil` for any other content type. Throws a 400
    /// ``APIFailure`` when the type is `multipart/form-data` and its boundary is missing, repeated or not what
    /// RFC 2046 §5.1.1 allows (1–70 characters from `bchars`, not ending in a space) — before any byte is parsed.
    static func multipartBoundary(_ contentType: String?) throws -> String? {
        guard let contentType else { return nil }
        let fields = HeaderParameters.split(contentType)
        guard fields.first?.trimmingCharacters(in: .whitespaces).lowercased() == "multipart/form-data" else { return nil }
        let boundaries = fields.dropFirst().compactMap(HeaderParameters.parameter).filter { $0.name == "boundary" }
        // Unquoted, a parameter value is a token: no space and none of `()<>@,;:\"/[]?=` (RFC 2045 §5.1).
        guard boundaries.count == 1, let boundary = boundaries.first, MultipartBody.isValidBoundary(boundary.value),
            boundary.quoted || !boundary.value.contains(where: { " ()<>@,;:\\\"/[]?=".contains($0) })
        else {
            throw APIFailure(.badRequest, code: "invalid_multipart",
                message: "表单（multipart/form-data）的分隔符 boundary 缺失、重复或无效：应为 1 到 70 个字母、数字或 '()+_,-./:=? 字符，且不以空格结尾")
        }
        return boundary.value
    }
}

/// One part of a multipart body: its headers and its bytes.
struct FormPart: Sendable {
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first header of that name (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The `name` of the part's Content-Disposition.
    var name: String? {
        header("Content-Disposition").flatMap { disposition in
            HeaderParameters.split(disposition).dropFirst().lazy.compactMap { HeaderParameters.value(of: "name", in: $0) }.first
        }
    }

    /// The `filename` of the part's Content-Disposition (browsers send UTF-8 between quotes), `nil` for a text field.
    var filename: String? {
        guard let disposition = header("Content-Disposition") else { return nil }
        let fields = HeaderParameters.split(disposition).dropFirst()
        if let encoded = fields.lazy.compactMap({ HeaderParameters.value(of: "filename*", in: $0) }).first,
            encoded.lowercased().hasPrefix("utf-8''")
        {
            return String(encoded.dropFirst("utf-8''".count)).removingPercentEncoding
        }
        return fields.lazy.compactMap { HeaderParameters.value(of: "filename", in: $0) }.first
    }
}

/// `type; a=1; b="x;y"`: split on the semicolons outside quotes, and read one parameter's value.
enum HeaderParameters {
    static func split(_ header: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for c in header {
            if c == "\"" { quoted.toggle() }
            if c == ";", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }

    /// `name=value` or `name="value"`: the name lowercased, the value without its quotes, and whether it had them.
    static func parameter(_ field: String) -> (name: String, value: String, quoted: Bool)? {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        guard let equals = trimmed.firstIndex(of: "=") else { return nil }
        let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
        let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { return (name, String(value.dropFirst().dropLast()), true) }
        return (name, value, false)
    }

    /// The value of one parameter (name case-insensitive), or `nil` for another parameter.
    static func value(of name: String, in field: String) -> String? {
        parameter(field).flatMap { $0.name == name ? $0.value : nil }
    }
}

/// A strict, bounded `multipart/form-data` reader (RFC 2046 §5.1, RFC 7578) over a body already limited in size.
/// Every malformed input is an error, never a trap: truncated parts, missing delimiters, headers without a colon or
/// with non-token names, too many parts or headers.
enum MultipartBody {
    struct Malformed: Error, Equatable {
        var reason: String
    }

    static let maximumParts = 1_000
    static let maximumHeaderBytes = 16 * 1024

    /// RFC 2046 `bchars`: digits, letters and `'()+_,-./:=?` and space.
    private static let bchars = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)

    /// 1–70 `bchars`, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        return (1...70).contains(bytes.count) && bytes.allSatisfy(bchars.contains) && bytes.last != UInt8(ascii: " ")
    }

    static func parse(_ body: [UInt8], boundary: String) throws -> [FormPart] {
        guard isValidBoundary(boundary) else { throw Malformed(reason: "分隔符无效") }
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter opens the body, or follows a preamble and CRLF.
        var position: Int
        if body.starts(with: dashBoundary) {
            position = dashBoundary.count
        } else if let found = find(delimiter, in: body, from: 0) {
            position = found + delimiter.count
        } else {
            throw Malformed(reason: "找不到分隔符")
        }
        var parts: [FormPart] = []
        while true {
            // After a delimiter: "--" closes the body; otherwise optional padding, then CRLF and a part.
            if body[position...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { return parts }
            while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") { position += 1 }
            guard body[position...].starts(with: [13, 10]) else { throw Malformed(reason: "分隔符后缺少换行") }
            position += 2
            guard let end = find(delimiter, in: body, from: position) else { throw Malformed(reason: "第 \(parts.count + 1) 部分不完整（缺少结束分隔符）") }
            guard parts.count < maximumParts else { throw Malformed(reason: "部分过多（最多 \(maximumParts) 个）") }
            parts.append(try part(body[position..<end]))
            position = end + delimiter.count
        }
    }

    /// Headers up to the first empty line, then the part's bytes.
    private static func part(_ bytes: ArraySlice<UInt8>) throws -> FormPart {
        let headerEnd: Int
        let bodyStart: Int
        if bytes.starts(with: [13, 10]) {
            headerEnd = bytes.startIndex
            bodyStart = bytes.startIndex + 2
        } else if let blank = find([13, 10, 13, 10], in: bytes, from: bytes.startIndex) {
            headerEnd = blank
            bodyStart = blank + 4
        } else {
            throw Malformed(reason: "部分缺少头部结束的空行")
        }
        guard headerEnd - bytes.startIndex <= maximumHeaderBytes else { throw Malformed(reason: "部分头部过长") }
        var headers: [(name: String, value: String)] = []
        var lineStart = bytes.startIndex
        while lineStart < headerEnd {
            let lineEnd = find([13, 10], in: bytes[..<headerEnd], from: lineStart) ?? headerEnd
            let line = bytes[lineStart..<lineEnd]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[..<colon].allSatisfy(isTokenByte)
            else { throw Malformed(reason: "部分头部格式错误") }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            headers.append((name, value))
            lineStart = lineEnd + 2
        }
        return FormPart(headers: headers, body: Array(bytes[bodyStart...]))
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    /// The first index at or after `from` where `needle` starts. Linear in practice: every needle starts with CR and
    /// holds at most two (a boundary holds none), so a comparison that gets past the first byte soon ends.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, from >= haystack.startIndex else { return nil }
        var i = from
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? { find(needle, in: haystack[...], from: from) }
}
