import Foundation

/// 量刑情节 that a court states for a defendant: the circumstances the sentencing calculator and the gold annotations
/// use (`shared/data/gold/README.md` gives the conventions followed here).
public enum Circumstance: String, Sendable, Codable, CaseIterable, Hashable {
    case surrender = "自首"
    case confession = "坦白"
    case pleaInCourt = "当庭认罪"
    case pleaBargain = "认罪认罚"
    case recidivist = "累犯"
    case priorRecord = "前科"
    case firstOffence = "初犯偶犯"
    case restitution = "退赃退赔"
    case compensation = "赔偿"
    case forgiveness = "谅解"
    case attempt = "未遂"
    case principal = "主犯"
    case accessory = "从犯"
    case meritorious = "立功"
    case minor = "未成年"
    case discontinued = "中止"
}

/// One defendant's sentence and circumstances as the judgment states them.
public struct ExtractedDefendant: Sendable, Codable, Hashable {
    public var name: String
    public var charges: [String]
    /// `有期徒刑`, `拘役`, `管制`, `无期徒刑`, `死刑`, `死刑缓期二年执行`, `免予刑事处罚`, `单处罚金`, or `nil`.
    public var principalPenalty: String?
    public var termMonths: Int?
    public var probationMonths: Int?
    public var fineYuan: Int?
    public var confiscation: Bool
    public var circumstances: [Circumstance]
}

/// What the extractor reads from a criminal judgment.
public struct ExtractedJudgment: Sendable, Codable, Hashable {
    public var defendants: [ExtractedDefendant]
    /// The main sum of a property crime, when the text states one (see ``JudgmentExtractor/mainAmount(in:)``).
    public var amountYuan: Int?
}

/// A rule-based reader of Chinese criminal judgments: the sentence section (判决如下) gives each defendant's charges,
/// penalty, term, probation and fine; the court's reasoning (本院认为 … 判决如下) gives the circumstances, attributed to
/// the defendants each sentence names. Deterministic and explainable: every value comes from a phrase in the text.
public enum JudgmentExtractor {
    public static func extract(_ text: String) -> ExtractedJudgment {
        let decision = section(text, from: ["判决如下", "裁定如下"], to: ["如不服", "本判决为终审判决", "审判长", "审判员"])
        let reasoning = section(text, from: ["本院认为"], to: ["判决如下", "裁定如下"])
        var defendants = sentences(in: decision)
        let names = defendants.map(\.name)
        let found = circumstances(reasoning: reasoning, whole: text, names: names)
        for i in defendants.indices { defendants[i].circumstances = found[defendants[i].name] ?? [] }
        return ExtractedJudgment(defendants: defendants, amountYuan: mainAmount(in: text))
    }

    /// The text between the first of `from` and the next of `to` after it (empty when `from` is absent).
    static func section(_ text: String, from: [String], to: [String]) -> String {
        guard let start = from.compactMap({ text.find($0) }).min(by: { $0.lowerBound < $1.lowerBound }) else { return "" }
        let rest = text[start.upperBound...]
        let end = to.compactMap { rest.find($0)?.lowerBound }.min() ?? rest.endIndex
        return String(rest[..<end])
    }

    static let penalties = ["死刑缓期二年执行", "死刑，缓期二年执行", "无期徒刑", "有期徒刑", "拘役", "管制", "免予刑事处罚", "单处罚金", "死刑"]

