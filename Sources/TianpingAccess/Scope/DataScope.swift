import TianpingCore

/// The cases a caller may see. Applied inside the store's queries, never in templates: a case out of scope is
/// reported as not found, so that its existence does not leak.
public enum DataScope: Sendable, Hashable {
    /// Every case (no role has this for case data; kept for tools that run on the server itself).
    case everything
    /// Cases whose region code starts with this prefix: 2 digits for a province, 4 for a city, 6 for a county.
    case region(prefix: String)
    /// Cases in which this agency sent at least one record.
    case agency(code: String)
    /// Cases assigned to this account for this purpose.
    case assigned(accountID: String, purpose: AssignmentPurpose)
    /// No case data.
    case nothing

    /// The scope of a role held by an account of an agency in a region at a level.
    public static func of(role: Role, accountID: String, agency: String, region: RegionCode, level: AdministrativeLevel) -> DataScope {
        switch role {
        case .systemAdministrator: return .nothing
        case .committeeSupervisor, .procuratorialSupervisor, .leader: return .region(prefix: region.prefix(for: level))
        case .internalSupervisor: return .agency(code: agency)
        case .caseOfficer: return .assigned(accountID: accountID, purpose: .handling)
        case .caseReviewer: return .assigned(accountID: accountID, purpose: .review)
        }
    }

    public var chineseDescription: String {
        switch self {
        case .everything: return "全部案件"
        case .region(let prefix): return "行政区划 \(prefix)… 内的案件"
        case .agency(let code): return "本单位（\(code)）办理的案件"
        case .assigned(_, let purpose): return "分配给本人\(purpose.chineseName)的案件"
        case .nothing: return "无案件数据"
        }
    }

    /// Whether a region (its 6-digit code) lies inside this scope's area: what a region menu offers. Scopes that are
    /// not areas (an agency's, an assignment) offer none.
    public func allowsRegion(_ code: String) -> Bool {
        switch self {
        case .everything: return true
        case .region(let prefix): return code.hasPrefix(prefix)
        case .agency, .assigned, .nothing: return false
        }
    }
}

/// Why a case is assigned to an account.
public enum AssignmentPurpose: String, Sendable, Codable, CaseIterable, Hashable {
    /// 承办: the case officer handles it.
    case handling
    /// 评查: the reviewer reviews its quality.
    case review

    public var chineseName: String { self == .handling ? "承办" : "评查" }
}

extension RegionCode {
    /// The prefix that every region inside this one shares at an agency level.
    public func prefix(for level: AdministrativeLevel) -> String {
        switch level {
        case .province: return String(text.prefix(2))
        case .city: return String(text.prefix(4))
        case .county: return text
        }
    }
}
