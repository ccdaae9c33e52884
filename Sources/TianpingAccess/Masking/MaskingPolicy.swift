import TianpingCore

/// How personal data is shown to a caller, following the SPC rules on publishing judgments (法释〔2016〕19号
/// Art. 8–10) and the review of issue 14.
///
/// Internal display masks every party's name (`张**`), identity number, phone and address, and gives an age band
/// instead of a birth date. Victims, witnesses and minors get the publication form (`张某`), because Art. 8 protects
/// them even where parties are named; a minor is recognised from the birth date or, without one, from the identity
/// number. Officials and counsel are never masked (hiding a judge's name is itself an error). Free text is masked
/// the same way (``freeText(persons:on:)``). Unmasking is a separate, audited action for a stated reason; it shows
/// one case's persons and text in full to one caller.
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

    /// A person's name as shown, judged on the date the case was accepted (minority at that date).
    public func name(of person: Person, on date: CalendarDate) -> String {
        name(person.name.value, role: person.role, isMinor: person.isMinor(on: date))
    }

    public func idNumber(_ value: String) -> String { unmasked ? value : Masking.idNumber(value) }
    public func phone(_ value: String) -> String { unmasked ? value : Masking.phone(value) }
    public func address(_ value: String) -> String { unmasked ? value : Masking.address(value) }
    public func bankAccount(_ value: String) -> String { unmasked ? value : Masking.bankCard(value) }

    /// The birth year, only in an unmasked view: with the region code and the sex it narrows an identity number.
    public func birthYear(of person: Person) -> Int? { unmasked ? person.knownBirthDate?.year : nil }

    /// The age band at the case's acceptance (未成年, 30–39岁 …), shown in every view.
    public func ageBand(of person: Person, on date: CalendarDate) -> String? {
        person.knownBirthDate.map { Masking.ageBand(born: $0, on: date) }
    }

    /// The masker for a case's free text: its persons' names (also in the publication form `张某` that a sending
    /// agency may have used), identity numbers, phones and addresses replaced by what this policy shows for them
    /// (officials' names kept), then the patterns of ``FreeTextMasker``. Unmasked, it changes nothing.
    ///
    /// `text`, when given, is the only text the masker will see: values it does not contain are left out, which gives
    /// the same output for that text at a fraction of the cost (an address's county prefix is parsed only when the
    /// text holds the address's end).
    public func freeText(persons: [Person], on date: CalendarDate, relevantTo text: String? = nil) -> FreeTextMasker {
        guard !unmasked else { return .none }
        var known: [(original: String, shown: String)] = []
        for p in persons {
            if let text, let address = p.address?.value, !text.contains(String(address.suffix(4))) {
                // Neither the address nor any tail of it (each ends with its last four characters) is in the text.
                var without = p
                without.address = nil
                known += freeTextEntries(without, on: date)
                continue
            }
            known += freeTextEntries(p, on: date)
        }
        if let text { known = known.filter { text.contains($0.original) } }
        return finishFreeText(persons: persons, on: date, known: known, relevantTo: text)
    }

    /// The values of one person a free text may quote, and how each is shown.
    private func freeTextEntries(_ p: Person, on date: CalendarDate) -> [(original: String, shown: String)] {
        var known: [(original: String, shown: String)] = []
        let name = p.name.value
        let shown = self.name(of: p, on: date)
        // Kept names are protected too, so that a party's name inside an official's is left alone.
        if name.count >= 2 { known.append((name, shown)) }
        if let id = p.idNumber?.value {
            known.append((id, idNumber(id)))
            if id.hasSuffix("X") { known.append((String(id.dropLast()) + "x", idNumber(id))) }
        }
        if let phone = p.phone?.value, phone.count >= 5 { known.append((phone, self.phone(phone))) }
        if let address = p.address?.value {
            let masked = self.address(address)
            known.append((address, masked))
            // The part below the county, should the text quote it on its own (住幸福小区3栋).
            let chars = Array(address)
            let tail = String(chars[Masking.administrativePrefixLength(chars)...])
            if tail.count >= 4 { known.append((tail, "****")) }
        }
        return known
    }

    private func finishFreeText(persons: [Person], on date: CalendarDate, known: [(original: String, shown: String)], relevantTo text: String?)
        -> FreeTextMasker
    {
        var known = known
        // The publication form a sending agency may already have written (a title such as `邹某寻衅滋事案`) is shown
        // as the person is shown everywhere else on the page (`邹**`): one person, one form. Only where a single
        // person of the case takes that form; with two 邹, `邹某` cannot be told apart and is left as written.
        // Officials and counsel keep their names and are never written so.
        let parties = persons.filter { $0.name.value.count >= 2 && name(of: $0, on: date) != $0.name.value }
        let byForm = Dictionary(grouping: parties) { Masking.publicationName($0.name.value) }
        for (form, people) in byForm where people.count == 1 {
            let shown = name(of: people[0], on: date)
            guard shown != form else { continue }
            for original in [form + "某", form] where text.map({ $0.contains(original) }) ?? true { known.append((original, shown)) }
        }
        return FreeTextMasker(known: known)
    }
}
