import Foundation
import Hummingbird
import Mustache
import TianpingAccess

/// The workbench's mustache templates (`Resources/templates`), parsed once when the routes are built. Every
/// `{{value}}` is HTML-escaped by mustache; only server-built SVG goes through `{{{…}}}`.
struct Templates: Sendable {
    let library: MustacheLibrary

    static func load() throws -> Templates {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources") else {
            throw TemplateError.missing("templates")
        }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        return Templates(library: library)
    }

    func render(_ page: Any, _ name: String) throws -> HTML {
        guard let html = library.render(page, withTemplate: name) else { throw TemplateError.missing(name) }
        return HTML(html)
    }
}

enum TemplateError: Error, CustomStringConvertible {
    case missing(String)
    var description: String {
        switch self {
        case .missing(let name): return "页面模板 \(name) 不存在"
        }
    }
}

/// What every workbench page shows around its content: title, navigation by permission, the signed-in user with a
/// sign-out form carrying the CSRF token, and a notice or error from the last action.
struct Frame {
    struct NavItem {
        var href: String
        var label: String
        var current: Bool
    }

    struct User {
        var name: String
        var roleName: String
        var agency: String
        var csrf: String
    }

    var title: String
    var nav: [NavItem]
    var user: User?
    var notice: String?
    var error: String?
    /// The navigation's search box (案号, name, identity number), for a role that reads cases.
    var canSearch: Bool

    init(_ title: String, path: String, principal: Principal?, csrf: String?, notice: String? = nil, error: String? = nil) {
        self.title = title
        self.notice = notice
        self.error = error
        canSearch = principal?.can(.readCases) == true
        var items: [(String, String)] = []
        if principal?.can(.readFindings) == true {
            items += [("/workbench", "驾驶舱"), ("/workbench/warnings", "风险预警"), ("/workbench/queue", "本单位待办"), ("/workbench/rules", "规则目录"),
                ("/workbench/sentencing", "量刑测算"), ("/workbench/similar-cases", "类案检索"), ("/workbench/commutation", "减刑假释测算")]
        }
        if principal?.can(.readAudit) == true { items.append(("/admin/audit", "访问审计")) }
        nav = items.map { NavItem(href: $0.0, label: $0.1, current: $0.0 == path) }
        user = principal.map {
            User(name: $0.name, roleName: $0.role?.chineseName ?? "接口令牌", agency: $0.agency, csrf: csrf ?? "")
        }
    }
}
