import TianpingCore
import TianpingRules
import TianpingStore

extension StoredFinding {
    /// The finding as a masked view shows it: an explanation may quote what an agency sent (a legal ground it cited,
    /// an approver), so it goes through its case's free-text masker like the case's own text (issue 14, item 9).
    func masked(_ maskers: [String: FreeTextMasker]) -> StoredFinding {
        var s = self
        s.finding.explanation = (maskers[s.finding.caseID] ?? .patterns)(s.finding.explanation)
        return s
    }
}

extension FindingChange {
    /// A history entry's explanation, masked like the finding's.
    func masked(_ text: FreeTextMasker) -> FindingChange {
        var c = self
        c.explanation = text(c.explanation)
        return c
    }
}
