import TianpingCore

/// Whether a stored finding still stands.
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    case open
    /// Later data cured it (an approval dated before the arrest arrived); it reopens if the breach comes back.
    case resolved
}

/// What happened to a stored finding, as its history records it.
public enum FindingChangeKind: String, Sendable, Codable, CaseIterable {
    case opened, updated, resolved, reopened
}

/// The decision half of storing findings: given what is stored for some cases and what the engines found now, which
/// findings to open, update, reopen or resolve — a pure value, tested without a database, that the store then
/// writes in one transaction (read → plan → write).
public struct FindingReconciliation: Sendable {
    /// A stored finding as the plan needs it.
    public struct Stored: Sendable, Hashable {
        public var status: FindingStatus
        /// ``Finding/signature``: what a supervisor would call the same breach.
        public var signature: String
        /// The stored JSON body, to refresh wording without counting a change.
        public var body: String

        public init(status: FindingStatus, signature: String, body: String) {
            self.status = status
            self.signature = signature
            self.body = body
        }
    }

    /// One finding to write, with the change its history records (`nil`: the wording changed, not the breach).
    public struct Write: Sendable {
        public var finding: Finding
        public var body: String
        public var change: FindingChangeKind?
    }

    /// Findings seen for the first time.
    public var opens: [Write] = []
    /// Findings stored before whose row is rewritten: reopened, updated, or refreshed silently.
    public var updates: [Write] = []
    /// Ids of open findings the engines no longer raise.
    public var resolves: [String] = []
    /// Stored findings that stand as they were.
    public var unchanged = 0

    /// The history text of an automatic resolution.
    public static let resolvedExplanation = "后续数据表明该问题已不存在（相关记录已补正或补报），自动销号。"

    /// Plans the reconciliation. `existing` holds every stored finding the evaluation is responsible for (the callers
    /// leave out the families another pass owns); `body` encodes a finding as it is stored.
    public init(existing: [String: Stored], found: [Finding], body: (Finding) throws -> String) rethrows {
        var seen = Set<String>()
        for f in found {
            seen.insert(f.id)
            let text = try body(f)
            guard let old = existing[f.id] else {
                opens.append(Write(finding: f, body: text, change: .opened))
                continue
            }
            if old.status != .open {
                updates.append(Write(finding: f, body: text, change: .reopened))
            } else if old.signature != f.signature {
                updates.append(Write(finding: f, body: text, change: .updated))
            } else if old.body != text {
                updates.append(Write(finding: f, body: text, change: nil))
                unchanged += 1
            } else {
                unchanged += 1
            }
        }
        resolves = existing.filter { $0.value.status == .open && !seen.contains($0.key) }.map(\.key).sorted()
    }

    public var reopened: Int { updates.count { $0.change == .reopened } }
    public var updated: Int { updates.count { $0.change == .updated } }
}

extension Finding {
    /// What makes two evaluations the same breach: the rule, the records involved, the deadline, the act, whether it
    /// is still running and who answers for it. Wording, lateness growing by a day and the pack version are not.
    public var signature: String {
        [ruleID, events.joined(separator: ","), documents.joined(separator: ","), dueAt.map { "\($0.secondsSinceEpoch)" } ?? "",
            actualAt.map { "\($0.secondsSinceEpoch)" } ?? "", ongoing ? "1" : "0", agency ?? ""].joined(separator: "|")
    }
}
