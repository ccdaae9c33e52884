/// The kinds of agency whose records meet on the platform.
public enum AgencyKind: String, Codable, Sendable, CaseIterable {
    case publicSecurity = "public_security"
    case procuratorate
    case court
    case detentionHouse = "detention_house"
    case prison
    case communityCorrection = "community_correction"
    case justiceAdministration = "justice_administration"
    /// 政法委: supervises the others; sends no case records, but its supervisors hold accounts.
    case politicalLegalCommittee = "political_legal_committee"

    public var chineseName: String {
        switch self {
        case .publicSecurity: return "公安机关"
        case .procuratorate: return "人民检察院"
        case .court: return "人民法院"
        case .detentionHouse: return "看守所"
        case .prison: return "监狱"
        case .communityCorrection: return "社区矫正机构"
        case .justiceAdministration: return "司法行政机关"
        case .politicalLegalCommittee: return "政法委员会"
        }
    }

    /// Two-letter code used inside agency codes (`520102GA`), from the pinyin initials.
    public var codeLetters: String {
        switch self {
        case .publicSecurity: return "GA"
        case .procuratorate: return "JC"
        case .court: return "FY"
        case .detentionHouse: return "KS"
        case .prison: return "JY"
        case .communityCorrection: return "SJ"
        case .justiceAdministration: return "SF"
        case .politicalLegalCommittee: return "ZF"
        }
    }
}

/// An agency that shares data with the platform (a 公安局, 检察院, 法院, 看守所, 监狱 …).
///
/// Its code is the region code, the kind letters and a two-digit serial: `520102GA01`. The code is the
/// `source` of every exchange record the agency sends.
public struct Agency: Hashable, Sendable, Codable {
    public var code: String
    public var kind: AgencyKind
    public var name: String
    public var region: RegionCode
    public var level: AdministrativeLevel
    /// The agency one level up in the same system (the city procuratorate above a county one), if any.
    public var parentCode: String?

    public init(code: String, kind: AgencyKind, name: String, region: RegionCode, level: AdministrativeLevel,
        parentCode: String? = nil)
    {
        self.code = code
        self.kind = kind
        self.name = name
        self.region = region
        self.level = level
        self.parentCode = parentCode
    }

    /// The region part of a central organ's code (最高人民法院 `100000FY01`, 最高人民检察院 `100000JC01`). GB/T 2260
    /// has no code for the nation, so central organs are not agencies of a region: they never send records
    /// (``isWellFormedCode(_:kind:)`` refuses them) and appear only as the approving body of an event
    /// (`attributes.approverAgency`), where the law reserves an approval to them (CPL 208: 报请最高人民法院批准).
    public static let centralRegionDigits = "100000"

    /// The Supreme People's Court as an approving body.
    public static let supremePeoplesCourt = centralRegionDigits + AgencyKind.court.codeLetters + "01"

    /// Whether a code names a central organ: `100000`, a kind's letters, two digits.
    public static func isCentralCode(_ code: String) -> Bool {
        let u = Array(code.utf8)
        guard u.count == 10, code.hasPrefix(centralRegionDigits), u[8...9].allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return false
        }
        let letters = String(decoding: u[6...7], as: UTF8.self)
        return AgencyKind.allCases.contains { $0.codeLetters == letters }
    }

    /// Checks the code's shape: six region digits, the kind's letters, two digits.
    public static func isWellFormedCode(_ code: String, kind: AgencyKind? = nil) -> Bool {
        let u = Array(code.utf8)
        guard u.count == 10, RegionCode(String(code.prefix(6))) != nil,
            u[8...9].allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return false }
        let letters = String(decoding: u[6...7], as: UTF8.self)
        if let kind { return letters == kind.codeLetters }
        return AgencyKind.allCases.contains { $0.codeLetters == letters }
    }
}
