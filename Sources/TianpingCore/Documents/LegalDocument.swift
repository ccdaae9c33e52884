/// Legal documents (法律文书) whose presence, timing and content the platform checks.
///
/// The list follows the stages of `evidence-and-documents.md` §1; `other` carries any further type by name.
public enum DocumentType: String, Codable, Sendable, CaseIterable {
    case acceptanceRegister = "acceptance_register"  // 受案登记表
    case acceptanceReceipt = "acceptance_receipt"  // 受案回执
    case filingDecision = "filing_decision"  // 立案决定书
    case nonFilingNotice = "non_filing_notice"  // 不予立案通知书
    case summonsWarrant = "summons_warrant"  // 传唤证
    case detentionWarrant = "detention_warrant"  // 拘留证
    case detentionNotice = "detention_notice"  // 拘留通知书
    case interrogationRecord = "interrogation_record"  // 讯问笔录
    case arrestRequest = "arrest_request"  // 提请批准逮捕书
    case arrestApproval = "arrest_approval"  // 批准逮捕决定书
    case arrestDenial = "arrest_denial"  // 不批准逮捕决定书
    case arrestWarrant = "arrest_warrant"  // 逮捕证
    case arrestNotice = "arrest_notice"  // 逮捕通知书
    case custodyExtensionApproval = "custody_extension_approval"  // 批准延长侦查羁押期限决定书
    case bailDecision = "bail_decision"  // 取保候审决定书
    case surveillanceDecision = "surveillance_decision"  // 监视居住决定书
    case prosecutionOpinion = "prosecution_opinion"  // 起诉意见书
    case supplementaryInvestigationDecision = "supplementary_investigation_decision"  // 退回补充侦查决定书
    case pleaAgreement = "plea_agreement"  // 认罪认罚具结书
    case indictment  // 起诉书
    case nonProsecutionDecision = "non_prosecution_decision"  // 不起诉决定书
    case withdrawalDecision = "withdrawal_decision"  // 撤销案件决定书
    case serviceReceipt = "service_receipt"  // 送达回证
    case hearingRecord = "hearing_record"  // 庭审笔录
    case judgment  // 判决书
    case ruling  // 裁定书
    case appealPetition = "appeal_petition"  // 上诉状
    case protestPetition = "protest_petition"  // 抗诉书
    case executionNotice = "execution_notice"  // 执行通知书
    case caseClosingRegister = "case_closing_register"  // 结案登记表
    case releaseCertificate = "release_certificate"  // 释放证明书
    case commutationProposal = "commutation_proposal"  // 减刑建议书
    case paroleProposal = "parole_proposal"  // 假释建议书
    case extensionApproval = "extension_approval"  // 延长审限审批表
    case complaint  // 起诉状（民事、行政）
    case enforcementApplication = "enforcement_application"  // 执行申请书
    case other

    public var chineseName: String {
        switch self {
        case .acceptanceRegister: return "受案登记表"
        case .acceptanceReceipt: return "受案回执"
        case .filingDecision: return "立案决定书"
        case .nonFilingNotice: return "不予立案通知书"
        case .summonsWarrant: return "传唤证"
        case .detentionWarrant: return "拘留证"
        case .detentionNotice: return "拘留通知书"
        case .interrogationRecord: return "讯问笔录"
        case .arrestRequest: return "提请批准逮捕书"
        case .arrestApproval: return "批准逮捕决定书"
        case .arrestDenial: return "不批准逮捕决定书"
        case .arrestWarrant: return "逮捕证"
        case .arrestNotice: return "逮捕通知书"
        case .custodyExtensionApproval: return "批准延长侦查羁押期限决定书"
        case .bailDecision: return "取保候审决定书"
        case .surveillanceDecision: return "监视居住决定书"
        case .prosecutionOpinion: return "起诉意见书"
        case .supplementaryInvestigationDecision: return "退回补充侦查决定书"
        case .pleaAgreement: return "认罪认罚具结书"
        case .indictment: return "起诉书"
        case .nonProsecutionDecision: return "不起诉决定书"
        case .withdrawalDecision: return "撤销案件决定书"
        case .serviceReceipt: return "送达回证"
        case .hearingRecord: return "庭审笔录"
        case .judgment: return "判决书"
        case .ruling: return "裁定书"
        case .appealPetition: return "上诉状"
        case .protestPetition: return "抗诉书"
        case .executionNotice: return "执行通知书"
        case .caseClosingRegister: return "结案登记表"
        case .releaseCertificate: return "释放证明书"
        case .commutationProposal: return "减刑建议书"
        case .paroleProposal: return "假释建议书"
        case .extensionApproval: return "延长审限审批表"
        case .complaint: return "起诉状"
        case .enforcementApplication: return "执行申请书"
        case .other: return "其他文书"
        }
    }
}

/// A legal document in a case's dossier.
///
/// `contentHash` is the SHA-256 of the document's bytes (hex); when `text` is sent too, ingest checks that
/// the hash is the hash of the UTF-8 text. The tamper-evident ledger appends this hash.
public struct LegalDocument: Hashable, Sendable, Codable {
    public var type: DocumentType
    /// The document's own name when `type` is `other`, or a more precise title.
    public var title: String?
    /// The document number (文号), e.g. `黔贵公（刑）拘字〔2024〕123号`.
    public var number: String?
    public var issuedAt: Timestamp
    /// The issuing agency's code.
    public var issuer: String
    /// The signing official's person id.
    public var signer: String?
    /// Full text, optional (large dossiers send only hashes).
    public var text: String?
    /// SHA-256 of the document content, 64 lower-case hex characters.
    public var contentHash: String

    public init(type: DocumentType, title: String? = nil, number: String? = nil, issuedAt: Timestamp, issuer: String,
        signer: String? = nil, text: String? = nil, contentHash: String)
    {
        self.type = type
        self.title = title
        self.number = number
        self.issuedAt = issuedAt
        self.issuer = issuer
        self.signer = signer
        self.text = text
        self.contentHash = contentHash
    }

    /// Whether a string is 64 lower-case hex characters.
    public static func isWellFormedHash(_ hash: String) -> Bool {
        hash.utf8.count == 64 && hash.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
