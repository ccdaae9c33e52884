import TianpingCore

/// Reads typed fields out of a parsed JSON object, naming the field's full path in every error, the
/// way the quarantine reports it (`payload.attributes.approverLevel`).
struct FieldReader {
    let members: [(key: String, value: JSONValue)]
    let path: String

    init(_ value: JSONValue, path: String) throws {
        guard case .object(let members) = value else {
            throw Rejection(.schema, "字段 \(path.isEmpty ? "（记录）" : path) 类型错误，应为对象")
        }
        self.members = members
        self.path = path
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The value of a key, or `nil` when absent or `null`.
    func raw(_ key: String) -> JSONValue? {
        for m in members where m.key == key {
            if case .null = m.value { return nil }
            return m.value
        }
        return nil
    }

    func required(_ key: String) throws -> JSONValue {
        for m in members where m.key == key {
            if case .null = m.value { throw Rejection(.schema, "字段 \(fieldPath(key)) 不能为 null") }
            return m.value
        }
        throw Rejection(.schema, "缺少必填字段 \(fieldPath(key))")
    }

    func typeError(_ key: String, _ expected: String) -> Rejection {
        Rejection(.schema, "字段 \(fieldPath(key)) 类型错误，应为\(expected)")
    }

    func string(_ key: String) throws -> String {
        guard case .string(let s) = try required(key) else { throw typeError(key, "字符串") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = raw(key) else { return nil }
        guard case .string(let s) = v else { throw typeError(key, "字符串") }
        return s
    }

    static func integer(_ v: JSONValue) -> Int? {
        guard case .number(let n) = v else { return nil }
        if let i = Int(n) { return i }
        // 3.0 or 3e0 is an integer written another way, as Foundation's decoder accepts.
        if let d = Double(n), d.rounded() == d, abs(d) < 9e15 { return Int(d) }
        return nil
    }

    func int(_ key: String) throws -> Int {
        guard let i = Self.integer(try required(key)) else { throw typeError(key, "整数") }
        return i
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let v = raw(key) else { return nil }
        guard let i = Self.integer(v) else { throw typeError(key, "整数") }
        return i
    }

    func optionalNumber(_ key: String) throws -> Double? {
        guard let v = raw(key) else { return nil }
        guard case .number(let n) = v, let d = Double(n) else { throw typeError(key, "数值") }
        return d
    }

    func optionalObject(_ key: String) throws -> FieldReader? {
        guard let v = raw(key) else { return nil }
        return try FieldReader(v, path: fieldPath(key))
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let v = raw(key) else { return nil }
        guard case .bool(let b) = v else { throw typeError(key, "布尔值") }
        return b
    }

    func stringArray(_ key: String) throws -> [String] {
        guard case .array(let items) = try required(key) else { throw typeError(key, "数组") }
        return try items.enumerated().map { i, item in
            guard case .string(let s) = item else {
                throw Rejection(.schema, "字段 \(fieldPath(key))[\(i)] 类型错误，应为字符串")
            }
            return s
        }
    }

    func object(_ key: String) throws -> FieldReader { try FieldReader(try required(key), path: fieldPath(key)) }

    func objects(_ key: String) throws -> [FieldReader] {
        guard case .array(let items) = try required(key) else { throw typeError(key, "数组") }
        return try items.enumerated().map { try FieldReader($1, path: fieldPath(key) + "[\($0)]") }
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws -> E where E.RawValue == String {
        let s = try string(key)
        guard let value = E(rawValue: s) else { throw invalidEnumeration(key, s, type) }
        return value
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws -> E?
    where E.RawValue == String {
        guard let s = try optionalString(key) else { return nil }
        guard let value = E(rawValue: s) else { throw invalidEnumeration(key, s, type) }
        return value
    }

    func invalidEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ value: String, _ type: E.Type) -> Rejection
    where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        let list = allowed.count <= 12 ? "，允许：" + allowed.joined(separator: "、") : ""
        return Rejection(.invalidValue, "字段 \(fieldPath(key)) 的取值“\(value)”不在允许范围内\(list)")
    }

    func timestamp(_ key: String) throws -> Timestamp {
        let s = try string(key)
        guard let t = Timestamp(s) else {
            throw Rejection(.invalidDate, "字段 \(fieldPath(key)) 不是带时区的有效时间（应为 RFC 3339，如 2024-03-05T09:30:00+08:00）：\(s)")
        }
        return t
    }

    func date(_ key: String) throws -> CalendarDate {
        let s = try string(key)
        guard let d = CalendarDate(s) else { throw Rejection(.invalidDate, "字段 \(fieldPath(key)) 不是有效日期（应为 yyyy-MM-dd）：\(s)") }
        return d
    }

    func optionalDate(_ key: String) throws -> CalendarDate? {
        guard raw(key) != nil else { return nil }
        return try date(key)
    }

    func region(_ key: String) throws -> RegionCode {
        let s = try string(key)
        guard let r = RegionCode(s) else {
            throw Rejection(.invalidValue, "字段 \(fieldPath(key)) 不是有效的行政区划代码（GB/T 2260 六位结构）：\(s)")
        }
        return r
    }
}
