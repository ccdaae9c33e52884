import Foundation
import Hummingbird
import HummingbirdCore

extension URI {
    /// The query as an HTML form sends it with `method="get"` (application/x-www-form-urlencoded): a `+` is a space.
    /// Hummingbird's `queryParameters` decodes percent-escapes only, so a typed space would reach a page as `+`.
    var formParameters: FlatDictionary<Substring, Substring> {
        guard let query else { return FlatDictionary() }
        return FlatDictionary(FormFields.urlEncodedPairs(query).map { (Substring($0.key), Substring($0.value)) })
    }
}
