import Foundation
import Hummingbird

/// A refusal shown to a person: the reason in Chinese, what it means, and links back — instead of a bare JSON body
/// the browser cannot leave. The API (`/api/…`) and any client that does not ask for HTML keep the JSON shape.
struct ErrorPage {
    var frame: Frame
    var status: Int
    var explanation: String
    var backHref: String?
    var code: String

    init(_ failure: APIFailure, request: Request) {
        let title: String
        switch failure.status.code {
        case 400: (title, explanation) = ("请求有误", "请检查地址或表单中填写的内容后重试。")
        case 401: (title, explanation) = ("请先登录", "登录后可继续访问。")
        case 403: (title, explanation) = ("无权访问", "您的角色或数据权限不包括此页面或此操作；如需访问，请联系本单位管理员。")
        case 404: (title, explanation) = ("未找到", "页面或记录不存在，或不在您的数据权限范围内。")
        case 409: (title, explanation) = ("无法执行此操作", "记录的状态已经变化，请返回刷新后再试。")
        case 413: (title, explanation) = ("提交的内容过大", "请缩小附件或分批提交。")
        case 429: (title, explanation) = ("操作过于频繁", "请稍后再试。")
        default: (title, explanation) = ("服务器出错", "请稍后再试；如果问题持续，请联系系统管理员并告知发生的时间。")
        }
        frame = Frame(title, path: "", principal: nil, csrf: nil, error: failure.message)
        status = Int(failure.status.code)
        code = failure.code
        backHref = Self.sameSitePath(request.headers[.referer])
    }

    /// The referring page when it is a path on this site (never another host).
    static func sameSitePath(_ referer: String?) -> String? {
        guard let referer, let range = referer.range(of: "://") else { return nil }
        let rest = referer[range.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let path = String(rest[slash...])
        return WebPages.safeNext(path) == path ? path : nil
    }

    func render(_ templates: Templates) throws -> HTML { try templates.render(self, "error") }
}
