import TianpingCore

/// What an account may do: each role is a fixed set of permissions and a rule for the data it sees.
///
/// Stable English identifiers are stored and sent over the API; the Chinese names are what people see.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    /// 系统管理员: accounts, tokens and the audit log; no case data (least privilege).
    case systemAdministrator = "system_administrator"
    /// 政法委执法监督员: every agency of its region.
    case committeeSupervisor = "committee_supervisor"
    /// 检察监督员: legal supervision over the police, courts and prisons of its region.
    case procuratorialSupervisor = "procuratorial_supervisor"
    /// 单位内部监督员: the cases its own agency handled.
    case internalSupervisor = "internal_supervisor"
    /// 办案人员: the cases assigned to the officer.
    case caseOfficer = "case_officer"
    /// 评查员: the cases assigned for quality review.
    case caseReviewer = "case_reviewer"
    /// 领导: read-only, its own region; no exports, no unmasking.
    case leader

    public var chineseName: String {
        switch self {
        case .systemAdministrator: return "系统管理员"
        case .committeeSupervisor: return "政法委执法监督员"
        case .procuratorialSupervisor: return "检察监督员"
        case .internalSupervisor: return "单位内部监督员"
        case .caseOfficer: return "办案人员"
        case .caseReviewer: return "评查员"
        case .leader: return "领导"
        }
    }

    public var permissions: Set<Permission> {
        switch self {
        case .systemAdministrator: return [.readStatistics, .readAudit, .manageAccounts]
        case .committeeSupervisor, .procuratorialSupervisor, .internalSupervisor:
            return [.readCases, .readFindings, .readStatistics, .exportDossiers, .unmask]
        case .caseOfficer, .caseReviewer: return [.readCases, .readFindings, .exportDossiers, .unmask]
        case .leader: return [.readCases, .readFindings, .readStatistics]
        }
    }

    /// Roles whose accounts may (and should) add a TOTP second factor: they see many agencies' data.
    public var isSupervisory: Bool {
        switch self {
        case .systemAdministrator, .committeeSupervisor, .procuratorialSupervisor, .internalSupervisor, .leader: return true
        case .caseOfficer, .caseReviewer: return false
        }
    }

    /// Parses an identifier or a Chinese name.
    public init?(argument: String) {
        if let role = Role(rawValue: argument) {
            self = role
        } else if let role = Role.allCases.first(where: { $0.chineseName == argument }) {
            self = role
        } else {
            return nil
        }
    }
}

/// One thing a route or an action needs.
public enum Permission: String, Sendable, Codable, CaseIterable, Hashable {
    case readCases = "read_cases"
    case readFindings = "read_findings"
    case readStatistics = "read_statistics"
    case exportDossiers = "export_dossiers"
    /// See personal data unmasked, for a stated reason (audited).
    case unmask
    case readAudit = "read_audit"
    case manageAccounts = "manage_accounts"

    public var chineseName: String {
        switch self {
        case .readCases: return "查看案件"
        case .readFindings: return "查看风险发现"
        case .readStatistics: return "查看统计"
        case .exportDossiers: return "导出卷宗"
        case .unmask: return "查看脱敏字段原文"
        case .readAudit: return "查看访问审计"
        case .manageAccounts: return "管理账户"
        }
    }
}

/// What a route requires of the caller. Every route declares one (see the server's route table test).
public enum RouteAccess: Sendable, Hashable, CustomStringConvertible {
    /// Anyone, signed in or not (the landing page, health, the public dossier log).
    case open
    /// Any signed-in account or token.
    case signedIn
    case permission(Permission)

    public var description: String {
        switch self {
        case .open: return "open"
        case .signedIn: return "signed-in"
        case .permission(let p): return p.rawValue
        }
    }
}
