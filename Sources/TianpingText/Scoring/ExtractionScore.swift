import Foundation

/// A hand-checked judgment (`shared/data/gold/judgments_dev.jsonl`; its README defines the fields).
public struct GoldJudgment: Sendable, Decodable {
    public struct Defendant: Sendable, Decodable {
        public var name: String
        public var charges: [String]
        public var principal_penalty: String?
        public var term_months: Int?
        public var probation_months: Int?
        public var fine_yuan: Int?
        public var confiscation: Bool?
        public var circumstances: [String]
    }

    public var doc: String
    public var defendants: [Defendant]
    public var amount_yuan: Int?
}

/// The extractor scored against gold annotations: per field, the share of gold values reproduced exactly (over the
/// defendants where gold has a value, and the defendants found at all); per circumstance, precision and recall.
public struct ExtractionScore: Sendable, Encodable {
    public struct FieldScore: Sendable, Encodable {
        public var correct = 0
        public var total = 0
        public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

        enum CodingKeys: String, CodingKey { case correct, total, accuracy }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(correct, forKey: .correct)
            try c.encode(total, forKey: .total)
            try c.encode(accuracy, forKey: .accuracy)
        }
    }

    public struct LabelScore: Sendable, Encodable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var precision: Double { truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives) }
        public var recall: Double { truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

        enum CodingKeys: String, CodingKey { case truePositives, falsePositives, falseNegatives, precision, recall, f1 }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(truePositives, forKey: .truePositives)
            try c.encode(falsePositives, forKey: .falsePositives)
            try c.encode(falseNegatives, forKey: .falseNegatives)
            try c.encode(precision, forKey: .precision)
            try c.encode(recall, forKey: .recall)
            try c.encode(f1, forKey: .f1)
        }
    }

    public var documents = 0
    public var goldDefendants = 0
    public var defendantsFound = 0
    /// Defendants the reader found that the gold record does not have (phrases read as names).
    public var extraDefendants = 0
    public var fields: [String: FieldScore] = [:]
    public var circumstances: [String: LabelScore] = [:]
    public var circumstancesOverall = LabelScore()
    public var amount = FieldScore()
    /// Documents whose gold record has no text in the judgments file.
    public var missingTexts = 0

    public init(gold: [GoldJudgment], texts: [String: String]) {
        for record in gold {
            guard let text = texts[record.doc] else {
                missingTexts += 1
                continue
            }
            documents += 1
            let extracted = JudgmentExtractor.extract(text)
            extraDefendants += extracted.defendants.filter { e in !record.defendants.contains { $0.name == e.name } }.count
            if let goldAmount = record.amount_yuan {
                amount.total += 1
                if extracted.amountYuan == goldAmount { amount.correct += 1 }
            }
            for g in record.defendants {
                goldDefendants += 1
                let found = extracted.defendants.first { $0.name == g.name }
                if found != nil { defendantsFound += 1 }
                func field(_ name: String, _ expected: String?, _ actual: String?) {
                    guard let expected else { return }
                    fields[name, default: FieldScore()].total += 1
                    if expected == actual { fields[name, default: FieldScore()].correct += 1 }
                }
                field("charges", g.charges.sorted().joined(separator: "、"), found?.charges.sorted().joined(separator: "、"))
                field("principalPenalty", g.principal_penalty, found?.principalPenalty)
                field("termMonths", g.term_months.map(String.init), found?.termMonths.map(String.init))
                field("probationMonths", g.principal_penalty == nil ? nil : String(g.probation_months ?? 0),
                    found.map { String($0.probationMonths ?? 0) })
                field("fineYuan", g.fine_yuan.map(String.init), found?.fineYuan.map(String.init))
                let expected = Set(g.circumstances)
                let actual = Set(found?.circumstances.map(\.rawValue) ?? [])
                for label in expected.union(actual) {
                    var s = circumstances[label, default: LabelScore()]
                    if expected.contains(label) && actual.contains(label) {
                        s.truePositives += 1
                        circumstancesOverall.truePositives += 1
                    } else if actual.contains(label) {
                        s.falsePositives += 1
                        circumstancesOverall.falsePositives += 1
                    } else {
                        s.falseNegatives += 1
                        circumstancesOverall.falseNegatives += 1
                    }
                    circumstances[label] = s
                }
            }
        }
    }

    public func table() -> String {
        var lines = ["文书 \(documents) 篇，被告人 \(goldDefendants) 名，识别出 \(defendantsFound) 名，多识别 \(extraDefendants) 名" + (missingTexts > 0 ? "（\(missingTexts) 篇缺少全文）" : "")]
        lines.append("字段\t正确/总数\t准确率")
        for (name, s) in fields.sorted(by: { $0.key < $1.key }) {
            lines.append("\(name)\t\(s.correct)/\(s.total)\t\(String(format: "%.3f", s.accuracy))")
        }
        lines.append("amountYuan\t\(amount.correct)/\(amount.total)\t\(String(format: "%.3f", amount.accuracy))")
        lines.append("情节\tTP\tFP\tFN\t精确率\t召回率\tF1")
        for (label, s) in circumstances.sorted(by: { $0.key < $1.key }) {
            lines.append("\(label)\t\(s.truePositives)\t\(s.falsePositives)\t\(s.falseNegatives)\t"
                + String(format: "%.3f\t%.3f\t%.3f", s.precision, s.recall, s.f1))
        }
        let o = circumstancesOverall
        lines.append("合计\t\(o.truePositives)\t\(o.falsePositives)\t\(o.falseNegatives)\t" + String(format: "%.3f\t%.3f\t%.3f", o.precision, o.recall, o.f1))
        return lines.joined(separator: "\n")
    }
}
