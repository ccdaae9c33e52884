import Foundation
import Hummingbird

/// The reason a caller states for an audited act (unmasking, a dossier export), read from the request body — a JSON
/// object `{"reason": …}` or a form field — never from the URL, which proxies and browser histories keep. Runs of
/// whitespace, line breaks and control characters become one space, so that a reason cannot be blank lines or
/// forge further lines in the audit; what remains must be 4 to 500 characters.
enum StatedReason {
    static let minimumLength = 4
    static let maximumLength = 500

    static func read(_ request: Request, _ context: TianpingRequestContext, refusal: String) async throws -> String {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let text: String?
        if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
            text = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["reason"] as? String
        } else {
            text = try FormFields(body, contentType: request.headers[.contentType])["reason"]
        }
        guard let reason = text.map(normalized), (minimumLength...maximumLength).contains(reason.count) else {
            throw APIFailure(.badRequest, code: "reason_required", message: refusal)
        }
        return reason
    }

    /// Whitespace and control characters collapsed to single spaces, trimmed.
    static func normalized(_ text: String) -> String {
        let separators = CharacterSet.whitespacesAndNewlines.union(.controlCharacters).union(.illegalCharacters)
        return text.unicodeScalars.split(whereSeparator: { separators.contains($0) }).map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }
}
