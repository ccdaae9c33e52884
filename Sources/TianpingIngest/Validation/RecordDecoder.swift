import TianpingCore

/// A record that passed decoding and the checks that need no stored state, with its canonical form.
public struct DecodedRecord: Sendable {
    public let record: ExchangeRecord
    /// The line in canonical form (``JSONValue/canonicalBytes``): what is stored, and what the content hash
    /// covers, so the same content sent with other spacing, key order or escapes is recognised as the same.
    public let canonicalJSON: String
    /// SHA-256 of ``canonicalJSON``.
    public let contentHash: String
}

/// Turns one line of bytes into a ``DecodedRecord`` or a ``Rejection``.
public struct RecordDecoder: Sendable {
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
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch let error as JSONValue.Malformed {
            return .failure(Rejection(.malformedJSON, "不是合法的 JSON：第 \(error.offset + 1) 字节处无法解析"))
        } catch {
            return .failure(Rejection(.malformedJSON, "不是合法的 JSON：\(error)"))
        }
        let record: ExchangeRecord
        do {
            record = try ExchangeRecord(json: json)
        } catch let rejection as Rejection {
            return .failure(rejection)
        } catch {
            return .failure(Rejection(.schema, "不符合数据交换格式：\(error)"))
        }
        if let problem = validator.check(record) { return .failure(problem) }
        let canonical = json.canonicalBytes
        return .success(DecodedRecord(record: record, canonicalJSON: String(decoding: canonical, as: UTF8.self),
            contentHash: ContentHash.sha256Hex(canonical)))
    }
}
