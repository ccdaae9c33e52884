import TianpingAccess
import TianpingCore
import TianpingStore

/// The frame of every HTML page: language, styles (no external fonts or CDNs), the signed-in banner with a
/// sign-out form that carries the CSRF token.
enum Layout {
    static func page(title: String, principal: Principal?, csrf: String?, body: String) -> String {
        """
        <!doctype html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(LandingPage.escape(title))</title>
        <style>
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.6}
        h1{font-size:1.5rem} table{border-collapse:collapse;margin:1rem 0} th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left}
        label{display:block;margin:.6rem 0 .2rem} input,textarea{font:inherit;padding:.3rem;min-width:18rem}
        button{font:inherit;padding:.3rem 1rem} .error{color:#a40000;font-weight:bold} .banner{border-bottom:1px solid #ccc;padding-bottom:.4rem}
        .banner form{display:inline}
        </style></head>
        <body>
        \(banner(principal: principal, csrf: csrf))
        <h1>\(LandingPage.escape(title))</h1>
        \(body)
        </body></html>
        """
    }

    static func banner(principal: Principal?, csrf: String?) -> String {
        guard let principal else { return "<p class=\"banner\"><a href=\"/\">天平</a> · <a href=\"/login\">登录</a></p>" }
        let signOut = csrf.map {
            "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"_csrf\" value=\"\(LandingPage.escape($0))\"><button type=\"submit\">退出</button></form>"
        } ?? ""
        return "<p class=\"banner\"><a href=\"/\">天平</a> · 当前用户：\(LandingPage.escape(principal.name))（\(LandingPage.escape(principal.role?.chineseName ?? "接口令牌"))，\(LandingPage.escape(principal.agency))） \(signOut)</p>"
    }

    static func signIn(error: String?, csrf: String, next: String) -> String {
        """
        \(error.map { "<p class=\"error\" role=\"alert\">\(LandingPage.escape($0))</p>" } ?? "")
        <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="\(LandingPage.escape(csrf))">
        <input type="hidden" name="next" value="\(LandingPage.escape(next))">
        <label for="username">用户名</label><input id="username" name="username" autocomplete="username" required>
        <label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <label for="code">动态验证码（已启用双因素认证的账户填写）</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code">
        <p><button type="submit">登录</button></p>
        </form>
        """
    }

    static func audit(_ entries: [AuditEntry], signals: [AccessSignal]) -> String {
        let signalList = signals.isEmpty ? "<p>近 24 小时无异常访问信号。</p>"
            : "<ul>" + signals.map { "<li>\(LandingPage.escape($0.message))</li>" }.joined() + "</ul>"
        let rows = entries.map { e in
            let cells = [Timestamp(secondsSinceEpoch: e.at).description, e.actor, e.role, e.agency, e.action.chineseName, e.caseID ?? e.target ?? "",
                e.reason ?? "", e.address ?? "", e.outcome]
            return "<tr>" + cells.map { "<td>\(LandingPage.escape($0))</td>" }.joined() + "</tr>"
        }.joined()
        return """
            <h2>异常访问信号</h2>\(signalList)
            <table><caption>访问审计（最近 \(entries.count) 条）</caption><thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">角色</th><th scope="col">单位</th><th scope="col">操作</th><th scope="col">对象</th><th scope="col">理由</th><th scope="col">地址</th><th scope="col">结果</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }
}
