import Crypto
import TianpingCore

/// Judgments with the facts that agree with each sentence, and the execution records that follow them.
extension CaseBuilder {
    mutating func writeJudgment(defendant: String, number: String, instance: Int, court: String, at: LocalTime,
        charges: [String], penalty: PrincipalPenalty, term: Int, probation: Int?, fine: Int?, circumstances: [String],
        facts: GeneratedFacts?)
    {
        begin("judgment", source: court, id: caseID + "-J" + String(instance))
        out.string("defendant", defendant)
        out.string("caseNumber", number)
        out.int("instance", instance)
        out.string("court", court)
        out.time("decidedAt", at)
        out.beginArray("charges")
        for c in charges { out.element(c) }
        out.endArray()
        out.string("principalPenalty", penalty.rawValue)
        out.int("termMonths", term)
        out.int("probationMonths", probation)
        out.int("fineYuan", fine)
        out.beginArray("circumstances")
        for c in circumstances { out.element(c) }
        out.endArray()
        if let facts {
            out.beginObject("facts")
            out.int("amountYuan", facts.amountYuan)
            out.string("drug", facts.drug)
            out.int("drugGrams", facts.drugGrams)
            out.string("injury", facts.injury)
            out.int("bloodAlcohol", facts.bloodAlcohol)
            if !facts.cues.isEmpty {
                out.beginArray("cues")
                for c in facts.cues { out.element(c) }
                out.endArray()
            }
            out.endObject()
        }
        end()
    }

    /// The facts a judgment's sentence turns on, drawn to agree with the term (an amount in the band the term belongs
    /// to), from a generator of their own so that the rest of the province is unchanged. About one fraud judgment in
    /// twenty without 自首 (the only ground for going below the minimum among the circumstances generated) gets an
    /// amount of the next band up: a sentence below the statutory minimum for the sentencing review to find.
    static func sentencingFacts(charge: String, term: Int, circumstances: [String], caseID: String) -> GeneratedFacts? {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in caseID.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        var r = SplitMix64(seed: hash, stream: 0x5E7_7E7C)
        var f = GeneratedFacts()
        switch charge {
        case "盗窃罪":
            f.amountYuan = r.int(2_000...29_000) / 10 * 10
        case "诈骗罪":
            let planted = term <= 30 && !circumstances.contains("自首") && r.chance(0.05)
            f.amountYuan = term > 36 || planted ? r.int(100_000...450_000) / 100 * 100 : r.int(10_000...29_000) / 10 * 10
        case "掩饰、隐瞒犯罪所得、犯罪所得收益罪":
            f.amountYuan = r.int(5_000...90_000) / 10 * 10
        case "故意伤害罪":
            f.injury = term > 36 ? "serious" : "minor"
        case "危险驾驶罪":
            f.bloodAlcohol = 80 + term * 30 + r.int(0...29)
        case "走私、贩卖、运输、制造毒品罪":
            f.drug = "甲基苯丙胺"
            switch term {
            case ...36: f.drugGrams = r.int(1...9)
            case ...84:
                f.drugGrams = r.int(2...9)
                f.cues = ["情节严重"]
            case ..<180: f.drugGrams = r.int(10...49)
            default: f.drugGrams = r.int(50...90)
            }
        case "抢劫罪":
            if term > 120 { f.cues = ["入户抢劫"] }
        case "非法吸收公众存款罪":
            f.amountYuan = term > 36 ? r.int(1_000_000...9_000_000) / 1000 * 1000 : r.int(200_000...900_000) / 1000 * 1000
            if term > 36 { f.cues = ["数额巨大"] }
        default:
            return nil
        }
        return f
    }

    mutating func writeExecution(convict: String, facility: String, source: String, start: Int, end endDay: Int,
        status: String, delivered: Int? = nil, commutations: [CommutationStep] = [], parole: ParolePlan? = nil)
    {
        begin("execution", source: source, id: caseID + "-X1")
        out.string("convict", convict)
        out.string("facility", facility)
        out.date("termStart", day: start)
        out.date("termEnd", day: max(start, endDay))
        if let delivered { out.date("deliveredOn", day: delivered) }
        out.beginArray("commutations")
        for c in commutations {
            out.beginElementObject()
            out.time("ruledAt", LocalTime(day: c.ruled, hour: 10))
            out.string("rulingNumber", c.number)
            out.int("reductionMonths", c.cut)
            out.date("proposedOn", day: c.proposed)
            out.date("servedOn", day: c.served)
            out.string("grounds", CommutationGrounds.repentance.rawValue)
            out.endObject()
        }
        out.endArray()
        if parole?.recidivist == true {
            out.beginArray("categories")
            out.element(PrisonerCategory.recidivist.rawValue)
            out.endArray()
        }
        if let p = parole {
            out.beginObject("parole")
            out.time("ruledAt", LocalTime(day: p.ruled, hour: 10))
            out.string("rulingNumber", p.number)
            out.date("proposedOn", day: p.proposed)
            out.date("servedOn", day: p.served)
            out.endObject()
        }
        out.string("status", status)
        end()
    }
}
