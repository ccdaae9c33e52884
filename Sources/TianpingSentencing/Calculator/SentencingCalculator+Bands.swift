import Foundation
import TianpingCore
import TianpingRules
import TianpingText

/// Which statutory band the reported facts establish, and how certain that is.
extension SentencingCalculator {
    struct BandChoice {
        var index: Int
        var certain: Bool
        /// No fact chose the band: it is the basic one because nothing said otherwise.
        var byDefault = false
        var reason: String
        /// Where the amount or quantity lies inside the band (0…1), for the add-penalty assumption.
        var position: Double
        var measureText: String
        var thresholds: SentencingGraph.AmountThresholds?
    }

    /// Names that contain a listed drug's name but are another drug (3,4-亚甲二氧基甲基苯丙胺 is MDMA, not methamphetamine).
    static let otherDrugMarkers = ["亚甲二氧基", "二甲基", "MDMA", "MDA", "氯胺酮"]

    /// The drug thresholds a named drug falls under, if the graph holds them.
    func drugKind(_ name: String?) -> SentencingGraph.DrugThresholds? {
        guard let name, !Self.otherDrugMarkers.contains(where: name.contains) else { return nil }
        return graph.drugs.first { d in d.words.contains { name.contains($0) } }
    }

    func chooseBand(_ crime: SentencingGraph.CrimeRule, _ facts: SentencingFacts) -> BandChoice {
        let last = crime.bands.count - 1
        let basic = crime.defaultBand ?? 0
        // The highest band whose phrases the facts state (`无逃逸情节` does not state 逃逸).
        let cueIndex = crime.bands.indices.last { i in
            (crime.bands[i].cues ?? []).contains { cue in facts.cues.contains { JudgmentExtractor.states(cue, in: $0) } }
        }
        let cueReason = cueIndex.map { "事实中有“\(crime.bands[$0].trigger)”的表述" }
        let cueSure = cueIndex.map { crime.bands[$0].cueUncertain != true } ?? true
        let injuryIndex = facts.injury.flatMap { inj in
            crime.bands.indices.last { crime.bands[$0].injury == inj || (crime.bands[$0].injuries ?? []).contains(inj) }
        }
        switch crime.measure {
        case .amount:
            guard let amount = facts.amountYuan else {
                return BandChoice(index: cueIndex ?? basic, certain: cueIndex != nil && cueSure, byDefault: cueIndex == nil,
                    reason: cueReason ?? "未提供犯罪数额，按基本档估算", position: 0, measureText: "", thresholds: nil)
            }
            let analogous = crime.thresholds == nil && crime.analogy != nil
            guard let tid = crime.thresholds ?? crime.analogy, let t = graph.thresholds.first(where: { $0.id == tid }) else {
                return BandChoice(index: cueIndex ?? basic, certain: cueIndex != nil && cueSure, byDefault: cueIndex == nil,
                    reason: (cueReason ?? "未载入本罪的数额标准，按基本档估算") + "（数额\(Self.yuan(amount))）", position: 0,
                    measureText: "数额\(Self.yuan(amount))", thresholds: nil)
            }
            var level = 0
            var certain = true
            var notes: [String] = []
            var values: [Double] = []
            for (i, l) in t.levels.enumerated() {
                let chosen = t.chosen?.values[safe: i]
                let value = chosen ?? (l.min + l.max) / 2
                values.append(value)
                if let chosen {
                    if amount >= chosen { level = l.level }
                } else if amount >= l.max {
                    level = l.level
                } else if amount >= l.min {
                    certain = false
                    notes.append("数额在“\(l.name)”全国标准\(Self.yuan(l.min))至\(Self.yuan(l.max))之间，本省取值未载入")
                    if amount >= value { level = l.level }
                }
            }
            var index = Swift.min(Swift.max(level - 1, basic), last)
            var byCue = false
            if let c = cueIndex, c > index {
                // A phrase names a higher band than the amount does (其他严重情节, or an amount phrase that contradicts
                // the amount): possible, not established.
                index = c
                byCue = true
                certain = false
            }
            let levelName = level > 0 ? t.levels[level - 1].name : "未达数额较大标准"
            var position = 0.0
            if level > 0 {
                let lower = values[level - 1]
                let upper = level < values.count ? values[level] : lower * Self.topBandSpan
                position = Swift.min(Swift.max((amount - lower) / Swift.max(upper - lower, 1), 0), 1)
            }
            if analogous {
                certain = false
                notes.append("本罪数额标准未载入，参照\(t.name)估算（平台假设 threshold-analogy，C级）")
            }
            let reason = "数额\(Self.yuan(amount))属“\(levelName)”（\(t.chosen.map { "\($0.province)取值" } ?? "全国标准")）"
                + (byCue ? "；" + (cueReason ?? "") : "") + (notes.isEmpty ? "" : "；" + notes.joined(separator: "；"))
            // Below the first threshold the amount sets no band (the crime may rest on 多次, 入户 …): the basic one by default.
            return BandChoice(index: index, certain: certain, byDefault: level == 0 && !byCue, reason: reason,
                position: index == level - 1 ? position : 0, measureText: "数额\(Self.yuan(amount))", thresholds: t)
        case .drug:
            guard let grams = facts.drugGrams, let kind = drugKind(facts.drug) else {
                let what = facts.drugGrams == nil ? "未提供毒品数量" : "毒品种类“\(facts.drug ?? "未知")”的数量标准未载入"
                return BandChoice(index: cueIndex ?? basic, certain: false, byDefault: cueIndex == nil, reason: what + "，按少量毒品估算",
                    position: 0, measureText: "", thresholds: nil)
            }
            let level = grams >= kind.largeGrams ? 2 : (grams >= kind.relativelyLargeGrams ? 1 : 0)
            let candidates = crime.bands.indices.filter { crime.bands[$0].drugLevel == level }
            let cuedWithinLevel = candidates.first { i in cueIndex == i }
            var index = cuedWithinLevel ?? candidates.first ?? basic
            var certain = !candidates.isEmpty && (cuedWithinLevel == nil || cueSure)
            // Two bands share a quantity level (少量 / 少量且情节严重): without the phrase the lower is the default.
            var byDefault = cuedWithinLevel == nil && candidates.count > 1
            if let c = cueIndex, c > index {  // 武装掩护, 暴力抗拒检查 … put any quantity into the top band
                index = c
                certain = certain && cueSure
                byDefault = false
            }
            let position: Double
            switch level {
            case 0: position = grams / kind.relativelyLargeGrams
            case 1: position = (grams - kind.relativelyLargeGrams) / (kind.largeGrams - kind.relativelyLargeGrams)
            default: position = 0
            }
            let levelName = ["少量", "数量较大", "数量大"][level]
            return BandChoice(index: index, certain: certain, byDefault: byDefault, reason: "\(kind.name)\(Self.number(grams))克，属\(levelName)（\(kind.basis)）",
                position: Swift.min(Swift.max(position, 0), 1), measureText: "毒品数量\(Self.number(grams))克", thresholds: nil)
        case .injury:
            let index = Swift.max(injuryIndex ?? basic, cueIndex ?? basic)
            let reason = facts.injury.map { "后果：\($0.chineseName)" } ?? "未提供伤害后果，按基本档估算"
            // A phrase that raises the band above the reported injury (特别残忍 with 轻伤) is possible, not established.
            let raisedByCue = cueIndex.map { $0 > (injuryIndex ?? basic) } ?? false
            return BandChoice(index: index, certain: facts.injury != nil && !raisedByCue, byDefault: facts.injury == nil && cueIndex == nil,
                reason: [reason, cueReason].compactMap { $0 }.joined(separator: "；"), position: 0, measureText: "", thresholds: nil)
        case .none, .bloodAlcohol:
            // A lighter band named in the facts (情节较轻) comes before the basic one.
            let index = cueIndex.map { $0 < basic ? $0 : Swift.max($0, injuryIndex ?? basic) } ?? Swift.max(injuryIndex ?? basic, basic)
            let byCue = cueIndex != nil && index == cueIndex
            return BandChoice(index: index, certain: !byCue || cueSure, byDefault: cueIndex == nil && injuryIndex == nil,
                reason: cueReason ?? (injuryIndex != nil ? "后果：\(facts.injury?.chineseName ?? "")" : "基本犯罪构成（未报送更高一档的情节）"),
                position: 0, measureText: "", thresholds: nil)
        }
    }
}
