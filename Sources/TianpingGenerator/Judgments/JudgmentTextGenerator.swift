import Foundation
import TianpingRetrieval

/// Invented first-instance criminal judgments of the generated province, written as courts write them (head, the
/// prosecution, 经审理查明, 本院认为 with the circumstances and the articles, 判决如下 with the sentence in Chinese
/// numerals), for the demo's similar-case library and for measuring the index at a million judgments. The terms are
/// plausible, not real: never score sentencing on them.
public struct JudgmentTextGenerator: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Judgment number `n` (0-based) of this seed: the same number always gives the same text.
    public func judgment(_ n: Int) -> LibraryJudgment {
        var rng = SplitMix64(seed: seed, stream: UInt64(n))
        let layout = Self.layout
        let county = rng.pick(layout.counties)
        let city = layout.cities[county.cityIndex]
        let court = ProvinceLayout.provinceName + city.name + county.name + "人民法院"
        let year = rng.int(2015...2024)
        let caseNumber = "（\(year)）\(ProvinceLayout.abbreviation)\(county.courtDigits)刑初\(rng.int(1...2_000))号"
        let name = Names.person(&rng)
        let crime = rng.weighted(Self.crimes.map { ($0, $0.weight) })
        let (facts, severity) = crime.facts(&rng, name, year - 1)
        var circumstances: [(text: String, article: Int?, factor: Double)] = []
        for c in Self.circumstances where rng.chance(c.rate) {
            circumstances.append((c.text.replacingOccurrences(of: "{name}", with: name), c.article, c.factor))
        }
        let factor = circumstances.reduce(1.0) { $0 * $1.factor }
        let months = max(1, Int((Double(crime.months.lowerBound) + severity * Double(crime.months.upperBound - crime.months.lowerBound)) * factor))
        let penalty = months < 6 && crime.detention ? "拘役" + Self.monthsText(months) : "有期徒刑" + Self.termText(max(6, months))
        let fine = crime.fine ? "，并处罚金人民币\(Self.chinese(rng.int(1...50) * 1000))元" : ""
        let articles = ([crime.article] + circumstances.compactMap(\.article) + (crime.fine ? [52, 53] : []) + [64])
            .reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
            .map { "第\(Self.chinese($0))条" + ($0 == 133 && crime.charge == "危险驾驶罪" ? "之一" : "") }
            .joined(separator: "、")
        let decided = "\(Self.yearText(year))年\(Self.chinese(rng.int(1...12)))月\(Self.chinese(rng.int(1...28)))日"
        let text = """
            \(court)
            刑事判决书
            \(caseNumber)
            公诉机关\(city.name)\(county.name)人民检察院。
            被告人\(name)，\(rng.chance(0.85) ? "男" : "女")，\(year - rng.int(18...60))年出生，汉族，\(rng.pick(["小学", "初中", "高中", "大专"]))文化，\(rng.pick(["无业", "农民", "个体经营者", "务工人员", "司机"]))。
            \(county.name)人民检察院以起诉书指控被告人\(name)犯\(crime.charge)，向本院提起公诉。本院依法组成合议庭，公开开庭审理了本案。
            经审理查明，\(facts)
            上述事实，有被告人的供述、证人证言、\(crime.evidence)等证据证实，足以认定。
            本院认为，被告人\(name)\(crime.holding)，其行为已构成\(crime.charge)。\(circumstances.map(\.text).joined())依照《中华人民共和国刑法》\(articles)之规定，判决如下：
            被告人\(name)犯\(crime.charge)，判处\(penalty)\(fine)。
            如不服本判决，可在接到判决书的第二日起十日内，通过本院或者直接向\(city.name)中级人民法院提出上诉。
            审判长\(Names.person(&rng))
            \(decided)
            书记员\(Names.person(&rng))
            """
        return LibraryJudgment(id: "generated:\(seed)-\(n)", source: "generated", title: "\(name)\(crime.charge.dropLast())一审刑事判决书", text: text)
    }

    static let layout = ProvinceLayout()

    struct Crime: Sendable {
        var charge: String
        var article: Int
        var weight: Int
        var months: ClosedRange<Int>
        var detention: Bool
        var fine: Bool
        var holding: String
        var evidence: String
        /// The facts and where they lie between the least and the most serious (0–1).
        var facts: @Sendable (inout SplitMix64, String, Int) -> (String, Double)
    }

    static let places = ["超市", "小区车库", "农贸市场", "网吧", "宾馆房间", "公交车上", "工地", "停车场", "居民楼", "商场"]

    static let crimes: [Crime] = [
        Crime(charge: "盗窃罪", article: 264, weight: 22, months: 3...48, detention: true, fine: true, holding: "以非法占有为目的，秘密窃取他人财物，数额较大",
            evidence: "价格认定结论书、监控录像") { rng, name, year in
            let yuan = rng.int(1...60) * 500
            let item = rng.pick(["电动车", "手机", "现金", "笔记本电脑", "电缆线", "黄金项链"])
            return ("\(Self.day(&rng, year))，被告人\(name)在\(rng.pick(places))\(rng.pick(["趁无人之机", "趁被害人不备", "撬锁", "翻窗入户"]))盗窃\(item)，价值人民币\(chinese(yuan))元。案发后赃物已追回发还。", Double(yuan) / 30_000)
        },
        Crime(charge: "危险驾驶罪", article: 133, weight: 18, months: 1...6, detention: true, fine: true, holding: "在道路上醉酒驾驶机动车",
            evidence: "血液酒精含量检验报告、呼气酒精含量检测单") { rng, name, year in
            let alcohol = rng.int(80...260)
            return ("\(Self.day(&rng, year))，被告人\(name)饮酒后驾驶小型轿车行驶至\(rng.pick(["人民路", "滨江大道", "建设路", "环城南路"]))时被民警查获。经鉴定，其血液中乙醇含量为\(alcohol)mg/100ml。", Double(alcohol - 80) / 180)
        },
        Crime(charge: "诈骗罪", article: 266, weight: 12, months: 6...120, detention: false, fine: true, holding: "以非法占有为目的，虚构事实、隐瞒真相，骗取他人财物",
            evidence: "银行交易明细、聊天记录") { rng, name, year in
            let yuan = rng.int(1...100) * 2_000
            return ("\(Self.day(&rng, year))起，被告人\(name)\(rng.pick(["冒充银行工作人员", "以帮助办理贷款为名", "谎称可以安排工作", "通过网络虚假投资平台"]))，骗取被害人人民币\(chinese(yuan))元，用于个人挥霍。", Double(yuan) / 200_000)
        },
        Crime(charge: "故意伤害罪", article: 234, weight: 8, months: 6...60, detention: false, fine: false, holding: "故意伤害他人身体，致人轻伤",
            evidence: "法医学人体损伤程度鉴定意见") { rng, name, year in
            let serious = rng.chance(0.2)
            return ("\(Self.day(&rng, year))，被告人\(name)因琐事与被害人发生争执，持\(rng.pick(["木棍", "砖块", "水果刀"]))将被害人打伤。经鉴定，被害人的损伤程度为\(serious ? "重伤二级" : "轻伤一级")。", serious ? 0.8 : 0.2)
        },
        Crime(charge: "帮助信息网络犯罪活动罪", article: 287, weight: 8, months: 6...24, detention: true, fine: true, holding: "明知他人利用信息网络实施犯罪，为其犯罪提供支付结算帮助，情节严重",
            evidence: "银行卡交易流水") { rng, name, year in
            let cards = rng.int(1...8)
            return ("\(Self.day(&rng, year))，被告人\(name)明知他人利用信息网络实施犯罪，仍将本人办理的\(chinese(cards))张银行卡出售给他人使用，上述银行卡流入涉诈资金人民币\(chinese(rng.int(20...500)))万元。", Double(cards) / 8)
        },
        Crime(charge: "走私、贩卖、运输、制造毒品罪", article: 347, weight: 6, months: 6...180, detention: false, fine: true, holding: "明知是毒品而贩卖",
            evidence: "毒品检验鉴定报告、称量笔录") { rng, name, year in
            let grams = rng.int(1...60)
            return ("\(Self.day(&rng, year))，被告人\(name)在\(rng.pick(places))以人民币\(chinese(grams * 200))元的价格向吸毒人员贩卖甲基苯丙胺\(chinese(grams))克，被公安民警当场抓获。", Double(grams) / 60)
        },
        Crime(charge: "寻衅滋事罪", article: 293, weight: 5, months: 6...36, detention: true, fine: false, holding: "随意殴打他人，情节恶劣",
            evidence: "视听资料、伤情鉴定意见") { rng, name, year in
            ("\(Self.day(&rng, year))，被告人\(name)酒后在\(rng.pick(places))无故辱骂、殴打他人，致\(chinese(rng.int(1...3)))人轻微伤，并毁坏店内财物。", rng.chance(0.5) ? 0.3 : 0.6)
        },
        Crime(charge: "开设赌场罪", article: 303, weight: 4, months: 6...60, detention: false, fine: true, holding: "以营利为目的开设赌场",
            evidence: "抽头记录、赌资") { rng, name, year in
            let yuan = rng.int(1...50) * 1_000
            return ("\(Self.day(&rng, year))起，被告人\(name)在\(rng.pick(["自家民房", "租用的棋牌室", "山林空地"]))组织他人赌博，从中抽头渔利人民币\(chinese(yuan))元。", Double(yuan) / 50_000)
        },
        Crime(charge: "抢劫罪", article: 263, weight: 3, months: 36...180, detention: false, fine: true, holding: "以非法占有为目的，以暴力手段劫取他人财物",
            evidence: "被害人陈述、辨认笔录") { rng, name, year in
            let yuan = rng.int(1...40) * 500
            return ("\(Self.day(&rng, year))夜，被告人\(name)持刀在\(rng.pick(["偏僻路段", "小区门口", "公园"]))拦截被害人，劫得现金及手机共计价值人民币\(chinese(yuan))元。", Double(yuan) / 20_000)
        },
        Crime(charge: "交通肇事罪", article: 133, weight: 4, months: 6...36, detention: false, fine: false, holding: "违反交通运输管理法规，因而发生重大事故，致一人死亡",
            evidence: "道路交通事故认定书、尸体检验报告") { rng, name, year in
            let fled = rng.chance(0.2)
            return ("\(Self.day(&rng, year))，被告人\(name)驾驶货车行经\(rng.pick(["国道", "县道", "城区路口"]))时未注意观察，与行人相撞，致其死亡。\(fled ? "事故发生后被告人驾车逃逸。" : "")经认定，被告人负事故全部责任。", fled ? 0.8 : 0.3)
        },
    ]

    static let circumstances: [(text: String, article: Int?, factor: Double, rate: Double)] = [
        ("被告人{name}经电话通知主动到案，如实供述自己的罪行，系自首，依法可以从轻处罚。", 67, 0.8, 0.25),
        ("被告人{name}到案后如实供述自己的罪行，系坦白，依法可以从轻处罚。", 67, 0.9, 0.5),
        ("被告人{name}自愿认罪认罚，依法可以从宽处理。", nil, 0.85, 0.6),
        ("被告人{name}已退赔被害人经济损失并取得谅解，可以酌情从轻处罚。", nil, 0.85, 0.3),
        ("被告人{name}曾因故意犯罪被判处有期徒刑，刑罚执行完毕后五年内再犯应当判处有期徒刑以上刑罚之罪，系累犯，应当从重处罚。", 65, 1.3, 0.1),
    ]

    /// A day of `year` as the facts write it, with the hour.
    static func day(_ rng: inout SplitMix64, _ year: Int) -> String {
        "\(yearText(year))年\(chinese(rng.int(1...12)))月\(chinese(rng.int(1...28)))日\(chinese(rng.int(0...23)))时许"
    }

    /// A term as judgments write it: 一年六个月, 八个月, 三年.
    static func termText(_ months: Int) -> String {
        let years = months / 12, rest = months % 12
        return (years > 0 ? chinese(years) + "年" : "") + (rest > 0 ? monthsText(rest) : "")
    }

    static func monthsText(_ months: Int) -> String { chinese(months) + "个月" }

    /// A year as judgments write it, digit by digit: 二〇二三.
    static func yearText(_ year: Int) -> String {
        let digits = Array("〇一二三四五六七八九")
        return String(String(year).map { digits[Int(String($0))!] })
    }

    /// An integer in Chinese numerals: 二百六十四, 一万二千五百, 二千.
    static func chinese(_ value: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        func below10k(_ v: Int) -> String {
            var out = ""
            var zero = false
            for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
                let d = v / unit % 10
                if d == 0 {
                    if !out.isEmpty { zero = true }
                    continue
                }
                if zero { out.append("零"); zero = false }
                if !(unit == 10 && d == 1 && out.isEmpty) { out.append(digits[d]) }
                out += name
            }
            return out.isEmpty ? "零" : out
        }
        if value < 10_000 { return below10k(value) }
        let high = value / 10_000, low = value % 10_000
        return below10k(high) + "万" + (low == 0 ? "" : (low < 1000 ? "零" : "") + below10k(low))
    }
}
