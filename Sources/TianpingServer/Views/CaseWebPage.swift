import Foundation
import TianpingAccess
import TianpingCore
import TianpingExecution
import TianpingRules
import TianpingStore
import TianpingWorkflow

/// A case's page: its cross-agency timeline (each statutory clock beside its legal limit), findings with their
/// citations, warnings, documents and parties — masked unless the caller unmasked them for a stated reason.
struct CaseWebPage {
    struct StageRow {
        var ruleID: String
        var action: String
        var started: String
        var due: String
        var ended: String
        var statusText: String
        var statusClass: String
    }

    /// One convict's execution: where, the term, each commutation, and the calculator filled in with it.
    struct ExecutionRow {
        var convict: String
        var facility: String
        var term: String
        var delivered: String
        var status: String
        var commutations: [CommutationRow]
        var hasCommutations: Bool
        /// The parole granted, if any (ruling number and dates).
        var parole: String?
        var calculatorHref: String?
    }

    struct CommutationRow { var number: String; var proposed: String; var ruled: String; var served: String; var change: String; var grounds: String }

    struct DocumentRow {
        var typeName: String
        var title: String
        var number: String
        var issuer: String
        var issued: String
    }

    var frame: Frame
    var caseID: String
    var caseNumber: String
    var title: String
    var region: String
    var unmasked: Bool
    var canUnmask: Bool
    /// The parties' CSV is an export: shown only to a role that may export.
    var canExport: Bool
    var csrf: String
    var stageCount: Int
    var timelineSVG: String
    var stages: [StageRow]
    var findings: [Workbench.FindingRow]
    var warnings: [WarningRow]
    var documents: [DocumentRow]
    var executions: [ExecutionRow]
    var hasExecutions: Bool
    var persons: [PersonView]
    /// The officials who handled the case (承办人员: the officers its events name), with their agencies.
    var officials: String
    var hasOfficials: Bool

