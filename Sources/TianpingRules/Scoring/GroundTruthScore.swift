import Foundation

/// One planted violation from the generator's `ground-truth.jsonl`.
public struct PlantedViolationRecord: Sendable, Codable, Hashable {
    public var code: String
    public var `case`: String
    /// The rule id the violation breaks (`M4`, `CPL80`).
    public var rule: String
    /// Further rules the planted defect necessarily breaks too; findings of these are right, not required.
    public var consequences: [String]

    public init(code: String, case caseID: String, rule: String, consequences: [String] = []) {
        self.code = code
        self.case = caseID
        self.rule = rule
        self.consequences = consequences
    }

    /// Reads a ground-truth file (one JSON object a line).
    public static func read(jsonLines data: Data) throws -> [PlantedViolationRecord] {
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map {
            try decoder.decode(PlantedViolationRecord.self, from: Data($0))
        }
    }
}

/// Precision and recall of the engine's violations against planted ground truth, per planted class.
///
/// A finding is a true positive when the case carries a planted violation of that rule; a finding of a rule the
/// plant names as a consequence is *explained* (right, but not counted for recall); any other violation finding
/// is a false positive. Signals are risk leads and are reported apart.
public struct GroundTruthScore: Sendable, Codable {
    public struct ClassScore: Sendable, Codable {
        public var code: String
        public var rule: String
        public var planted: Int
        public var found: Int
        public var falsePositives: Int
        public var precision: Double
        public var recall: Double
        /// Up to ten cases missed, to start debugging from.
        public var missedCases: [String]
        public var falsePositiveCases: [String]
    }

    public struct OtherRule: Sendable, Codable {
        public var rule: String
        public var explained: Int
        public var unexplained: Int
        public var unexplainedCases: [String]
    }

    public var cases: Int
    public var classes: [ClassScore]
    /// Violation findings of rules no planted class is about.
    public var otherRules: [OtherRule]
    public var signals: [String: Int]
    public var precision: Double
    public var recall: Double

    public init(planted: [PlantedViolationRecord], findings: [Finding], cases: Int) {
        self.cases = cases
        var plantedByCaseRule: [String: Set<String>] = [:]
        var explainedByCase: [String: Set<String>] = [:]
        for p in planted {
            plantedByCaseRule[p.case, default: []].insert(p.rule)
            explainedByCase[p.case, default: []].formUnion(p.consequences)
        }
        var violationKeys = Set<String>()
        var byRule: [String: [Finding]] = [:]
        var signals: [String: Int] = [:]
        for f in findings {
            if f.kind == .signal {
                signals[f.ruleID, default: 0] += 1
                continue
            }
            violationKeys.insert(f.caseID + "|" + f.ruleID)
            byRule[f.ruleID, default: []].append(f)
        }
        var classes: [ClassScore] = []
        let plantedByCode = Dictionary(grouping: planted, by: \.code)
        var totalPlanted = 0
        var totalFound = 0
        for code in plantedByCode.keys.sorted() {
            let items = plantedByCode[code]!
            let rule = items[0].rule
            let found = items.filter { violationKeys.contains($0.case + "|" + $0.rule) }
            let missed = items.filter { !violationKeys.contains($0.case + "|" + $0.rule) }.map(\.case)
            let ruleFindings = byRule[rule] ?? []
            let wrong = ruleFindings.filter { f in
                !(plantedByCaseRule[f.caseID]?.contains(f.ruleID) ?? false) && !(explainedByCase[f.caseID]?.contains(f.ruleID) ?? false)
            }
            totalPlanted += items.count
            totalFound += found.count
            let truePositiveFindings = ruleFindings.count - wrong.count
            classes.append(ClassScore(code: code, rule: rule, planted: items.count, found: found.count,
                falsePositives: wrong.count,
                precision: ruleFindings.isEmpty ? (items.isEmpty ? 1 : 0) : Double(truePositiveFindings) / Double(ruleFindings.count),
                recall: items.isEmpty ? 1 : Double(found.count) / Double(items.count),
                missedCases: Array(missed.prefix(10)), falsePositiveCases: Array(Set(wrong.map(\.caseID)).sorted().prefix(10))))
        }
        let classRules = Set(planted.map(\.rule))
        var others: [OtherRule] = []
        var totalWrong = classes.reduce(0) { $0 + $1.falsePositives }
        var totalViolationFindings = classes.reduce(0) { $0 + (byRule[$1.rule]?.count ?? 0) }
        for (rule, list) in byRule.sorted(by: { $0.key < $1.key }) where !classRules.contains(rule) {
            let unexplained = list.filter { !(explainedByCase[$0.caseID]?.contains(rule) ?? false) }
            others.append(OtherRule(rule: rule, explained: list.count - unexplained.count, unexplained: unexplained.count,
                unexplainedCases: Array(Set(unexplained.map(\.caseID)).sorted().prefix(10))))
            totalWrong += unexplained.count
            totalViolationFindings += list.count
        }
        self.classes = classes
        self.otherRules = others
        self.signals = signals
        self.precision = totalViolationFindings == 0 ? 1 : Double(totalViolationFindings - totalWrong) / Double(totalViolationFindings)
        self.recall = totalPlanted == 0 ? 1 : Double(totalFound) / Double(totalPlanted)
    }

    /// A plain-text table for the terminal.
    public func table() -> String {
        var lines = ["类别                              规则      植入   检出  误报  精确率  召回率"]
        for c in classes {
            lines.append(c.code.padding(toLength: 34, withPad: " ", startingAt: 0) + c.rule.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: "%5d  %5d  %4d  %6.4f  %6.4f", c.planted, c.found, c.falsePositives, c.precision, c.recall))
        }
        for o in otherRules {
            lines.append("（其他规则）".padding(toLength: 30, withPad: " ", startingAt: 0) + o.rule.padding(toLength: 10, withPad: " ", startingAt: 0)
                + "   —   \(o.explained + o.unexplained)  \(o.unexplained)")
        }
        lines.append(String(format: "总体：精确率 %.4f，召回率 %.4f（%d 件案件）", precision, recall, cases))
        if !signals.isEmpty {
            lines.append("风险线索（不计入精确率）：" + signals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "，"))
        }
        return lines.joined(separator: "\n")
    }
}
