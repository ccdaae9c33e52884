import TianpingCore

/// What happened to each line, per record kind.
public enum IngestOutcome: String, Codable, Sendable, CaseIterable {
    /// A record identity seen for the first time.
    case accepted
    /// A higher version that replaced the current one (the earlier is kept as history).
    case superseded
    /// Already stored with the same content: nothing changed.
    case unchanged
    /// A lower version arriving after a higher one: stored as history, not current.
    case historical
    case quarantined

    public var chineseName: String {
        switch self {
        case .accepted: return "新增"
        case .superseded: return "更正（新版本）"
        case .unchanged: return "未变化"
        case .historical: return "历史版本"
        case .quarantined: return "隔离"
        }
    }
}

/// Counts per kind and outcome for one ingest run.
public struct IngestSummary: Sendable, Codable, Equatable {
    /// kind (or `unreadable` for lines whose kind could not be read) → outcome → count.
    public var counts: [String: [String: Int]] = [:]
    public var lines = 0
    public var blankLines = 0
    public var bytes = 0

    public init() {}

    mutating func add(_ kind: String, _ outcome: IngestOutcome) {
        counts[kind, default: [:]][outcome.rawValue, default: 0] += 1
    }

    public func total(_ outcome: IngestOutcome) -> Int {
        counts.values.reduce(0) { $0 + ($1[outcome.rawValue] ?? 0) }
    }

    /// Whether the run changed anything stored.
    public var changedNothing: Bool {
        total(.accepted) + total(.superseded) + total(.historical) + total(.quarantined) == 0
    }

    public mutating func merge(_ other: IngestSummary) {
        for (kind, outcomes) in other.counts {
            for (o, n) in outcomes { counts[kind, default: [:]][o, default: 0] += n }
        }
        lines += other.lines
        blankLines += other.blankLines
        bytes += other.bytes
    }

    /// A table in Chinese for the terminal.
    public func table() -> String {
        let outcomes = IngestOutcome.allCases
        var rows = ["类型\t" + outcomes.map(\.chineseName).joined(separator: "\t")]
        let kinds = RecordKind.allCases.map(\.rawValue) + ["unreadable"]
        for kind in kinds where counts[kind] != nil {
            let label = RecordKind(rawValue: kind)?.chineseName ?? "无法识别"
            rows.append(label + "\t" + outcomes.map { String(counts[kind]?[$0.rawValue] ?? 0) }.joined(separator: "\t"))
        }
        rows.append("合计\t" + outcomes.map { String(total($0)) }.joined(separator: "\t"))
        return rows.joined(separator: "\n")
    }
}
