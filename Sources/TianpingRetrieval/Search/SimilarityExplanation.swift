import Foundation
import TianpingText

/// Why a judgment was retrieved: the charges, articles and circumstances it shares with the query, the passages of its
/// facts that share the most terms with the query (matched characters marked), and the sentence each defendant got.
public struct SimilarityExplanation: Sendable, Codable, Hashable {
    public var sharedCharges: [String]
    public var sharedArticles: [Int]
    public var sharedCircumstances: [Circumstance]
    public var passages: [Passage]
    /// One line per defendant: `张三：盗窃罪，有期徒刑8个月，罚金3000元`.
    public var sentences: [String]

    /// A sentence of the judgment's facts, cut into fragments that do or do not match the query.
    public struct Passage: Sendable, Codable, Hashable {
        public var fragments: [Fragment]
        public var text: String { fragments.map(\.text).joined() }
    }

    public struct Fragment: Sendable, Codable, Hashable {
        public var text: String
        public var matched: Bool

        public init(text: String, matched: Bool) {
            self.text = text
            self.matched = matched
        }
    }

    /// Explains `judgment` as a hit for `query`, showing at most `passageLimit` passages (in text order).
    public init(query: SimilarCaseQuery, judgment: LibraryJudgment, reading: JudgmentReading, queryArticles: [Int] = [], passageLimit: Int = 3) {
        sharedCharges = reading.charges.filter { charge in query.charges.contains { ChargeName.matches($0, charge) } }
        sharedArticles = reading.articles.filter(queryArticles.contains)
        let queryCircumstances = Set(JudgmentExtractor.circumstances(inFacts: query.text))
        sharedCircumstances = reading.circumstances.filter(queryCircumstances.contains)
        let wanted = Set(TermEncoder.terms(of: query.text))
        let facts = JudgmentReading.section(reading.facts, of: judgment.text)
        var scored: [(order: Int, score: Int, passage: Passage)] = []
        // A judgment often repeats a sentence (the prosecution's account, then the court's findings): show it once.
        var seen = Set<String>()
        for (order, sentence) in Self.sentences(of: facts).enumerated() where seen.insert(sentence).inserted {
            let (passage, score) = Self.passage(sentence, wanted: wanted)
            if score > 0 { scored.append((order, score, passage)) }
        }
        passages = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }.prefix(passageLimit)
            .sorted { $0.order < $1.order }.map(\.passage)
        sentences = Self.sentences(of: judgment, reading: reading)
    }

    /// What the hit shares with the query, one line per kind, as the CLI and the pages print it (`罪名：盗窃罪`,
    /// `法条：刑法第264条`, `情节：自首`).
    public var sharedDescriptions: [String] {
        var lines: [String] = []
        if !sharedCharges.isEmpty { lines.append("罪名：" + sharedCharges.joined(separator: "、")) }
        if !sharedArticles.isEmpty { lines.append("法条：" + sharedArticles.map { "刑法第\($0)条" }.joined(separator: "、")) }
        if !sharedCircumstances.isEmpty { lines.append("情节：" + sharedCircumstances.map(\.rawValue).joined(separator: "、")) }
        return lines
    }

    /// Each defendant's sentence as read, or the sentence the source states when none was read.
    public static func sentences(of judgment: LibraryJudgment, reading: JudgmentReading) -> [String] {
        let read = reading.defendants.map(describe)
        if read.isEmpty, let stated = judgment.statedSentence { return [describe(stated)] }
        return read
    }

    /// Sentences of a text, each with its closing mark.
    static func sentences(of text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for c in text {
            current.append(c)
            if "。；！？".contains(c) {
                current = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if current.count > 1 { result.append(current) }
                current = ""
            }
        }
        if current.count > 1 { result.append(current) }
        return result.map { String($0.prefix(300)) }
    }

    /// The sentence cut into matched and unmatched fragments, and the number of distinct query terms it contains.
    static func passage(_ sentence: String, wanted: Set<UInt64>) -> (Passage, Int) {
        let characters = Array(sentence)
        var matched = [Bool](repeating: false, count: characters.count)
        var distinct = Set<UInt64>()
        // Offsets from TermEncoder are UTF-8; map them to character positions once.
        var characterAt: [Int: Int] = [:]
        var offset = 0
        for (i, c) in characters.enumerated() {
            characterAt[offset] = i
            offset += c.utf8.count
        }
        TermEncoder.scan(sentence) { term, at in
            guard wanted.contains(term), TermEncoder.isChinese(term), let start = characterAt[at] else { return }
            distinct.insert(term)
            for i in start..<min(start + 2, characters.count) { matched[i] = true }
        }
        var fragments: [Fragment] = []
        for (i, c) in characters.enumerated() {
            if let last = fragments.last, last.matched == matched[i] {
                fragments[fragments.count - 1].text.append(c)
            } else {
                fragments.append(Fragment(text: String(c), matched: matched[i]))
            }
        }
        return (Passage(fragments: fragments), distinct.count)
    }

    static func describe(_ defendant: ExtractedDefendant) -> String {
        var parts = [defendant.charges.joined(separator: "、")]
        switch defendant.principalPenalty {
        case "有期徒刑", "拘役", "管制":
            parts.append(defendant.principalPenalty! + (defendant.termMonths.map(months) ?? ""))
        case let penalty?:
            parts.append(penalty)
        case nil:
            break
        }
        if let probation = defendant.probationMonths { parts.append("缓刑" + months(probation)) }
        if let fine = defendant.fineYuan { parts.append("罚金\(fine)元") }
        if defendant.confiscation { parts.append("没收财产") }
        return defendant.name + "：" + parts.filter { !$0.isEmpty }.joined(separator: "，")
    }

    static func describe(_ stated: StatedSentence) -> String {
        if stated.death { return "死刑" }
        if stated.life { return "无期徒刑" }
        var parts: [String] = []
        if let term = stated.termMonths, term > 0 { parts.append("有期徒刑或拘役" + months(term)) }
        if let fine = stated.fineYuan, fine > 0 { parts.append("罚金\(fine)元") }
        return parts.isEmpty ? "免予刑事处罚或单处罚金" : parts.joined(separator: "，")
    }

    /// `1年6个月`, `8个月`, `3年`.
    static func months(_ total: Int) -> String {
        let years = total / 12
        let rest = total % 12
        return (years > 0 ? "\(years)年" : "") + (rest > 0 || years == 0 ? "\(rest)个月" : "")
    }
}
