import Foundation
import TianpingCore

/// A record that passed decoding and the checks that need no stored state, with its canonical form.
public struct DecodedRecord: Sendable {
    public let record: ExchangeRecord
    /// The line in canonical form (``CanonicalJSON``): what is stored, and what the content hash covers, so
    /// the same content sent with other spacing, key order or escapes is recognised as the same.
    public let canonicalJSON: String
    /// SHA-256 of ``canonicalJSON``.
    public let contentHash: String
}

/// Turns one line of bytes into a ``DecodedRecord`` or a ``Rejection``. One instance per thread.
public struct RecordDecoder {
    private let decoder = JSONDecoder()
    private let validator: RecordValidator

    public init(now: Timestamp) {
        validator = RecordValidator(now: now)
    }

    public func decode(_ bytes: [UInt8]) -> Result<DecodedRecord, Rejection> {
        switch TextEncodingCheck.classify(bytes) {
        case .utf8: break
        case .probablyGBK:
            return .failure(Rejection(.encodingGBK, "该行不是 UTF-8 编码，疑似 GBK/GB18030（旧系统常见）。请将文件转换为 UTF-8 后重新报送，例如：iconv -f GB18030 -t UTF-8"))
        case .invalid:
            return .failure(Rejection(.encodingInvalid, "该行含有无效的 UTF-8 字节序列，无法作为文本读取"))
        }
        let record: ExchangeRecord
        do {
            record = try decoder.decode(ExchangeRecord.self, from: Data(bytes))
        } catch let unknown as ExchangeRecord.UnknownKind {
            let known = RecordKind.allCases.map(\.rawValue).joined(separator: "、")
            return .failure(Rejection(.unknownKind, "未知的记录类型 kind=\"\(unknown.kind)\"，允许的类型：\(known)"))
        } catch let error as DecodingError {
            return .failure(Self.describe(error))
        } catch {
            return .failure(Rejection(.malformedJSON, "无法解析：\(error)"))
        }
        if let problem = validator.check(record) { return .failure(problem) }
        do {
            let canonical = try CanonicalJSON.canonicalize(bytes)
            return .success(DecodedRecord(record: record, canonicalJSON: String(decoding: canonical, as: UTF8.self),
                contentHash: ContentHash.sha256Hex(canonical)))
        } catch {
            return .failure(Rejection(.malformedJSON, "无法规范化记录：\(error)"))
        }
    }

    /// Translates Foundation's decoding errors into a Chinese reason with the JSON path of the field.
    static func describe(_ error: DecodingError) -> Rejection {
        func path(_ keys: [any CodingKey], appending last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            let text = all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return Rejection(.schema, "缺少必填字段 \(path(context.codingPath, appending: key))")
        case .typeMismatch(let type, let context):
            return Rejection(.schema, "字段 \(path(context.codingPath)) 类型错误，应为\(typeName(type))")
        case .valueNotFound(let type, let context):
            return Rejection(.schema, "字段 \(path(context.codingPath)) 不能为 null（应为\(typeName(type))）")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
                return Rejection(.malformedJSON, "不是合法的 JSON：\(detail.prefix(200))")
            }
            let field = path(context.codingPath)
            let detail = context.debugDescription
            if detail.contains("日期") || detail.contains("时间") {
                return Rejection(.invalidDate, "字段 \(field) \(detail)")
            }
            if detail.contains("Cannot initialize") {
                return Rejection(.invalidValue, "字段 \(field) 的取值不在允许范围内（\(detail)）")
            }
            return Rejection(.invalidValue, "字段 \(field) 取值无效：\(detail)")
        @unknown default:
            return Rejection(.schema, "不符合数据交换格式：\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "字符串"
        case is Int.Type: return "整数"
        case is Bool.Type: return "布尔值"
        case is Double.Type: return "数字"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "数组" }
            if name.hasPrefix("Dictionary") { return "对象" }
            return "对象"
        }
    }
}
