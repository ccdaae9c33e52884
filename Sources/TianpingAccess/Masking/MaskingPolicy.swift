import TianpingCore

/// How personal data is shown to a caller, following `masking-and-disclosure.md` and the SPC rules on publishing
/// judgments (法释〔2016〕19号 Art. 8–10).
///
/// Internal display masks every party's name (`张**`), identity number, phone and address. Victims, witnesses
/// and minors get the publication form (`张某`), because Art. 8 protects them even where parties are named.
/// Officials and counsel are never masked (hiding a judge's name is itself an error). Unmasking is a separate,
/// audited action for a stated reason; it shows one case's persons in full to one caller.
public struct MaskingPolicy: Sendable, Hashable {
    /// Show everything as stored (after an audited unmask).
    public var unmasked: Bool

    public init(unmasked: Bool = false) {
        self.unmasked = unmasked
    }

    public static let masked = MaskingPolicy()

    public func name(_ name: String, role: PersonRole, isMinor: Bool) -> String {
        if unmasked { return name }
        switch role {
        case .caseOfficer, .prosecutor, .judge, .correctionOfficer, .defenseLawyer, .litigationAgent: return name
        case .victim, .witness: return Masking.publicationName(name)
        default: return isMinor ? Masking.publicationName(name) : Masking.displayName(name)
        }
    }

    public func idNumber(_ value: String) -> String { unmasked ? value : Masking.idNumber(value) }
    public func phone(_ value: String) -> String { unmasked ? value : Masking.phone(value) }
    public func address(_ value: String) -> String { unmasked ? value : Masking.address(value) }
    public func bankAccount(_ value: String) -> String { unmasked ? value : Masking.bankCard(value) }
}

extension Masking {
    /// Bank card or account: first 6 and last 4 (622202******1234).
    public static func bankCard(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }
}
