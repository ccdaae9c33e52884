import TianpingText

extension LibraryJudgment {
    /// The sentence this judgment gave for `charges`: the sentence its source states (CAIL2018 states one per case),
    /// else that of the defendant convicted of most of `charges` (the first named on a tie), else `nil`.
    ///
    /// A judgment with several defendants is one comparable, not several: the one whose conviction is closest to the
    /// case searched for stands for it.
    public func outcome(for charges: [String], reading: JudgmentReading) -> SentenceOutcome? {
        if let stated = statedSentence {
            if stated.death { return .death }
            if stated.life { return .life }
            if let months = stated.termMonths { return months > 0 ? .term(months: months) : .nonCustodial }
        }
        let ranked = reading.defendants.enumerated().compactMap { index, defendant -> (Double, Int, SentenceOutcome)? in
            guard let outcome = SentenceOutcome(defendant) else { return nil }
            return (ChargeName.recall(of: charges, in: defendant.charges), -index, outcome)
        }
        return ranked.max { ($0.0, $0.1) < ($1.0, $1.1) }?.2
    }

    /// Whether the judgment decided exactly the charges searched for: each of `charges` and nothing else.
    public static func decides(exactly charges: [String], _ decided: [String]) -> Bool {
        guard !charges.isEmpty, !decided.isEmpty else { return false }
        return charges.allSatisfy { c in decided.contains { ChargeName.matches(c, $0) } }
            && decided.allSatisfy { d in charges.contains { ChargeName.matches(d, $0) } }
    }
}
