import Hummingbird
import TianpingStore

/// Every list in the API answers in the store's one page envelope (`items`, `page`, `pageSize`, `total`), its items
/// mapped to views — so a client pages cases, findings and warnings the same way.
extension Page: ResponseGenerator, ResponseEncodable where Item: Encodable {}
