import TianpingCore
import TianpingRules
import Testing

/// The decisions of storing findings, without a database: open, update, reopen, resolve, or leave alone.
@Suite("Finding reconciliation plan")
struct FindingReconciliationTests {
    func finding(_ anchor: String, rule: String = "M6", due: Int64 = 1_000, ongoing: Bool = false, text: String = "说明") -> Finding {
        var f = Finding(id: Finding.key(rule: rule, caseID: "C1", anchor: anchor), ruleID: rule, caseID: "C1", kind: .violation,
            severity: .high, grade: .a, agency: "520102GA01", person: "P1", occurredAt: Timestamp(secondsSinceEpoch: due + 1),
            explanation: text, citation: "《刑事诉讼法》第九十一条")
        f.events = [anchor]
        f.dueAt = Timestamp(secondsSinceEpoch: due)
        f.ongoing = ongoing
        return f
    }

    func stored(_ f: Finding, _ status: FindingStatus = .open) -> FindingReconciliation.Stored {
        .init(status: status, signature: f.signature, body: f.explanation)
    }

    @Test("new findings open; a changed breach updates; a resolved one that returns reopens; a wording change is silent")
    func decisions() {
        let kept = finding("E1")
        let moved = finding("E2", due: 2_000)
        let returning = finding("E3")
        let reworded = finding("E4", text: "新说明")
        let cured = finding("E5")
        let alreadyResolved = finding("E6")
        let existing: [String: FindingReconciliation.Stored] = [
            kept.id: stored(kept), moved.id: stored(finding("E2", due: 1_500)), returning.id: stored(returning, .resolved),
            reworded.id: stored(finding("E4", text: "旧说明")), cured.id: stored(cured), alreadyResolved.id: stored(alreadyResolved, .resolved),
        ]
        let new = finding("E7")
        let plan = FindingReconciliation(existing: existing, found: [kept, moved, returning, reworded, new]) { $0.explanation }
        #expect(plan.opens.map(\.finding.id) == [new.id])
        #expect(plan.opens.first?.change == .opened)
        #expect(Dictionary(uniqueKeysWithValues: plan.updates.map { ($0.finding.id, $0.change) })
            == [moved.id: .updated, returning.id: .reopened, reworded.id: nil])
        #expect(plan.resolves == [cured.id], "only open findings the engines no longer raise; a resolved one stays as it is")
        #expect(plan.unchanged == 2, "the kept finding and the silently reworded one")
        #expect(plan.updated == 1 && plan.reopened == 1)
    }

    @Test("the signature ignores wording and growing lateness but not the deadline, the act or who answers")
    func signature() {
        let a = finding("E1")
        var b = a
        b.explanation = "另一种表述"
        b.lateness = Lateness(amount: 3, unit: .days)
        #expect(a.signature == b.signature)
        var c = a
        c.agency = "520102GA02"
        #expect(a.signature != c.signature)
        #expect(a.signature != finding("E1", ongoing: true).signature)
    }
}
