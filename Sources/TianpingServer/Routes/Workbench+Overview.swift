import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// 驾驶舱: totals, overdue workflow items and the charts.
extension Workbench {
    struct OverviewPage {
        struct Chart {
            var id: String
            var caption: String
            var svg: String
        }

        var frame: Frame
        var scope: String
        var generatedAt: String
        var cases: Int
        var openFindings: Int
        var openWarnings: Int
        var overdueWarnings: Int
        var charts: [Chart]
        var warningTable: String
    }

    func overview(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = context.now.secondsSinceEpoch
        let data = try await caches.overviews.overview(scope: principal.scope, now: now)
        let names = try await directory.names()
        let gradeColors = ["red": "#b00020", "orange": "#b35900", "yellow": "#b39b00"]
        let grades = WarningGrade.allCases.reversed().map {
            Charts.Bar(label: $0.chineseName, value: data.overview.warningsByGrade[$0.rawValue] ?? 0, color: gradeColors[$0.rawValue]!,
                href: "/workbench/warnings?grade=\($0.rawValue)")
        }
        let states = WarningState.allCases.map {
            Charts.Bar(label: $0.chineseName, value: data.overview.warningsByState[$0.rawValue] ?? 0, href: "/workbench/warnings?state=\($0.rawValue)")
        }
        let rules = data.overview.topRules.map { Charts.Bar(label: "\($0.name) \(ruleName($0.name))".prefix(16).description, value: $0.count) }
        let kinds = FindingKind.allCases.compactMap { kind in
            data.overview.findingsByKind[kind.rawValue].map { Charts.Bar(label: kind.chineseName, value: $0) }
        }
        let agencies = data.overview.warningsByAgency.map {
            Charts.Bar(label: names.agency($0.name), value: $0.count, href: "/workbench/warnings?agency=\($0.name)")
        }
        let cities = data.overview.warningsByCity.map {
            Charts.Bar(label: names.city($0.name), value: $0.count, href: "/workbench/warnings?region=\($0.name)")
        }
        let charts = [
            OverviewPage.Chart(id: "c-grade", caption: "在办预警按等级", svg: Charts.bars(grades, labelledBy: "c-grade", labelWidth: 80)),
            .init(id: "c-state", caption: "预警按流转状态", svg: Charts.bars(states, labelledBy: "c-state", labelWidth: 80)),
            .init(id: "c-kind", caption: "未销号风险发现按类型", svg: Charts.bars(kinds, labelledBy: "c-kind", labelWidth: 110)),
            .init(id: "c-rule", caption: "未销号风险发现最多的规则", svg: Charts.bars(rules, labelledBy: "c-rule", labelWidth: 210)),
            .init(id: "c-agency", caption: "在办预警最多的责任单位", svg: Charts.bars(agencies, labelledBy: "c-agency", labelWidth: 210)),
            .init(id: "c-city", caption: "在办预警按地区", svg: Charts.bars(cities, labelledBy: "c-city", labelWidth: 110)),
            .init(id: "c-trend", caption: "风险发现按发生月份（近 12 个有数据的月份）",
                svg: Charts.columns(data.overview.trend.map { ($0.month, $0.count) }, labelledBy: "c-trend")),
        ]
        let caseNumbers = try await store.caseNumbers(data.overview.mostOverdue.map(\.caseID))
        let page = OverviewPage(
            frame: Frame("驾驶舱", path: "/workbench", principal: principal, csrf: context.csrfToken),
            scope: principal.scope.chineseDescription, generatedAt: ChineseDates.minute(seconds: data.computedAt),
            cases: data.overview.cases, openFindings: data.overview.openFindings, openWarnings: data.overview.openWarnings,
            overdueWarnings: data.overview.overdueWarnings, charts: charts,
            warningTable: WarningTable.html(data.overview.mostOverdue.map {
                WarningRow($0, names: names, now: now, principal: principal, caseNumbers: caseNumbers)
            },
                caption: "超期时间最长的在办预警（前 10 条）", selectable: false))
        // The overview lists the most overdue warnings: a list read like any other.
        try await AccessAudit.list(store, request, context, count: data.overview.mostOverdue.count)
        return try templates.render(page, "overview")
    }
}
