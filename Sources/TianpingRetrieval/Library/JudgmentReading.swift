import Foundation
import TianpingText

/// What the library reads once from a judgment's text: its sections, court, case number, charges, cited articles,
/// circumstances, the main amount and each defendant's sentence. Every field is found by a phrase of the text (the
/// judgment reader of `TianpingText` does the sentences and circumstances); nothing is guessed.
public struct JudgmentReading: Sendable, Codable, Hashable {
    /// UTF-8 offsets `[start, end)` of the facts the court found (经审理查明 … 本院认为); the whole text when the text
    /// has no such markers (a fact section alone, as CAIL2018 gives).
    public var facts: [Int]
    /// UTF-8 offsets of the court's reasoning (本院认为 … 判决如下), empty when absent.
    public var reasoning: [Int]
    /// Charges as decided (or stated by the source when the text has no sentence section), each ending in 罪.
    public var charges: [String]
    /// Criminal Law articles cited in the reasoning and decision (or stated by the source).
    public var articles: [Int]
    public var circumstances: [Circumstance]
    public var amountYuan: Int?
    public var defendants: [ExtractedDefendant]
    public var court: String?
    public var courtLevel: CourtLevel?
    /// The province named by the court, e.g. `安徽省`.
    public var province: String?
    public var caseNumber: String?
    /// The year of the case number (（2018）皖1621刑初123号 → 2018).
    public var year: Int?
}

/// The level of the court that decided, read from its name.
public enum CourtLevel: String, Sendable, Codable, CaseIterable, Hashable {
    case supreme, high, intermediate, basic

    public var chineseName: String {
        switch self {
        case .supreme: "最高人民法院"
        case .high: "高级人民法院"
        case .intermediate: "中级人民法院"
        case .basic: "基层人民法院"
        }
    }
}

extension JudgmentReading {
    /// Reads `judgment` (the text first; what the source states fills what the text does not say).
    public init(_ judgment: LibraryJudgment) {
        let text = judgment.text
        let bytes = text.utf8
        func offset(_ index: String.Index) -> Int { bytes.distance(from: bytes.startIndex, to: index) }
        func first(_ markers: [String], from start: String.Index? = nil) -> String.Index? {
            markers.compactMap { text.find($0, within: (start ?? text.startIndex)..<text.endIndex)?.lowerBound }.min()
        }
        let reasoningStart = first(["本院认为"])
        let decisionStart = reasoningStart.flatMap { first(["判决如下", "裁定如下"], from: $0) }
        let factsEnd = reasoningStart ?? text.endIndex
        let factsStart = first(["经审理查明", "审理查明", "本院查明", "经审查查明", "经审理认定"]).flatMap { $0 < factsEnd ? $0 : nil } ?? text.startIndex
        facts = [offset(factsStart), offset(factsEnd)]
        reasoning = reasoningStart.map { [offset($0), offset(decisionStart ?? text.endIndex)] } ?? []

        let extracted = JudgmentExtractor.extract(text)
        defendants = extracted.defendants
        amountYuan = extracted.amountYuan
        var charges = extracted.defendants.flatMap(\.charges)
        if charges.isEmpty { charges = judgment.statedCharges.map { $0.hasSuffix("罪") ? $0 : $0 + "罪" } }
        if charges.isEmpty, let title = judgment.title { charges = Self.charges(inTitle: title) }
        self.charges = charges.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        let read = reasoningStart.map { Self.articles(in: text[$0...]) } ?? []
        articles = read.isEmpty ? judgment.statedArticles.sorted() : read
        var circumstances = Set(extracted.defendants.flatMap(\.circumstances))
        if circumstances.isEmpty { circumstances = Set(JudgmentExtractor.circumstances(inFacts: text)) }
        self.circumstances = Circumstance.allCases.filter(circumstances.contains)
        let head = text.prefix(300)
        court = Self.court(in: head)
        courtLevel = court.map(Self.level(of:))
        province = court.flatMap(Self.province(of:))
        caseNumber = Self.caseNumber(in: head)
        year = caseNumber.flatMap(Self.year(ofCaseNumber:))
    }

    /// The text of a section given as UTF-8 offsets.
    public static func section(_ range: [Int], of text: String) -> String {
        guard range.count == 2, range[1] > range[0] else { return "" }
        let bytes = text.utf8
        let from = bytes.index(bytes.startIndex, offsetBy: range[0])
        return String(text[from..<bytes.index(from, offsetBy: range[1] - range[0])])
    }

