/// A case as the platform knows it: one cross-agency unified id, and each agency's own number.
///
/// The unified id (`统一案件编号`) is assigned where a case first enters any system — usually the police
/// 受案 — and travels with the case; agencies keep their own numbers in ``agencyNumbers``.
public struct CaseRecord: Hashable, Sendable, Codable {
    /// The cross-agency unified case id (letters, digits and `-`, at most 64 characters).
    public var id: String
    public var type: CaseType
    /// A short title (`张某盗窃案`); it may contain names, so it is not published unmasked.
    public var title: String
    /// Charges (罪名) for criminal cases, in the statutory wording (`盗窃罪`).
    public var charges: [String]
    /// Cause of action (案由) for civil and administrative cases.
    public var cause: String?
    /// The region where the case is handled.
    public var region: RegionCode
    /// When the first agency accepted the case (受案 / 立案).
    public var acceptedAt: Timestamp
    /// Agencies' own numbers for this case.
    public var agencyNumbers: [AgencyCaseNumber]
    /// The trial procedure, once chosen.
    public var procedure: TrialProcedure?
    /// Flags that change time limits: `major_complex`, `serial_offending` (流窜), `multiple_offences` (多次),
    /// `gang` (结伙), `incidental_civil` (附带民事), `possible_death`, `guilty_plea` (认罪认罚).
    public var flags: [String]

    public init(id: String, type: CaseType, title: String, charges: [String] = [], cause: String? = nil,
        region: RegionCode, acceptedAt: Timestamp, agencyNumbers: [AgencyCaseNumber] = [],
        procedure: TrialProcedure? = nil, flags: [String] = [])
    {
        self.id = id
        self.type = type
        self.title = title
        self.charges = charges
        self.cause = cause
        self.region = region
        self.acceptedAt = acceptedAt
        self.agencyNumbers = agencyNumbers
        self.procedure = procedure
        self.flags = flags
    }

    /// Whether a unified case id has the allowed shape.
    public static func isWellFormedID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 }
    }

    /// Flag names the exchange format recognises.
    public static let knownFlags: Set<String> = [
        "major_complex", "serial_offending", "multiple_offences", "gang", "incidental_civil", "possible_death",
        "guilty_plea", "identity_unknown", "state_security", "self_investigated", "juvenile",
    ]
}
