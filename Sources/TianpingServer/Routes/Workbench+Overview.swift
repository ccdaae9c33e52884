import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// 驾驶舱: two kinds of lateness kept apart — a case past its statutory limit (办案超期) and a warning's step past
/// its deadline (流转超期) — the agencies with the most serious open warnings, the charts, and the worst items of each.
extension Workbench {
    struct OverviewPage {
        struct Chart {
            var id: String
            var caption: String
            var svg: String
        }

        struct Card {
            var value: Int
            var label: String
            var href: String?
            var alarm: Bool
        }

        var frame: Frame
        var scope: String
        var generatedAt: String
        var cards: [Card]
        var charts: [Chart]
        var caseLateTable: String
        var warningTable: String
    }

    func overview(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = context.now.secondsSinceEpoch
        let data = try await caches.overviews.overview(scope: principal.scope, now: now)
        let fragments = try await caches.renderedOverviews.fragments(scope: principal.scope, computedAt: data.computedAt) {
            try await overviewFragments(data.overview, principal: principal, at: data.computedAt)
        }
        let page = OverviewPage(
            frame: Frame("驾驶舱", path: "/workbench", principal: principal, csrf: context.csrfToken),
            scope: try await directory.names().scope(principal.scope), generatedAt: ChineseDates.minute(seconds: data.computedAt),
            cards: fragments.cards, charts: fragments.charts, caseLateTable: fragments.caseLateTable, warningTable: fragments.warningTable)
        // The overview lists warnings: a list read like any other.
        try await AccessAudit.list(store, request, context, count: fragments.listed)
        return try templates.render(page, "overview")
    }

    /// The cards, charts and tables of one computation of the overview, as of the moment it was computed.
    func overviewFragments(_ o: WorkbenchOverview, principal: Principal, at now: Int64) async throws -> RenderedOverviews.Fragments {
        let names = try await directory.names()
        let gradeColors = ["red": "#b00020", "orange": "#b35900", "yellow": "#b39b00"]
        let grades = WarningGrade.allCases.reversed().map {
            Charts.Bar(label: $0.chineseName, value: o.warningsByGrade[$0.rawValue] ?? 0, color: gradeColors[$0.rawValue]!,
                href: "/workbench/warnings?grade=\($0.rawValue)")
        }
        let caseLate = WarningGrade.allCases.reversed().map {
            Charts.Bar(label: $0.chineseName, value: o.caseLateByGrade[$0.rawValue] ?? 0, color: gradeColors[$0.rawValue]!,
                href: "/workbench/warnings?grade=\($0.rawValue)&late=1")
        }
        let states = WarningState.allCases.map {
            Charts.Bar(label: $0.chineseName, value: o.warningsByState[$0.rawValue] ?? 0, href: "/workbench/warnings?state=\($0.rawValue)")
        }
        let rules = o.topRules.map { Charts.Bar(label: ruleName($0.name), value: $0.count) }
        let kinds = FindingKind.allCases.compactMap { kind in
            o.findingsByKind[kind.rawValue].map { Charts.Bar(label: kind.chineseName, value: $0) }
        }.sorted { $0.value > $1.value }
        let agencies = o.warningsByAgency.map {
            Charts.Bar(label: names.agency($0.name), value: $0.count, href: "/workbench/warnings?agency=\($0.name)")
        }
        let serious = o.seriousByAgency.map {
            Charts.Bar(label: names.agency($0.name), value: $0.count, color: gradeColors["red"]!, href: "/workbench/warnings?agency=\($0.name)")
        }
        let cities = o.warningsByCity.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }.map {
            Charts.Bar(label: names.city($0.name), value: $0.count, href: "/workbench/warnings?region=\($0.name)")
        }
        let charts = [
            OverviewPage.Chart(id: "c-grade", caption: "在办预警按等级（件）", svg: Charts.bars(grades, labelledBy: "c-grade", labelWidth: 80)),
            .init(id: "c-late", caption: "办案超期的在办预警按等级（件）", svg: Charts.bars(caseLate, labelledBy: "c-late", labelWidth: 80)),
            .init(id: "c-state", caption: "预警按流转状态（件）", svg: Charts.bars(states, labelledBy: "c-state", labelWidth: 80)),
            .init(id: "c-kind", caption: "未销号风险发现按类型（条）", svg: Charts.bars(kinds, labelledBy: "c-kind", labelWidth: 110)),
            .init(id: "c-rule", caption: "未销号风险发现最多的规则（条）", svg: Charts.bars(rules, labelledBy: "c-rule", labelWidth: 260)),
            .init(id: "c-serious", caption: "红色、橙色在办预警最多的责任单位（件）", svg: Charts.bars(serious, labelledBy: "c-serious", labelWidth: 210)),
            .init(id: "c-agency", caption: "在办预警最多的责任单位（件）", svg: Charts.bars(agencies, labelledBy: "c-agency", labelWidth: 210)),
            .init(id: "c-city", caption: "在办预警按地区（件）", svg: Charts.bars(cities, labelledBy: "c-city", labelWidth: 110)),
            .init(id: "c-trend", caption: "风险发现按发生月份（近 12 个月，条）",
                svg: Charts.columns(Self.lastTwelveMonths(o.trend, now: now), labelledBy: "c-trend")),
        ]
        let caseNumbers = try await store.caseNumbers((o.mostOverdue + o.mostCaseLate).map(\.caseID))
        let caseLateTotal = o.caseLateByGrade.values.reduce(0, +)
        return RenderedOverviews.Fragments(
            cards: [
                .init(value: o.cases, label: "案件", href: nil, alarm: false),
                .init(value: o.openFindings, label: "未销号风险发现", href: nil, alarm: false),
                .init(value: o.openWarnings, label: "在办预警", href: "/workbench/warnings", alarm: false),
                .init(value: caseLateTotal, label: "办案超期预警（案件超过法定办案期限）", href: "/workbench/warnings?late=1", alarm: caseLateTotal > 0),
                .init(value: o.overdueWarnings, label: "流转超期预警（推送、核查、整改等环节超过处置期限）", href: "/workbench/warnings?overdue=1&sort=due",
                    alarm: o.overdueWarnings > 0),
            ],
            charts: charts,
            caseLateTable: WarningTable.html(o.mostCaseLate.map {
                WarningRow($0, names: names, now: now, principal: principal, caseNumbers: caseNumbers)
            }, caption: "办案超期最长的在办预警（前 10 条）", selectable: false),
            warningTable: WarningTable.html(o.mostOverdue.map {
                WarningRow($0, names: names, now: now, principal: principal, caseNumbers: caseNumbers)
            }, caption: "流转超期最久的在办预警（前 10 条，按期限先后）", selectable: false),
            listed: o.mostOverdue.count + o.mostCaseLate.count)
    }

    /// The twelve calendar months ending with the current one (Beijing time), months without findings as zero, each
    /// labelled in Chinese (`2026年1月`, then `2月` …).
    static func lastTwelveMonths(_ trend: [WorkbenchOverview.Month], now: Int64) -> [(String, Int)] {
        let counts = Dictionary(trend.map { ($0.month, $0.count) }, uniquingKeysWith: +)
        let today = Timestamp(secondsSinceEpoch: now).localDate
        return (0..<12).reversed().map { back -> (String, Int) in
            let total = today.year * 12 + (today.month - 1) - back
            let year = total / 12, month = total % 12 + 1
            let key = String(format: "%04d-%02d", year, month)
            let label = back == 11 || month == 1 ? "\(year)年\(month)月" : "\(month)月"
            return (label, counts[key] ?? 0)
        }
    }
}
