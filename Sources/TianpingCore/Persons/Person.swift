/// The role a person plays in a case, or for officials, in their agency.
public enum PersonRole: String, Codable, Sendable, CaseIterable {
    case suspect  // 犯罪嫌疑人
    case defendant  // 被告人
    case convict  // 罪犯
    case victim  // 被害人
    case witness  // 证人
    case defenseLawyer = "defense_lawyer"  // 辩护人
    case litigationAgent = "litigation_agent"  // 诉讼代理人
    case plaintiff  // 原告 / 申请执行人
    case respondent  // 被告（民事、行政）/ 被执行人
    case caseOfficer = "case_officer"  // 办案人员（侦查员）
    case prosecutor  // 检察官
    case judge  // 法官
    case correctionOfficer = "correction_officer"  // 监管、矫正人员

    public var chineseName: String {
        switch self {
        case .suspect: return "犯罪嫌疑人"
        case .defendant: return "被告人"
        case .convict: return "罪犯"
        case .victim: return "被害人"
        case .witness: return "证人"
        case .defenseLawyer: return "辩护人"
        case .litigationAgent: return "诉讼代理人"
        case .plaintiff: return "原告"
        case .respondent: return "被告"
        case .caseOfficer: return "办案人员"
        case .prosecutor: return "检察官"
        case .judge: return "法官"
        case .correctionOfficer: return "监管人员"
        }
    }

    /// Officials act for an agency and are not parties to a case.
    public var isOfficial: Bool {
        switch self {
        case .caseOfficer, .prosecutor, .judge, .correctionOfficer: return true
        default: return false
        }
    }

    /// Roles whose names are masked on publication (SPC rules on publishing judgments).
    public var nameIsProtected: Bool {
        switch self {
        case .victim, .witness: return true
        default: return false
        }
    }
}

/// A person who appears in a case (a party) or acts in one (an official).
///
/// Parties are recorded per case (the envelope's `case`); officials belong to an agency and have no case.
/// Names, identity numbers, phones and addresses are ``Sensitive``: they never print themselves.
public struct Person: Hashable, Sendable, Codable, HasSensitiveFields {
    /// The person id within the sending agency; events and judgments refer to it.
    public var id: String
    public var role: PersonRole
    public var name: Sensitive<String>
    public var idNumber: Sensitive<String>?
    public var gender: Gender?
    public var birthDate: CalendarDate?
    public var phone: Sensitive<String>?
    public var address: Sensitive<String>?
    /// The agency an official works for, or a lawyer's firm.
    public var agency: String?
    /// Professional title or licence (执业证号 for a lawyer).
    public var title: String?

    public static let sensitiveFieldNames = ["name", "idNumber", "phone", "address"]

    public init(id: String, role: PersonRole, name: String, idNumber: String? = nil, gender: Gender? = nil,
        birthDate: CalendarDate? = nil, phone: String? = nil, address: String? = nil, agency: String? = nil,
        title: String? = nil)
    {
        self.id = id
        self.role = role
        self.name = Sensitive(name)
        self.idNumber = idNumber.map(Sensitive.init)
        self.gender = gender
        self.birthDate = birthDate
        self.phone = phone.map(Sensitive.init)
        self.address = address.map(Sensitive.init)
        self.agency = agency
        self.title = title
    }

    /// The birth date as sent, or else the one encoded in a valid identity number: a minor known only from the
    /// identity number is still a minor (issue 14).
    public var knownBirthDate: CalendarDate? {
        birthDate ?? idNumber.flatMap { try? ResidentIdentityNumber.parse($0.value).get().birthDate }
    }

    /// Whether the person was under 18 on a given date (未成年人: names protected, special procedures), judged on
    /// ``knownBirthDate``.
    public func isMinor(on date: CalendarDate) -> Bool {
        guard let birth = knownBirthDate else { return false }
        let eighteenth = CalendarDate(year: birth.year + 18, month: birth.month, day: birth.day)
            ?? CalendarDate(year: birth.year + 18, month: 3, day: 1)!  // born on 29 February
        return date < eighteenth
    }
}
