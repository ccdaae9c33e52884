/// Stored data that cannot be read back as written.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case corrupt(String)
    /// A value the caller gave that the store refuses (the message says why, in Chinese).
    case invalid(String)

    public var description: String {
        switch self {
        case .corrupt(let what), .invalid(let what): return what
        }
    }
}
