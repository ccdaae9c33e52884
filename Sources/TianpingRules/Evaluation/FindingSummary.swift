import Foundation
import TianpingCore

/// Counts of findings by rule, agency, severity and kind, with the running clocks by status: what `tianping analyze` prints.
public struct FindingSummary: Sendable, Codable {
    public var cases: Int
    public var findings: Int
    public var byRule: [String: Int]
    public var byAgency: [String: Int]
    public var bySeverity: [String: Int]
    public var byKind: [String: Int]
    public var clocksByStatus: [String: Int]

    public init() {
        cases = 0
        findings = 0
        byRule = [:]
        byAgency = [:]
        bySeverity = [:]
        byKind = [:]
        clocksByStatus = [:]
    }

    public mutating func add(_ evaluation: CaseEvaluation) {
        cases += 1
        add(findings: evaluation.findings)
        for c in evaluation.clocks { clocksByStatus[c.status.rawValue, default: 0] += 1 }
    }

    /// Findings raised outside a case's own evaluation (leads that compare cases), counted without a case.
    public mutating func add(findings list: [Finding]) {
        findings += list.count
        for f in list {
            byRule[f.ruleID, default: 0] += 1
            byAgency[f.agency ?? "（未知）", default: 0] += 1
            bySeverity[f.severity.rawValue, default: 0] += 1
            byKind[f.kind.rawValue, default: 0] += 1
        }
    }

    public mutating func merge(_ other: FindingSummary) {
        cases += other.cases
        findings += other.findings
        byRule.merge(other.byRule, uniquingKeysWith: +)
        byAgency.merge(other.byAgency, uniquingKeysWith: +)
        bySeverity.merge(other.bySeverity, uniquingKeysWith: +)
        byKind.merge(other.byKind, uniquingKeysWith: +)
        clocksByStatus.merge(other.clocksByStatus, uniquingKeysWith: +)
    }

    /// A text report; rule names and grades come from the catalogue (a family whose grade each finding carries shows
    /// the family's name instead).
    public func table(catalogue: RuleCatalogue, topAgencies: Int = 15) -> String {
        var lines = ["分析案件 \(cases) 件，发现 \(findings) 条（违规 \(byKind["violation"] ?? 0)，风险线索 \(byKind["signal"] ?? 0)）", "", "按规则："]
        for (rule, n) in byRule.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            let label = catalogue.entry(rule).map { "\($0.name)（\($0.grade.map { "\($0.rawValue)级" } ?? $0.family.chineseName)）" } ?? "（?级）"
            lines.append("  \(rule.padding(toLength: 26, withPad: " ", startingAt: 0))\(String(n).leftPadded(7))  \(label)")
        }
        lines.append("按严重程度：" + Severity.allCases.reversed().map { "\($0.chineseName) \(bySeverity[$0.rawValue] ?? 0)" }.joined(separator: "，"))
        lines.append("按责任单位（前\(topAgencies)）：")
        for (agency, n) in byAgency.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(topAgencies) {
            lines.append("  \(agency.padding(toLength: 14, withPad: " ", startingAt: 0))\(String(n).leftPadded(7))")
        }
        lines.append("运行中的期限：" + ClockStatus.allCases.map { "\($0.chineseName) \(clocksByStatus[$0.rawValue] ?? 0)" }.joined(separator: "，"))
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