    static func build(_ view: CaseDetailView, timeline: CaseTimeline?, engine: RuleEngine, catalogue: RuleCatalogue,
        commutation: CommutationReview, findings: [StoredFinding], warnings: [StoredWarning], officials: [Person],
        names: AgencyDirectory.Names, principal: Principal, csrf: String?, now: Int64) -> CaseWebPage
    {
        let asOf = Timestamp(secondsSinceEpoch: now)
        let bars = timeline.map { engine.stageBars($0, asOf: asOf) } ?? []
        let ruleNames = Dictionary(catalogue.entries.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let stages = bars.map { bar -> StageRow in
            let text: String
            let css: String
            switch bar.status {
            case .onTime: (text, css) = ("期限内结束", "ok")
            case .late: (text, css) = ("超期 " + Charts.days(bar.endedAt!.secondsSinceEpoch - bar.dueAt.secondsSinceEpoch), "overdue")
            case .running: (text, css) = ("计时中，剩余 " + Charts.days(bar.secondsLeft ?? 0), "")
            case .runningOverdue: (text, css) = ("计时中，已超期 " + Charts.days(-(bar.secondsLeft ?? 0)), "overdue")
            }
            return StageRow(ruleID: bar.ruleID, action: bar.action, started: ChineseDates.minute(bar.startedAt), due: ChineseDates.minute(bar.dueAt),
                ended: bar.endedAt.map(ChineseDates.minute) ?? "—", statusText: text, statusClass: css)
        }
        let unmasked = view.persons.contains { $0.unmasked }
        let executions = executionRows(view, timeline: timeline, commutation: commutation, names: names)
        return CaseWebPage(
            frame: Frame("案件 " + (view.summary.caseNumber ?? view.summary.id), path: "", principal: principal, csrf: csrf),
            caseID: view.summary.id, caseNumber: view.summary.caseNumber ?? "（暂无案号）",
            title: view.summary.title, region: view.summary.region, unmasked: unmasked,
            canUnmask: principal.can(.unmask) && !unmasked, canExport: principal.can(.exportDossiers), csrf: csrf ?? "", stageCount: bars.count,
            timelineSVG: Charts.timeline(bars, names: ruleNames, asOf: asOf, labelledBy: "timeline-caption"), stages: stages,
            findings: findings.map {
                Workbench.FindingRow(ruleID: $0.finding.ruleID, ruleName: catalogue.name($0.finding.ruleID), severityName: $0.finding.severity.chineseName,
                    explanation: $0.finding.explanation, citation: $0.finding.citation, statusName: $0.status == .open ? "未销号" : "已销号")
            },
            warnings: warnings.map {
                WarningRow($0, names: names, now: now, principal: principal, caseNumbers: [view.summary.id: view.summary.caseNumber ?? view.summary.id])
            },
            documents: view.documents.map {
                DocumentRow(typeName: $0.typeName, title: $0.title ?? "", number: $0.number ?? "", issuer: names.agency($0.issuer),
                    issued: ChineseDates.day($0.issuedAt))
            },
            executions: executions, hasExecutions: !executions.isEmpty,
            persons: view.persons,
            officials: officials.map { "\($0.role.chineseName) \($0.name.value)（\(names.agency($0.agency ?? ""))）" }.joined(separator: "；"),
            hasOfficials: !officials.isEmpty)
    }

    /// The execution records as the page shows them: the masked view's texts, and a link to 减刑假释测算 filled in from
    /// the stored record (dates, term, the judgment's categories, commutations — no name, age or health in the link).
    static func executionRows(_ view: CaseDetailView, timeline: CaseTimeline?, commutation: CommutationReview,
        names: AgencyDirectory.Names) -> [ExecutionRow]
    {
        let statuses = ["serving": "在押服刑", "paroled": "假释", "temporarily_outside": "暂予监外执行", "released": "刑满释放",
            "community_correction": "社区矫正"]
        return view.executions.map { x in
            let stored = timeline?.executions.first { $0.convict == x.convict }
            let href = stored.flatMap { s in timeline.flatMap { commutation.query(for: s, in: $0) } }.map { full -> String in
                // Age and health (minor, elderlyOrInfirm) are not shown on the masked page and do not travel in a URL.
                var q = full
                q.categories.removeAll { $0 == PrisonerCategory.minor.rawValue || $0 == PrisonerCategory.elderlyOrInfirm.rawValue }
                return "/workbench/commutation?" + CommutationForm(q).fields.map { "\($0.name)=\(Self.formEncoded($0.value))" }.joined(separator: "&")
            }
            let rows = x.commutations.map { c in
                CommutationRow(number: c.rulingNumber, proposed: c.proposedOn.map(ChineseDates.day) ?? "—", ruled: ChineseDates.day(c.ruledAt),
                    served: c.servedOn.map(ChineseDates.day) ?? "—",
                    change: c.reducedToMonths.map { "减为有期徒刑" + CommutationCalculator.months($0) } ?? "减去" + CommutationCalculator.months(c.reductionMonths ?? 0),
                    grounds: c.grounds?.chineseName ?? "—")
            }
            return ExecutionRow(convict: view.persons.first { $0.id == x.convict }?.name ?? x.convict, facility: names.agency(x.facility),
                term: "\(ChineseDates.day(x.termStart)) 至 " + (x.termEnd.map(ChineseDates.day) ?? "—"),
                delivered: x.deliveredOn.map(ChineseDates.day) ?? "—", status: statuses[x.status] ?? x.status, commutations: rows,
                hasCommutations: !rows.isEmpty,
                parole: x.parole.map { p in
                    "假释：\(p.rulingNumber)，\(ChineseDates.day(p.ruledAt)) 裁定" + (p.servedOn.map { "，\(ChineseDates.day($0)) 送达" } ?? "")
                },
                calculatorHref: href)
        }
    }

    /// A form value in a link: everything but ASCII letters, digits and `-._~` percent-encoded (RFC 3986's unreserved).
    static func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
