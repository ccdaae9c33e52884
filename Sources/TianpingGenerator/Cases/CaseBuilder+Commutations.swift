import TianpingCore

/// 减刑 in prison: a convict serving two years or more may be commuted while the generated province runs. A lawful
/// history stays inside every table of the commutation rules with margin — first proposal 25 to 30 months after
/// delivery, 6 months cut for repentance, the next proposal 25 to 30 months after the last ruling was served, never past
/// half the term — and a planted one breaks exactly one of them (CP-START, CP-CAP, CP-INTERVAL).
///
/// The plan draws from its own stream (seeded by the case id), so that adding it left every other generated record of
/// a seed as it was.
extension CaseBuilder {
    struct CommutationStep {
        var proposed: Int
        var ruled: Int
        var served: Int
        var cut: Int
        var number: String
    }

    struct CommutationPlan {
        var steps: [CommutationStep] = []
        var planted: (violation: PlantedViolation, detail: String)?
        var totalCut: Int { steps.reduce(0) { $0 + $1.cut } }
    }

    /// The commutations of a convict delivered to prison on `delivered`, whose term of `term` months runs from
    /// `start`; `effective` is the day the judgment took effect (for SPC-2016 Art. 16's "less than two years left").
    func planCommutations(term: Int, start: Int, delivered: Int, effective: Int) -> CommutationPlan {
        var plan = CommutationPlan()
        guard term >= 24 else { return plan }
        var r = SplitMix64(seed: Self.streamSeed(caseID), stream: 0xC0_33)
        let end = monthsAfter(start, term) - 1
        // Planting needs room: a too-early first proposal must not fall under Art. 16 (under two years left when the
        // judgment took effect), a large cut must stay above half the term.
        let roomy = term >= 48 && end - effective > 800
        let planted: PlantedViolation? = roomy && r.chance(violationRate * 2)
            ? r.pick([.commutationTooEarly, .commutationTooLarge, .commutationIntervalShort]) : nil
        var serial = r.int(100...899)
        func step(proposed: Int, cut: Int, r: inout SplitMix64) -> CommutationStep {
            let ruled = proposed + r.int(20...40)
            serial += 1
            let year = CalendarDate(dayNumber: ruled).year
            return CommutationStep(proposed: proposed, ruled: ruled, served: ruled + r.int(2...6), cut: cut,
                number: "（\(year)）\(ProvinceLayout.abbreviation)0\(county.cityIndex + 1)刑更\(serial)号")
        }
        /// The term's last day after the cuts so far.
        func currentEnd(_ cut: Int) -> Int { monthsAfter(start, term - cut) - 1 }
        var proposed = planted == .commutationTooEarly ? monthsAfter(delivered, r.int(5...8)) : monthsAfter(delivered, r.int(25...30)) + r.int(0...20)
        while proposed + 60 < Self.horizonDay, proposed + 60 < currentEnd(plan.totalCut) {
            var cut = 6
            if planted == .commutationTooLarge, plan.steps.isEmpty { cut = r.int(13...15) }
            // Half the term at least (刑法 78(2)), with a month's margin.
            guard (plan.totalCut + cut) * 2 <= term - 2 else { break }
            let s = step(proposed: proposed, cut: cut, r: &r)
            guard s.served + 30 < currentEnd(plan.totalCut + cut) else { break }
            plan.steps.append(s)
            if let p = planted, plan.planted == nil {
                switch p {
                case .commutationTooEarly:
                    plan.planted = (p, "交付执行后 \(s.proposed - delivered) 日即报请首次减刑")
                case .commutationTooLarge:
                    plan.planted = (p, "以确有悔改表现一次减去 \(cut) 个月")
                case .commutationIntervalShort where plan.steps.count == 2:
                    plan.planted = (p, "距上次减刑裁定送达 \(s.proposed - plan.steps[0].served) 日即再次报请")
                default: break
                }
            }
            if plan.planted != nil { break }
            let gap = planted == .commutationIntervalShort ? r.int(6...9) : r.int(25...30)
            proposed = monthsAfter(s.served, gap) + r.int(0...20)
        }
        return plan
    }

    struct ParolePlan {
        var proposed: Int
        var ruled: Int
        var served: Int
        var number: String
        /// The execution record says the convict is a recidivist (a planted bar).
        var recidivist: Bool
        var planted: (violation: PlantedViolation, detail: String)?
    }

    /// Parole for some convicts serving two to ten years who were not commuted: ruled 1 to 6 months after half the
    /// term was served (custody credited, 刑法 81); a planted one comes 2 to 5 months before half, or is a recidivist's.
    func planParole(term: Int, start: Int, delivered: Int) -> ParolePlan? {
        guard (24..<120).contains(term) else { return nil }
        var r = SplitMix64(seed: Self.streamSeed(caseID), stream: 0xC0_35)
        let end = monthsAfter(start, term) - 1
        let half = start + (end - start + 2) / 2
        let planted: PlantedViolation? = r.chance(violationRate) ? r.pick([.paroleTooEarly, .paroleBarred]) : nil
        guard planted != nil || r.chance(0.15) else { return nil }
        let ruled = planted == .paroleTooEarly ? half - r.int(60...150) : half + r.int(30...180)
        guard ruled > delivered + 180, ruled + 60 < end, ruled + 30 < Self.horizonDay else { return nil }
        let year = CalendarDate(dayNumber: ruled).year
        var plan = ParolePlan(proposed: ruled - r.int(20...40), ruled: ruled, served: ruled + r.int(2...6),
            number: "（\(year)）\(ProvinceLayout.abbreviation)0\(county.cityIndex + 1)刑更\(r.int(1000...1999))号", recidivist: planted == .paroleBarred)
        switch planted {
        case .paroleTooEarly?: plan.planted = (.paroleTooEarly, "刑期过半之日前 \(half - ruled) 日裁定假释")
        case .paroleBarred?: plan.planted = (.paroleBarred, "执行记录载明为累犯，仍裁定假释")
        default: break
        }
        return plan
    }

    /// A stable seed from the case id (FNV-1a), for streams that must not move the main generator.
    static func streamSeed(_ id: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in id.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01B3
        }
        return h
    }
}
