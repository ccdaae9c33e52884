import Hummingbird

/// An HTML page response.
struct HTML: ResponseGenerator {
    let body: String

    init(_ body: String) { self.body = body }

    func response(from request: Request, context: some RequestContext) throws -> Response { response(status: .ok) }

    func response(status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Escaping for the few strings written into HTML or SVG outside mustache (which escapes `{{…}}` itself).
enum HTMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
