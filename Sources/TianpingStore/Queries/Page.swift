/// A page of results with the total count: the one envelope every list — cases, findings, warnings — is returned in,
/// by the store and, mapped to its views, by the API.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// 1-based.
    public var page: Int
    public var pageSize: Int
    /// Rows matching the query across all pages.
    public var total: Int

    public init(items: [Item], page: Int, pageSize: Int, total: Int) {
        self.items = items
        self.page = page
        self.pageSize = pageSize
        self.total = total
    }

    /// The same page with each item transformed (a stored row to its masked view), counts unchanged.
    public func map<T: Sendable>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), page: page, pageSize: pageSize, total: total)
    }
}

extension Page: Encodable where Item: Encodable {}
extension Page: Decodable where Item: Decodable {}
