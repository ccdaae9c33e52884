import Foundation
import TianpingCore
import TianpingText

/// Reads the facts the calculator needs from Chinese legal text: the crime amount, drug quantities, injury outcome,
/// blood alcohol, the phrases that select a band, and the circumstances. Rule-based and explainable like the rest.
public struct SentencingFactReader: Sendable {
    public let graph: SentencingGraph

    public init(graph: SentencingGraph) { self.graph = graph }

    public struct Reading: Sendable, Codable, Hashable {
        public var facts: SentencingFacts
        /// Circumstance names as the text extractor gives them (`自首`, `赔偿`, `谅解` …).
        public var circumstances: [String]
    }

    public func read(_ text: String, crime: SentencingGraph.CrimeRule?) -> Reading {
        var facts = SentencingFacts()
        if let amount = JudgmentExtractor.mainAmount(in: text, acceptingApproximate: true) { facts.amountYuan = Double(amount) }
        if let drug = Self.drugQuantity(in: text, graph: graph) {
            facts.drug = drug.drug
            facts.drugGrams = drug.grams
        }
        facts.injury = Self.injury(in: text)
        facts.bloodAlcohol = Self.bloodAlcohol(in: text)
        if let crime {
            let cues = Set(crime.bands.flatMap { $0.cues ?? [] })
            facts.cues = cues.filter { JudgmentExtractor.states($0, in: text) }.sorted()
        }
        let circumstances = JudgmentExtractor.circumstances(inFacts: text).map(\.rawValue)
        return Reading(facts: facts, circumstances: circumstances)
    }

    static func blankingOtherDrugs(_ text: String) -> String {
        var t = text
        for name in ["3,4-亚甲二氧基甲基苯丙胺", "3，4-亚甲二氧基甲基苯丙胺", "亚甲二氧基甲基苯丙胺", "亚甲二氧基苯丙胺", "二甲基苯丙胺"] {
            t = t.replacingOccurrences(of: name, with: "（其他毒品）")
        }
        return t
    }

    /// Injury outcome: death before serious injury before minor injury (轻伤 / 重伤 with their grades, 死亡 caused).
    static func injury(in text: String) -> Injury? {
        let deathPhrases = ["致其死亡", "致被害人死亡", "致人死亡", "抢救无效死亡", "经抢救无效", "当场死亡", "因伤死亡", "致其当场死亡", "死亡原因"]
        if deathPhrases.contains(where: text.contains) { return .death }
        let notSerious = ["未达重伤", "未达到重伤", "尚未达到重伤", "不构成重伤"].contains(where: text.contains)
        if !notSerious, JudgmentExtractor.states("重伤", in: text) { return .serious }
        if text.contains("轻伤") { return .minor }
        return nil
    }

    /// Blood alcohol in mg/100 ml (`乙醇含量为112.36mg/100ml`, `216毫克/100毫升`).
    static func bloodAlcohol(in text: String) -> Double? {
        let pattern = #"([0-9]+(?:\.[0-9]+)?)\s*(?:mg|毫克|ｍｇ)\s*[/／每]\s*(?:100|１００)\s*(?:ml|mL|毫升|ｍｌ)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        let ns = text as NSString
        let values = regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { Double(ns.substring(with: $0.range(at: 1))) }
        return values.max()
    }

    /// Drug quantity in grams per kind: a stated total (共计 / 合计 / 总计) if any, else the sum of the distinct amounts
    /// named next to the drug; gross weights (毛重) are left out. Returns the kind with the largest quantity.
    static func drugQuantity(in text: String, graph: SentencingGraph) -> (drug: String, grams: Double)? {
        let pattern = #"([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千点]+)\s*(千克|公斤|克)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        let ns = text as NSString
        var totals: [String: Double] = [:]
        var amounts: [String: Set<Double>] = [:]
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let numberText = ns.substring(with: m.range(at: 1))
            guard let value = Double(numberText) ?? ChineseNumber.parse(numberText).map({ NSDecimalNumber(decimal: $0).doubleValue }) else { continue }
            let grams = ns.substring(with: m.range(at: 2)) == "克" ? value : value * 1000
            let start = max(0, m.range.location - 40)
            let before = ns.substring(with: NSRange(location: start, length: m.range.location - start))
            // Other drugs whose names contain a listed one (3,4-亚甲二氧基甲基苯丙胺 is MDMA) are blanked out first.
            let clause = Self.blankingOtherDrugs(before.split(whereSeparator: { "。；;".contains($0) }).last.map(String.init) ?? before)
            let end = m.range.location + m.range.length
            let after = Self.blankingOtherDrugs(ns.substring(with: NSRange(location: end, length: min(20, ns.length - end)))
                .split(whereSeparator: { "。；;".contains($0) }).first.map(String.init) ?? "")
            let words = graph.drugs.flatMap { d in d.words.map { (d.id, $0) } }
            // The drug named nearest before the quantity in the same sentence, else the first one named just after it
            // (`一包0.61克的毒品甲基苯丙胺`, `净重8克，检出甲基苯丙胺成分`).
            let previous = words.compactMap { pair -> (String, String.Index)? in clause.range(of: pair.1, options: .backwards).map { (pair.0, $0.lowerBound) } }
                .max(by: { $0.1 < $1.1 })?.0
            let following = words.compactMap { pair -> (String, String.Index)? in after.range(of: pair.1).map { (pair.0, $0.lowerBound) } }
                .min(by: { $0.1 < $1.1 })?.0
            guard let drug = previous ?? following else { continue }
            let near = String(clause.suffix(8))
            if near.contains("毛重") { continue }
            if ["共计", "合计", "总计", "总重", "累计"].contains(where: near.contains) {
                totals[drug] = max(totals[drug] ?? 0, grams)
            } else {
                amounts[drug, default: []].insert(grams)
            }
        }
        var byKind: [String: Double] = amounts.mapValues { $0.reduce(0, +) }
        for (k, v) in totals { byKind[k] = v }
        guard let best = byKind.max(by: { $0.value < $1.value }), best.value > 0,
            let kind = graph.drugs.first(where: { $0.id == best.key }) else { return nil }
        return (kind.name, best.value)
    }
}
