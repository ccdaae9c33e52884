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
        var comparison: Comparison
        var periods: [Choice]
        var charts: [Chart]
        var caseLateTable: String
        var warningTable: String
    }

    /// A period's findings beside the one before it (环比) and the same period a year before (同比).
    struct Comparison {
        var period: String
        var current: Int
        var previousLabel: String
        var previous: Int
        var chain: String
        var yearAgoLabel: String
        var yearAgo: Int
        var yearOnYear: String
    }

    enum Period: String, CaseIterable {
        case month, quarter, year

        var chineseName: String { self == .month ? "月" : self == .quarter ? "季度" : "年" }
        var months: Int { self == .month ? 1 : self == .quarter ? 3 : 12 }
    }

    /// Findings by month of occurrence summed over the last complete period before `now` (a part-period would be
    /// compared with whole ones), the period before it (环比) and the same period a year earlier (同比); a change is a
    /// percentage, or "—" when the base is zero.
    static func compare(_ trend: [WorkbenchOverview.Month], period: Period, now: Int64) -> Comparison {
        let counts = Dictionary(trend.map { ($0.month, $0.count) }, uniquingKeysWith: +)
        let today = Timestamp(secondsSinceEpoch: now).localDate
        let monthIndex = today.year * 12 + today.month - 1
        let first = monthIndex - (today.month - 1) % period.months - period.months
        func sum(from start: Int) -> Int {
            (start..<(start + period.months)).reduce(0) { $0 + (counts[String(format: "%04d-%02d", $1 / 12, $1 % 12 + 1)] ?? 0) }
        }
        func label(_ start: Int) -> String {
            let year = start / 12, month = start % 12 + 1
            switch period {
            case .month: return "\(year)年\(month)月"
            case .quarter: return "\(year)年第\((month - 1) / 3 + 1)季度"
            case .year: return "\(year)年"
            }
        }
        func change(_ now: Int, _ base: Int) -> String {
            guard base > 0 else { return "—" }
            let pct = Int((Double(now - base) / Double(base) * 100).rounded())
            return (pct > 0 ? "+" : "") + "\(pct)%"
        }
        let current = sum(from: first), previous = sum(from: first - period.months), yearAgo = sum(from: first - 12)
        return Comparison(period: label(first), current: current, previousLabel: label(first - period.months), previous: previous,
            chain: change(current, previous), yearAgoLabel: label(first - 12), yearAgo: yearAgo, yearOnYear: change(current, yearAgo))
    }

    func overview(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = context.now.secondsSinceEpoch
        let period = try QueryParameters.choice(request.uri.queryParameters["period"], "period", as: Period.self) ?? .month
        let data = try await caches.overviews.overview(scope: principal.scope, now: now)
        let fragments = try await caches.renderedOverviews.fragments(scope: principal.scope, computation: data.id) {
            try await overviewFragments(data.overview, principal: principal, at: data.computedAt)
        }
        let page = OverviewPage(
            frame: Frame("驾驶舱", path: "/workbench", principal: principal, csrf: context.csrfToken),
            scope: try await directory.names().scope(principal.scope), generatedAt: ChineseDates.minute(seconds: data.computedAt),
            cards: fragments.cards, comparison: Self.compare(data.overview.trend, period: period, now: now),
            periods: Period.allCases.map { Choice(value: $0.rawValue, label: "按" + $0.chineseName, selected: $0 == period) },
            charts: fragments.charts, caseLateTable: fragments.caseLateTable, warningTable: fragments.warningTable)
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
                href: "/workbench/warnings?grade=\($0.rawValue)&late=1&open=1")
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
                .init(value: caseLateTotal, label: "办案超期预警（案件超过法定办案期限）", href: "/workbench/warnings?late=1&open=1", alarm: caseLateTotal > 0),
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
