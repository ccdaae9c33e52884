import TianpingCore

/// How a kind of crime usually runs: how often the suspect is held in custody, what sentences follow,
/// whether there is a victim and whether the case tends to be complex enough for custody extensions.
struct CrimeProfile {
    var charge: String
    var weight: Int
    var custodyRate: Double
    /// Months of fixed-term imprisonment; `nil` lower bound means 拘役 is typical.
    var termMonths: ClosedRange<Int>
    /// Share of sentences that are 拘役 rather than 有期徒刑.
    var detentionShare: Double
    var probationRate: Double
    var hasVictim: Bool
    var complexRate: Double
    var fine: ClosedRange<Int>
    var flags: [String] = []

    static let all: [CrimeProfile] = [
        CrimeProfile(charge: "盗窃罪", weight: 22, custodyRate: 0.6, termMonths: 6...36, detentionShare: 0.3,
            probationRate: 0.3, hasVictim: true, complexRate: 0.02, fine: 1000...20000),
        CrimeProfile(charge: "危险驾驶罪", weight: 18, custodyRate: 0.05, termMonths: 1...6, detentionShare: 1.0,
            probationRate: 0.5, hasVictim: false, complexRate: 0, fine: 2000...10000),
        CrimeProfile(charge: "诈骗罪", weight: 12, custodyRate: 0.7, termMonths: 6...120, detentionShare: 0.1,
            probationRate: 0.2, hasVictim: true, complexRate: 0.1, fine: 5000...200000),
        CrimeProfile(charge: "故意伤害罪", weight: 8, custodyRate: 0.6, termMonths: 6...60, detentionShare: 0.1,
            probationRate: 0.3, hasVictim: true, complexRate: 0.05, fine: 0...0, flags: ["incidental_civil"]),
        CrimeProfile(charge: "帮助信息网络犯罪活动罪", weight: 8, custodyRate: 0.5, termMonths: 6...24,
            detentionShare: 0.3, probationRate: 0.4, hasVictim: false, complexRate: 0.02, fine: 2000...30000),
        CrimeProfile(charge: "走私、贩卖、运输、制造毒品罪", weight: 6, custodyRate: 0.95, termMonths: 6...180,
            detentionShare: 0.1, probationRate: 0.02, hasVictim: false, complexRate: 0.3, fine: 1000...50000),
        CrimeProfile(charge: "寻衅滋事罪", weight: 5, custodyRate: 0.6, termMonths: 6...36, detentionShare: 0.2,
            probationRate: 0.3, hasVictim: true, complexRate: 0.05, fine: 0...0, flags: ["gang"]),
        CrimeProfile(charge: "开设赌场罪", weight: 4, custodyRate: 0.6, termMonths: 6...60, detentionShare: 0.1,
            probationRate: 0.3, hasVictim: false, complexRate: 0.1, fine: 5000...100000),
        CrimeProfile(charge: "抢劫罪", weight: 3, custodyRate: 1.0, termMonths: 36...180, detentionShare: 0,
            probationRate: 0, hasVictim: true, complexRate: 0.2, fine: 2000...20000),
        CrimeProfile(charge: "交通肇事罪", weight: 4, custodyRate: 0.2, termMonths: 6...36, detentionShare: 0.1,
            probationRate: 0.5, hasVictim: true, complexRate: 0, fine: 0...0),
        CrimeProfile(charge: "掩饰、隐瞒犯罪所得、犯罪所得收益罪", weight: 3, custodyRate: 0.5, termMonths: 6...36,
            detentionShare: 0.2, probationRate: 0.4, hasVictim: false, complexRate: 0.05, fine: 2000...30000),
        CrimeProfile(charge: "非法吸收公众存款罪", weight: 2, custodyRate: 0.9, termMonths: 12...96,
            detentionShare: 0, probationRate: 0.2, hasVictim: false, complexRate: 0.5, fine: 50000...500000),
        CrimeProfile(charge: "故意杀人罪", weight: 1, custodyRate: 1.0, termMonths: 120...180, detentionShare: 0,
            probationRate: 0, hasVictim: true, complexRate: 1.0, fine: 0...0, flags: ["incidental_civil", "possible_death"]),
        CrimeProfile(charge: "强奸罪", weight: 1, custodyRate: 1.0, termMonths: 36...120, detentionShare: 0,
            probationRate: 0, hasVictim: true, complexRate: 0.3, fine: 0...0),
    ]

    static let circumstances = ["坦白", "自首", "认罪认罚", "退赃退赔", "取得谅解", "初犯", "累犯", "从犯"]
}

/// Causes of action for the non-criminal case mix.
enum Causes {
    static let civil = ["民间借贷纠纷", "买卖合同纠纷", "离婚纠纷", "机动车交通事故责任纠纷", "劳动争议", "物业服务合同纠纷",
        "房屋租赁合同纠纷", "金融借款合同纠纷", "建设工程施工合同纠纷", "继承纠纷"]
    static let administrative = ["不服行政处罚决定", "政府信息公开", "行政强制", "行政许可", "工伤认定", "房屋征收补偿"]
    static let enforcement = ["民间借贷纠纷执行", "买卖合同纠纷执行", "金融借款合同纠纷执行", "劳动争议执行"]
}
