/// Display masks for personal data, following `masking-and-disclosure.md`: the SPC rules on publishing
/// judgments (法释〔2016〕19号 Art. 8–10) and the common display conventions.
///
/// Officials (judges, prosecutors, investigators, clerks) and defence counsel are never masked: hiding
/// them is itself an error.
public enum Masking {
    /// Internal display: the first character kept, the rest `*` (张** ).
    public static func displayName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// Publication: the surname kept and the given name replaced by 某 (SPC Art. 9). Two-character
    /// compound surnames are recognised.
    public static func publicationName(_ name: String) -> String {
        guard let first = name.first else { return name }
        if first.isASCII { return String(first) }
        let surname = compoundSurnames.contains(String(name.prefix(2))) && name.count > 2 ? String(name.prefix(2)) : String(first)
        return surname + "某"
    }

    static let compoundSurnames: Set<String> = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯"]

    /// 18-digit identity number: the region code and the last four kept (451002********1647).
    public static func idNumber(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// Mobile number: first three and last four (138****1234).
    public static func phone(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count > 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }

    /// Address: kept up to the district or county, the rest replaced (贵州省贵阳市云岩区****).
    public static func address(_ value: String) -> String {
        let chars = Array(value)
        var cut = 0
        for (i, c) in chars.enumerated() where c == "省" || c == "市" || c == "区" || c == "县" || c == "州" || c == "旗" {
            cut = i + 1
            if c == "区" || c == "县" || c == "旗" { break }
        }
        return String(chars.prefix(cut)) + "****"
    }

    /// The name a person is shown under, given their role: parties masked, officials and counsel not.
    public static func name(_ name: String, role: PersonRole) -> String {
        switch role {
        case .caseOfficer, .prosecutor, .judge, .correctionOfficer, .defenseLawyer, .litigationAgent: return name
        default: return displayName(name)
        }
    }
}
