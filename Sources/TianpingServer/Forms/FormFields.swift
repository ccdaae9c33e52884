import Foundation
import Hummingbird
import MultipartKit
import NIOHTTP1
import TianpingStore

/// The fields of an HTML form: `application/x-www-form-urlencoded`, or `multipart/form-data` (a form with a file),
/// whose text fields are read here and whose files are kept as parts.
struct FormFields {
    private var values: [String: [String]] = [:]
    /// The parts of a multipart body (files included); empty for an urlencoded one.
    private(set) var parts: [MultipartPart] = []

    init(_ body: ByteBuffer, contentType: String? = nil) {
        if let contentType, let boundary = Self.boundary(contentType), let parts = try? MultipartParser.parts(body, boundary: boundary) {
            self.parts = parts
            for part in parts where part.filename == nil {
                if let name = part.name { values[name, default: []].append(String(decoding: part.body.readableBytesView, as: UTF8.self)) }
            }
            return
        }
        for pair in String(buffer: body).split(separator: "&") {
            let pieces = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let key = pieces.first { values[key, default: []].append(pieces.count > 1 ? pieces[1] : "") }
        }
    }

    /// The first value of a field.
    subscript(_ key: String) -> String? { values[key]?.first }

    /// Every value of a field that repeats (checkboxes).
    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// The first non-empty file sent in a field, as an attachment to validate and store.
    func file(_ key: String) -> NewAttachment? {
        parts.first { $0.name == key && !($0.filename ?? "").isEmpty && $0.body.readableBytes > 0 }.map {
            NewAttachment(filename: $0.filename ?? "", contentType: $0.headers.first(name: "Content-Type") ?? "application/octet-stream",
                data: Array($0.body.readableBytesView))
        }
    }

    static func boundary(_ contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data",
            let boundary = fields.first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
        else { return nil }
        return String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

extension MultipartParser {
    /// Every part of a multipart body, through MultipartKit's parser.
    static func parts(_ body: ByteBuffer, boundary: String) throws -> [MultipartPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var collected = ByteBuffer()
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in collected.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: collected))
            headers = HTTPHeaders()
            collected = ByteBuffer()
        }
        try parser.execute(body)
        return parts
    }
}

extension MultipartPart {
    /// The `filename` of the part's Content-Disposition (browsers send UTF-8 between quotes), `nil` for a text field.
    var filename: String? {
        guard let disposition = headers.first(name: "Content-Disposition") else { return nil }
        for field in disposition.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if field.lowercased().hasPrefix("filename*=utf-8''") {
                return String(field.dropFirst("filename*=utf-8''".count)).removingPercentEncoding
            }
            if field.lowercased().hasPrefix("filename=") {
                var value = String(field.dropFirst("filename=".count))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                return value
            }
        }
        return nil
    }
}