    /// Each `被告人X犯…罪，判处…` item of the sentence section; a second-instance judgment writes `上诉人X`,
    /// `上诉人（原审被告人）X` or, in a numbered item, the bare name (`三、X犯…`).
    static func sentences(in decision: String) -> [ExtractedDefendant] {
        var result: [ExtractedDefendant] = []
        var items: [String] = Array(decision.components(separatedBy: "被告人").dropFirst())
        items += Array(decision.components(separatedBy: "上诉人").dropFirst())
        if items.isEmpty, let numbered = try? NSRegularExpression(pattern: "[一二三四五六七八九十]+、([^，。；、：（）()]{1,8}?犯)") {
            let ns = decision as NSString
            let matches = numbered.matches(in: decision, range: NSRange(location: 0, length: ns.length))
            // Each item ends where the next numbered item begins.
            items = matches.enumerated().map { k, m in
                let end = k + 1 < matches.count ? matches[k + 1].range.location : ns.length
                return ns.substring(with: NSRange(location: m.range(at: 1).location, length: end - m.range(at: 1).location))
            }
        }
        for item in items {
            guard let fan = item.firstIndex(of: "犯") else { continue }
            let name = String(item[..<fan]).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "：:，,）)")))
            // A name, not a phrase (张三的犯罪所得): no 的, no punctuation, and a charge (…罪) right after 犯.
            guard !name.isEmpty, name.count <= 8, !name.contains(where: { "：的、，。；".contains($0) }),
                item[fan...].prefix(24).contains("罪")
            else { continue }
            if result.contains(where: { $0.name == name }) { continue }
            var charges: [String] = []
            var search = item[fan...]
            while let f = search.firstIndex(of: "犯"), var zui = search[f...].firstIndex(of: "罪") {
                // 掩饰、隐瞒犯罪所得罪 and 掩饰、隐瞒犯罪所得、犯罪所得收益罪 contain 犯罪 in the name: read on to the next 罪.
                while search[search.index(after: zui)...].hasPrefix("所得"), let next = search[search.index(after: zui)...].firstIndex(of: "罪") { zui = next }
                let charge = String(search[search.index(after: f)...zui])
                if charge.count >= 3, charge.count <= 20, !charge.contains("，"), !charges.contains(charge) { charges.append(charge) }
                search = search[search.index(after: zui)...]
            }
            // The decided penalty: after 决定执行 when several are combined, else the first one.
            let decided = item.find("决定执行").map { String(item[$0.upperBound...]) } ?? item
            var penalty: String?
            var term: Int?
            var earliest: String.Index?
            for p in penalties {
                guard let r = decided.find(p), earliest.map({ r.lowerBound < $0 }) ?? true else { continue }
                earliest = r.lowerBound
                penalty = p == "死刑，缓期二年执行" ? "死刑缓期二年执行" : p
                term = (p == "有期徒刑" || p == "拘役" || p == "管制") ? TermParser.months(atStartOf: decided[r.upperBound...])?.months : nil
            }
            if penalty == "单处罚金" { term = nil }
            var probation: Int?
            if let r = item.find("缓刑") { probation = TermParser.months(atStartOf: item[r.upperBound...])?.months }
            // Fines: the decided one when combined, else every fine of the item added up.
            let fineText = item.includes("决定执行") ? decided : item
            // A fine already paid in advance (已预缴罚金…) is a note on the fine, not another one.
            let fines = MoneyExtractor.mentions(in: fineText)
                .filter { $0.context.includes("罚金") && !$0.context.includes("预缴") && !$0.context.includes("已缴") }
            let fine = fines.isEmpty ? nil : fines.reduce(Decimal(0)) { $0 + $1.yuan }
            result.append(ExtractedDefendant(name: name, charges: charges, principalPenalty: penalty, termMonths: term, probationMonths: probation,
                fineYuan: fine.flatMap(ChineseNumber.integer), confiscation: item.includes("没收个人全部财产") || item.includes("没收个人财产")
                    || item.includes("没收财产"), circumstances: []))
        }
        return result
    }

    /// The circumstances a fact text states about its defendant (a prosecution's account or a court's findings):
    /// the same phrases and negation rules as for a whole judgment, without the per-defendant split.
    public static func circumstances(inFacts text: String) -> [Circumstance] {
        circumstances(reasoning: text, whole: text, names: ["被告人"])["被告人"] ?? []
    }

    /// Whether `text` states `word` without a negation before it in the same clause (`未逃逸` does not state 逃逸).
    public static func states(_ word: String, in text: String) -> Bool { phrase(text, word) }

    /// Phrases of each circumstance; a phrase counts unless a negation stands just before it.
    static let phrases: [(Circumstance, [String])] = [
        (.surrender, ["自首"]),
        (.confession, ["坦白", "如实供述", "如实交代"]),
        (.pleaInCourt, []),  // an in-court setting followed by 认罪: see ``pleadsInCourt(_:)``
        (.recidivist, ["累犯"]),
        (.priorRecord, ["前科"]),
        (.firstOffence, ["初犯", "偶犯", "无犯罪记录", "无前科"]),
        (.restitution, ["退赃", "退赔", "退还赃款", "退还赃物", "退缴", "退回赃款"]),
        (.compensation, ["已赔偿", "积极赔偿", "主动赔偿", "赔偿了", "予以赔偿", "已经赔偿", "达成赔偿", "赔偿被害人"]),
        (.forgiveness, ["谅解"]),
        (.attempt, ["未遂"]),
        (.principal, ["主犯"]),
        (.accessory, ["从犯"]),  // `不区分主从犯` is excluded in ``phrase(_:_:)``
        (.meritorious, ["立功"]),
        (.minor, ["未成年人", "未满十八周岁", "系未成年"]),
        (.discontinued, ["犯罪中止", "中止犯罪", "系中止"]),
    ]
    static let negations = ["不构成", "不属于", "不能认定", "不认定", "不应认定", "不宜认定", "不具有", "没有", "未能", "未取得", "未获得", "未获", "未得到", "不是", "并非", "否认", "无"]
    /// A sentence the court does not accept (a rejected defence opinion) contributes nothing.
    static let rejections = ["不予采纳", "不予采信", "不能成立", "不予支持", "不予认定", "于法无据", "与事实不符"]

    static func circumstances(reasoning: String, whole: String, names: [String]) -> [String: [Circumstance]] {
        var found: [String: Set<Circumstance>] = [:]
        let parts = reasoning.split(whereSeparator: { "。；;".contains($0) }).map(String.init)
        for part in parts {
            // 被害人系未成年人 is about the victim.
            let aboutVictim = part.includes("被害人") && !part.includes("被告人")
            // A clause that rejects an opinion and accepts nothing is skipped whole.
            if rejections.contains(where: part.includes), !(part.includes("予以采纳") || part.includes("予以采信") || part.includes("经查属实")) { continue }
            let named = names.filter { part.includes($0) }
            let targets = named.isEmpty ? names : named
            for (circumstance, words) in phrases where words.contains(where: { phrase(part, $0) })
                || circumstance == .pleaInCourt && pleadsInCourt(part)
            {
                if circumstance == .minor && aboutVictim { continue }
                if circumstance == .firstOffence || circumstance == .priorRecord {
                    // 无前科 is a first offence, not a prior record.
                    if circumstance == .priorRecord, part.includes("无前科") || part.includes("没有前科") { continue }
                }
                for t in targets { found[t, default: []].insert(circumstance) }
            }
        }
        // 认罪认罚 may be stated in the procedural part (适用认罪认罚从宽制度).
        if whole.includes("认罪认罚"), !whole.includes("不适用认罪认罚") {
            for n in names { found[n, default: []].insert(.pleaBargain) }
        }
        return found.mapValues { set in
            var s = set
            if s.contains(.surrender) { s.remove(.confession) }  // with 自首, 坦白 is not added for the same facts
            return Circumstance.allCases.filter(s.contains)
        }
    }

    /// 当庭认罪 needs the court setting: 当庭 / 庭审中 / 庭审过程中 / 开庭审理中 / 庭审时, then 认罪 within ten characters.
    static func pleadsInCourt(_ text: String) -> Bool {
        for setting in ["当庭", "庭审中", "庭审过程中", "开庭审理中", "开庭审理过程中", "庭审时"] {
            var search = text.startIndex..<text.endIndex
            while let r = text.find(setting, within: search) {
                let window = text[r.upperBound...].prefix(10)
                if let plea = window.find("认罪"), !String(window[..<plea.lowerBound]).contains(where: { "不未拒".contains($0) }) { return true }
                search = r.upperBound..<text.endIndex
            }
        }
        return false
    }

    /// Negations that count only right before the word (`尚未赔偿`, `不予谅解`, `拒不退赃`, `无前科`).
    static let adjacentNegations = ["无", "未", "不", "不予", "拒不", "尚未", "没"]

    /// Whether `word` occurs in `text` without a negation before it in the same clause (up to eight characters, and
    /// not across `，`, `、` or `但`: `虽不构成自首，但能如实供述` keeps 坦白).
    static func phrase(_ text: String, _ word: String) -> Bool {
        var search = text.startIndex..<text.endIndex
        while let r = text.find(word, within: search) {
            defer { search = r.upperBound..<text.endIndex }
            if word == "从犯" || word == "主犯", text[..<r.lowerBound].hasSuffix("主") || text[r.upperBound...].hasPrefix("从") { continue }
            var before = String(text[text.index(r.lowerBound, offsetBy: -min(8, text.distance(from: text.startIndex, to: r.lowerBound)))..<r.lowerBound])
            if let cut = before.lastIndex(where: { "，,、：:".contains($0) }) { before = String(before[before.index(after: cut)...]) }
            if let cut = before.findLast("但") { before = String(before[cut.upperBound...]) }
            let negated = negations.contains { $0 != "无" && before.includes($0) } || adjacentNegations.contains { before.hasSuffix($0) }
            if !negated || word == "无犯罪记录" || word == "无前科" { return true }
        }
        return false
    }

    /// The main sum of a property crime: a total the court states (共计 / 合计 / 总计 / 累计 / 数额), else the largest
    /// sum that is not a fine, compensation, deposit or other sum ordered or paid after the crime. `nil` when the text
    /// states only approximate sums (…余元) or none.
    public static func mainAmount(in text: String, acceptingApproximate: Bool = false) -> Int? {
        let facts = section(text, from: ["经审理查明", "公诉机关指控", "检察院指控"], to: ["判决如下"])
        let body = facts.isEmpty ? text : facts
        let excluded = ["罚金", "赔偿", "损失", "退赔", "退赃", "缴纳", "保证金", "罚款", "判处", "退还", "借", "工资", "诉讼费", "医疗费", "补偿"]
        let candidates = MoneyExtractor.mentions(in: body).filter { m in !excluded.contains { m.context.includes($0) } }
        guard !candidates.isEmpty else { return nil }
        let totals = candidates.filter { m in ["共计", "合计", "总计", "累计", "总额", "数额"].contains { m.context.includes($0) } }
        let pick = (totals.isEmpty ? candidates : totals).max { $0.yuan < $1.yuan }!
        if pick.approximate, !acceptingApproximate { return nil }
        var rounded = Decimal()
        var value = pick.yuan
        NSDecimalRound(&rounded, &value, 0, .plain)
        return ChineseNumber.integer(rounded)
    }
}
