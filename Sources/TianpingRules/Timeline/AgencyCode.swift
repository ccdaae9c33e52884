import TianpingCore

/// Reads an agency code's parts (`520102GA01`: region, kind letters, serial) without a registry lookup.
enum AgencyCode {
    private static let kindsByLetters: [String: AgencyKind] = Dictionary(
        uniqueKeysWithValues: AgencyKind.allCases.map { ($0.codeLetters, $0) })

    static func kind(_ code: String) -> AgencyKind? {
        let u = Array(code.utf8)
        guard u.count >= 8 else { return nil }
        return kindsByLetters[String(decoding: u[6..<8], as: UTF8.self)]
    }

    static func region(_ code: String) -> RegionCode? { RegionCode(String(code.prefix(6))) }

    static func level(_ code: String) -> AdministrativeLevel? { region(code)?.level }

    /// The agency of `kind` for the same region, serial 01 (the usual single organ of its kind there).
    static func counterpart(of code: String, kind: AgencyKind) -> String {
        String(code.prefix(6)) + kind.codeLetters + "01"
    }
}