    static func isHan(_ c: Character) -> Bool {
        c.unicodeScalars.count == 1 && c.unicodeScalars.first.map { TermEncoder.isCJK($0.value) } == true
    }

    /// Charges a title names: each run ending in 罪, cut after the last 犯 or 等 before it (`…等诈骗罪一案` gives
    /// 诈骗罪). A title that names no 罪 (`张某盗窃一审刑事判决书`) gives none.
    static func charges(inTitle title: String) -> [String] {
        var result: [String] = []
        var run = ""
        for c in title {
            if c == "罪" {
                if let cut = run.lastIndex(where: { $0 == "犯" || $0 == "等" }) { run = String(run[run.index(after: cut)...]) }
                while run.hasPrefix("、") { run.removeFirst() }
                if run.count >= 2 { result.append(run + "罪") }
                run = ""
            } else if isHan(c) || c == "、" {
                run.append(c)
            } else {
                run = ""
            }
        }
        return result
    }

    /// Criminal Law articles cited after 《中华人民共和国刑法》 or 《刑法》: `第二百六十四条`, `第264条`, with their
    /// 之一, 款 and 项 and the lists joined by 、，和 及.
    static func articles(in text: Substring) -> [Int] {
        var found = Set<Int>()
        var search = text.startIndex..<text.endIndex
        while let law = text.find("刑法》", within: search) {
            search = law.upperBound..<text.endIndex
            var rest = text[law.upperBound...]
            while true {
                while let c = rest.first, "、，,和及以".contains(c) { rest = rest.dropFirst() }
                guard rest.first == "第" else { break }
                let number = rest.dropFirst().prefix { ChineseNumber.isNumberCharacter($0) || ("0"..."9").contains($0) }
                let after = rest.dropFirst(1 + number.count)
                guard !number.isEmpty, let unit = after.first else { break }
                if unit == "条", let value = Int(number) ?? ChineseNumber.parse(number).flatMap(ChineseNumber.integer), (1...452).contains(value) {
                    found.insert(value)
                } else if unit != "款" && unit != "项" {
                    break
                }
                rest = after.dropFirst()
                // 之一, （一）项 and the like belong to the article just read.
                if rest.hasPrefix("之") { rest = rest.dropFirst(2) }
                if rest.first == "（" || rest.first == "(" { rest = rest.drop { $0 != "）" && $0 != ")" }.dropFirst() }
                if rest.hasPrefix("项") { rest = rest.dropFirst() }
            }
        }
        return found.sorted()
    }

    /// The first court named in the heading (`安徽省涡阳县人民法院`): the run of Chinese characters before 人民法院.
    static func court(in head: Substring) -> String? {
        guard let found = head.find("人民法院") else { return nil }
        let name = head[..<found.lowerBound].reversed().prefix { isHan($0) }.prefix(30)
        return name.isEmpty ? nil : String(name.reversed()) + "人民法院"
    }

    static func level(of court: String) -> CourtLevel {
        if court.hasPrefix("最高人民法院") { return .supreme }
        if court.hasSuffix("高级人民法院") { return .high }
        if court.hasSuffix("中级人民法院") { return .intermediate }
        return .basic
    }

    /// The province (or autonomous region, or municipality) a court's name begins with.
    static func province(of court: String) -> String? {
        for suffix in ["省", "自治区"] {
            if let r = court.find(suffix), court.distance(from: court.startIndex, to: r.lowerBound) <= 8 {
                return String(court[..<r.upperBound])
            }
        }
        for city in ["北京市", "天津市", "上海市", "重庆市"] where court.hasPrefix(city) { return city }
        return nil
    }

    /// A case number such as （2018）皖1621刑初123号 (half-width brackets too): a bracketed year, then up to 16
    /// characters naming a criminal, civil, administrative or enforcement case, ending in 号.
    static func caseNumber(in head: Substring) -> String? {
        var rest = head[...]
        while let open = rest.firstIndex(where: { $0 == "（" || $0 == "(" }) {
            let candidate = rest[open...]
            rest = candidate.dropFirst()
            let year = candidate.dropFirst().prefix(4)
            guard year.count == 4, year.allSatisfy({ ("0"..."9").contains($0) }),
                  let close = candidate.dropFirst(5).first, close == "）" || close == ")",
                  let end = candidate.prefix(24).firstIndex(of: "号")
            else { continue }
            let number = candidate[...end]
            if number.contains(where: { "刑民行执".contains($0) }) { return String(number) }
        }
        return nil
    }

    static func year(ofCaseNumber number: String) -> Int? {
        Int(String(number.filter { ("0"..."9").contains($0) }.prefix(4)))
    }
}
