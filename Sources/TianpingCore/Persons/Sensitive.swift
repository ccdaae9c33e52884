/// A value that identifies or endangers a person (身份证号, 电话, 住址, 未成年人或被害人姓名).
///
/// The wrapper encodes and decodes exactly as the wrapped value, so the exchange format is unchanged,
/// but it never prints itself: `description`, string interpolation and `dump` show `«敏感信息»`, so a
/// sensitive field cannot leak into a log line by accident. Code that needs the value says `.value`.
public struct Sensitive<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable,
    CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// The wrapped value; read it only where it is really needed.
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public var description: String { "«敏感信息»" }
    public var debugDescription: String { "«敏感信息»" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Marks a model type that has sensitive fields, so masking and audit code can find them by name.
public protocol HasSensitiveFields {
    /// JSON field names (in the exchange payload) that hold personal or protected data.
    static var sensitiveFieldNames: [String] { get }
}
