import Foundation

/// Where a store keeps its data.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file (created if missing), in WAL mode. The embedded default.
    case sqlite(path: String)
    /// A PostgreSQL database, `postgres://user:password@host:port/database`.
    case postgres(url: String)

    /// Reads a `--database` argument: a `postgres://` or `postgresql://` URL, otherwise an SQLite path.
    public init(argument: String) {
        if argument.hasPrefix("postgres://") || argument.hasPrefix("postgresql://") {
            self = .postgres(url: argument)
        } else {
            self = .sqlite(path: argument)
        }
    }

    /// A description without the password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return "PostgreSQL" }
            return "PostgreSQL " + url[..<scheme.upperBound] + "…" + url[at...]
        }
    }
}

/// The SQL dialect in use; branches exist only where SQL really differs.
public enum StoreDialect: String, Sendable {
    case sqlite
    case postgres
}
