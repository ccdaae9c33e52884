import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingStore

/// The plain landing page: what the platform is, what it holds, and where the API is.
/// The supervision workbench replaces it in a later release.
enum LandingPage {
    /// Without a signed-in caller allowed to see statistics, only the platform's name and the sign-in link.
    static func render(store: TianpingStore, principal: Principal?, csrf: String?) async throws -> HTML {
        guard let principal, principal.can(.readStatistics) else {
            return HTML(Layout.page(title: "天平 · 执法司法制约监督平台", principal: principal, csrf: csrf, body: """
                <p>汇聚公安、检察、法院、监狱共享的案件数据，让“数据监督案件”。</p>
                \(principal == nil ? "<p><a href=\"/login\">登录</a>后按您的角色与数据权限查看案件、风险与统计。</p>" : "<p>当前账户无统计查看权限。</p>")
                <p>公开的电子卷宗存证日志：<a href="/api/v1/ledger/checkpoint">最新签名检查点</a>，<a href="/api/v1/ledger/keys">日志公钥</a>。</p>
                """))
        }
        let stats = try await store.statistics(topChargeCount: 10, scope: principal.scope)
        func row(_ label: String, _ value: Int) -> String { "<tr><th scope=\"row\">\(escape(label))</th><td>\(value)</td></tr>" }
        let types = CaseType.allCases.map { row($0.chineseName + "案件", stats.casesByType[$0.rawValue] ?? 0) }.joined()
        let stages = CaseStage.allCases.map { row($0.chineseName, stats.casesByStage[$0.rawValue] ?? 0) }.joined()
        let charges = stats.topCharges.map { row($0.name, $0.count) }.joined()
        let quarantined = stats.openQuarantineByCode.values.reduce(0, +)
        return HTML("""
            <!doctype html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>天平 · 执法司法制约监督平台</title>
            <style>
            body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.6}
            h1{font-size:1.6rem;margin-bottom:.2rem} table{border-collapse:collapse;margin:1rem 0;min-width:20rem}
            th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left} td{text-align:right}
            .grid{display:flex;flex-wrap:wrap;gap:2rem} code{background:#f3f3f3;padding:0 .2rem}
            </style></head>
            <body>
            \(Layout.banner(principal: principal, csrf: csrf))
            <h1>天平 · 执法司法制约监督平台</h1>
            <p>汇聚公安、检察、法院、监狱共享的案件数据，让“数据监督案件”。数据范围：\(escape(principal.scope.chineseDescription))。</p>
            <p>案件总数 <strong>\(stats.cases)</strong>，机构 <strong>\(stats.agencies)</strong> 个，待处理隔离数据 <strong>\(quarantined)</strong> 条。</p>
            <div class="grid">
            <table><caption>按案件类型</caption>\(types)</table>
            <table><caption>按办理阶段</caption>\(stages)</table>
            <table><caption>常见罪名（刑事）</caption>\(charges)</table>
            </div>
            <h2>接口</h2>
            <ul>
            <li><a href="/api/v1/cases">/api/v1/cases</a> 案件列表（参数：type、region、charge、from、to、page、pageSize）</li>
            <li><code>/api/v1/cases/{案件编号}</code> 案件详情与跨部门时间线</li>
            <li><a href="/api/v1/agencies">/api/v1/agencies</a> 机构</li>
            <li><a href="/api/v1/stats">/api/v1/stats</a> 统计</li>
            <li><a href="/openapi.json">/openapi.json</a> OpenAPI 文档</li>
            <li><a href="/health">/health</a> 运行状态</li>
            </ul>
            </body></html>
            """)
    }

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

/// An HTML page response.
struct HTML: ResponseGenerator {
    let body: String

    init(_ body: String) { self.body = body }

    func response(from request: Request, context: some RequestContext) throws -> Response { response(status: .ok) }

    func response(status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
