import TianpingCore

/// The family a rule belongs to: which engine raises its findings. Open to new engines (`RuleFamily(id: "evidence",
/// chineseName: "证据风险")`), so that adding one changes no file but its own.
public struct RuleFamily: Hashable, Sendable, Codable {
    /// A stable English identifier (`procedure`, `sentencing`, `ledger`).
    public let id: String
    public let chineseName: String

    public init(id: String, chineseName: String) {
        self.id = id
        self.chineseName = chineseName
    }

    /// The procedure pack (`procedure-rules.json`): deadlines, approvals, documents, signals.
    public static let procedure = RuleFamily(id: "procedure", chineseName: "程序性风险")
    /// Judgment-outcome review against the sentencing guideline and comparable judgments.
    public static let sentencing = RuleFamily(id: "sentencing", chineseName: "裁判结果风险")
    /// The dossier log's self-audit.
    public static let ledger = RuleFamily(id: "ledger", chineseName: "存证完整性")

    public init(from decoder: any Decoder) throws {
        let id = try decoder.singleValueContainer().decode(String.self)
        self = [Self.procedure, .sentencing, .ledger].first { $0.id == id } ?? RuleFamily(id: id, chineseName: id)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}

/// One rule that can raise a finding, as every page, API and command names it.
public struct CatalogueEntry: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var description: String
    /// The legal basis in one line (`《刑事诉讼法》第九十一条`).
    public var citation: String
    /// The rule's grade; `nil` where each finding carries its own (a sentencing bound rests on the graph's grade).
    public var grade: ConfidenceGrade?
    public var kind: FindingKind
    public var severity: Severity
    public var family: RuleFamily
    /// Whether its findings may become warnings (a disabled or grade-C rule never alerts).
    public var mayAlert: Bool

    public init(id: String, name: String, description: String, citation: String, grade: ConfidenceGrade?, kind: FindingKind,
        severity: Severity, family: RuleFamily, mayAlert: Bool)
    {
        self.id = id
        self.name = name
        self.description = description
        self.citation = citation
        self.grade = grade
        self.kind = kind
        self.severity = severity
        self.family = family
        self.mayAlert = mayAlert
    }

    /// A rule of the procedure pack.
    public init(_ rule: Rule) {
        self.init(id: rule.id, name: rule.name, description: rule.description, citation: rule.citationText, grade: rule.grade,
            kind: rule.findingKind, severity: rule.severity, family: .procedure, mayAlert: rule.enabled && rule.grade != .c)
    }

    /// The dossier log's self-audit: a stored row no longer matches the leaf that was appended for it.
    public static let ledgerAudit = CatalogueEntry(id: Finding.ledgerAuditRuleID, name: "存证日志自检",
        description: "存证日志自检发现已入库记录与其日志叶子不一致、检查点缺失或日志被截断，数据可能被篡改。",
        citation: Finding.ledgerAuditCitation, grade: .a, kind: .integrity, severity: .critical, family: .ledger,
        mayAlert: true)
}

/// Every rule that can raise a finding — the procedure pack's, and each other family's — under one id each, so
/// that a finding of any family can be filtered, named and explained in the same way everywhere.
///
/// ```swift
/// let catalogue = RuleCatalogue(pack: engine.pack, families: [SentencingRules.catalogueEntries])
/// catalogue.name("SENT-BELOW-MINIMUM")  // 低于法定最低刑且无减轻处罚情节
/// ```
public struct RuleCatalogue: Sendable {
    /// Pack rules first (in pack order), then the other families in the order given, then the ledger audit.
    public let entries: [CatalogueEntry]
    private let index: [String: Int]

    public init(pack: RulePack, families: [[CatalogueEntry]] = []) {
        var entries = pack.rules.map(CatalogueEntry.init)
        for family in families { entries += family }
        entries.append(.ledgerAudit)
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() where index[e.id] == nil { index[e.id] = i }
        self.entries = entries
        self.index = index
    }

    public func entry(_ id: String) -> CatalogueEntry? { index[id].map { entries[$0] } }

    public func contains(_ id: String) -> Bool { index[id] != nil }

    /// The rule's Chinese name, or its id for a rule no family registered (an old finding of a removed rule).
    public func name(_ id: String) -> String { entry(id)?.name ?? id }
}
