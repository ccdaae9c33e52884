/// The eight groups of evidence listed in CPL Art. 50 (《刑事诉讼法》第五十条).
public enum EvidenceCategory: String, Codable, Sendable, CaseIterable {
    case physical  // 物证
    case documentary  // 书证
    case witnessTestimony = "witness_testimony"  // 证人证言
    case victimStatement = "victim_statement"  // 被害人陈述
    case accusedStatement = "accused_statement"  // 犯罪嫌疑人、被告人供述和辩解
    case expertOpinion = "expert_opinion"  // 鉴定意见
    case inspectionRecord = "inspection_record"  // 勘验、检查、辨认、侦查实验等笔录
    case audioVisualElectronic = "audio_visual_electronic"  // 视听资料、电子数据

    public var chineseName: String {
        switch self {
        case .physical: return "物证"
        case .documentary: return "书证"
        case .witnessTestimony: return "证人证言"
        case .victimStatement: return "被害人陈述"
        case .accusedStatement: return "犯罪嫌疑人、被告人供述和辩解"
        case .expertOpinion: return "鉴定意见"
        case .inspectionRecord: return "勘验、检查、辨认、侦查实验等笔录"
        case .audioVisualElectronic: return "视听资料、电子数据"
        }
    }
}

/// An item of evidence in a case file.
public struct EvidenceItem: Hashable, Sendable, Codable {
    public var category: EvidenceCategory
    public var description: String
    public var collectedAt: Timestamp
    /// The collecting agency's code.
    public var collectedBy: String
    /// Investigators present (person ids); interrogations and identifications need at least two.
    public var collectors: [String]
    /// The person whose statement it is, for statements.
    public var person: String?
    /// Whether the act was audio-video recorded (CPL 123).
    public var recorded: Bool?
    /// SHA-256 of the item's digital copy, if any.
    public var contentHash: String?

    public init(category: EvidenceCategory, description: String, collectedAt: Timestamp, collectedBy: String,
        collectors: [String] = [], person: String? = nil, recorded: Bool? = nil, contentHash: String? = nil)
    {
        self.category = category
        self.description = description
        self.collectedAt = collectedAt
        self.collectedBy = collectedBy
        self.collectors = collectors
        self.person = person
        self.recorded = recorded
        self.contentHash = contentHash
    }
}
