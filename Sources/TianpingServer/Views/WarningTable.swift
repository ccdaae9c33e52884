/// The warning table of the overview, the list and the queue, built here rather than by mustache: a page holds
/// up to two hundred rows, and mustache's per-tag lookups (reflection, dynamic casts) made rendering the larger
/// part of a list request at a million cases (about 8 ms of 10 for 50 rows). Every value is escaped as mustache
/// would escape it.
enum WarningTable {
    static func html(_ rows: [WarningRow], caption: String, selectable: Bool) -> String {
        func e(_ s: String) -> String { HTMLText.escape(s) }
        var out = "<table>\n<caption>\(e(caption))</caption>\n<thead><tr>"
        if selectable { out += "<th scope=\"col\"><span class=\"muted\">选择</span></th>" }
        out += "<th scope=\"col\">等级</th><th scope=\"col\">案件</th><th scope=\"col\">责任单位</th><th scope=\"col\">状态</th>"
            + "<th scope=\"col\">风险发现</th><th scope=\"col\">最长超期</th><th scope=\"col\">本环节期限</th></tr></thead>\n<tbody>\n"
        for r in rows {
            out += "<tr>"
            if selectable {
                out += "<td><input type=\"checkbox\" name=\"ids\" value=\"\(e(r.id))\" id=\"sel-\(e(r.anchor))\" aria-label=\"选择预警 \(e(r.caseLabel))\""
                    + (r.pushable ? "" : " disabled") + "></td>"
            }
            out += "<td><span class=\"grade-\(e(r.grade))\">\(e(r.gradeName))</span></td>"
                + "<td><a href=\"/workbench/warnings/\(e(r.urlID))\">\(e(r.caseLabel))</a>"
                + (r.caseLabel == r.caseID ? "" : "<br><small class=\"muted\">\(e(r.caseID))</small>") + "</td>"
                + "<td>\(e(r.agencyName))</td><td>\(e(r.stateName))</td><td>\(r.findingCount)</td>"
                + "<td>\(r.overdueDays.map { "\($0) 天" } ?? "—")</td><td>"
            if let due = r.due {
                out += "<span class=\"\(r.dueOverdue ? "overdue" : "")\">\(e(due))\(r.dueOverdue ? "（已超期）" : "")</span>"
            } else {
                out += "—"
            }
            out += "</td></tr>\n"
        }
        if rows.isEmpty { out += "<tr><td colspan=\"\(selectable ? 8 : 7)\">没有符合条件的预警。</td></tr>\n" }
        return out + "</tbody></table>"
    }
}
