import Hummingbird
import TianpingCore

/// Reading and checking query parameters the same way on every route, with the same Chinese errors.
enum QueryParameters {
    /// An integer within `range`, or `value` when absent.
    static func int(_ raw: Substring?, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw else { return value }
        guard let n = Int(raw), range.contains(n) else {
            throw APIFailure(.badRequest, code: "invalid_parameter",
                message: "参数 \(name) 应为 \(range.lowerBound) 到 \(range.upperBound) 之间的整数")
        }
        return n
    }

    /// A date (`yyyy-MM-dd`, its first instant) or an RFC 3339 time; `nil` when absent.
    static func moment(_ raw: Substring?, _ name: String) throws -> Timestamp? {
        guard let raw else { return nil }
        if let date = CalendarDate(raw) { return Timestamp(year: date.year, month: date.month, day: date.day) }
        if let t = Timestamp(raw) { return t }
        throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 \(name) 应为日期（yyyy-MM-dd）或带时区的时间")
    }

    /// One of an enumeration's raw values, or `nil` when absent.
    static func choice<T: RawRepresentable & CaseIterable>(_ raw: Substring?, _ name: String, as: T.Type) throws -> T?
    where T.RawValue == String {
        guard let raw else { return nil }
        guard let value = T(rawValue: String(raw)) else {
            throw APIFailure(.badRequest, code: "invalid_parameter",
                message: "参数 \(name) 应为 \(T.allCases.map(\.rawValue).joined(separator: "、")) 之一")
        }
        return value
    }
}
