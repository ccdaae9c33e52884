import TianpingAccess
import TianpingCore
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
    var persons: [PersonView]
    /// The officials who handled the case (承办人员: the officers its events name), with their agencies.
    var officials: String
    var hasOfficials: Bool

    static func build(_ view: CaseDetailView, timeline: CaseTimeline?, engine: RuleEngine, catalogue: RuleCatalogue,
        findings: [StoredFinding], warnings: [StoredWarning], officials: [Person],
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
            persons: view.persons,
            officials: officials.map { "\($0.role.chineseName) \($0.name.value)（\(names.agency($0.agency ?? ""))）" }.joined(separator: "；"),
            hasOfficials: !officials.isEmpty)
    }
}
