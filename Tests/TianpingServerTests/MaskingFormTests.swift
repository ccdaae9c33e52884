import Testing
import TianpingAccess
import TianpingCore

/// One person, one form on a page: a title the sending agency wrote with the publication form (`邹某…案`) reads as
/// the person's row does (`邹**`) in a masked view (issue 16, item 9).
@Suite("Masking: one form per person")
struct MaskingFormTests {
    static let day = CalendarDate(year: 2024, month: 3, day: 1)!

    @Test("a suspect's publication form in free text becomes the internal form; a victim's stays; two of a surname stay as written")
    func publicationFormFollowsThePerson() {
        let suspect = Person(id: "P1", role: .suspect, name: "邹波琳", birthDate: CalendarDate(year: 1990, month: 1, day: 1))
        let victim = Person(id: "P2", role: .victim, name: "杜明杰")
        let judge = Person(id: "P3", role: .judge, name: "邹华")
        let masker = MaskingPolicy.masked.freeText(persons: [suspect, victim, judge], on: Self.day)
        #expect(MaskingPolicy.masked.name(of: suspect, on: Self.day) == "邹**")
        #expect(masker("邹某寻衅滋事案") == "邹**寻衅滋事案")
        #expect(masker("邹某某寻衅滋事、殴打杜某案") == "邹**寻衅滋事、殴打杜某案")
        #expect(masker("审判员邹华") == "审判员邹华", "an official of the same surname is left alone")
        // Two suspects named 邹: `邹某` could be either, so it is left as the agency wrote it.
        let second = Person(id: "P4", role: .suspect, name: "邹小龙", birthDate: CalendarDate(year: 1991, month: 1, day: 1))
        let ambiguous = MaskingPolicy.masked.freeText(persons: [suspect, second], on: Self.day)
        #expect(ambiguous("邹某等寻衅滋事案") == "邹某等寻衅滋事案")
        #expect(ambiguous("邹波琳、邹小龙") == "邹**、邹**")
        // Unmasked, nothing changes.
        #expect(MaskingPolicy(unmasked: true).freeText(persons: [suspect], on: Self.day)("邹某寻衅滋事案") == "邹某寻衅滋事案")
    }

    @Test("a masker prepared for one text masks that text exactly as the full masker does", arguments: [
        "邹某寻衅滋事案", "邹波琳在贵州省青石市东湖区幸福小区3栋殴打杜明杰", "住幸福小区3栋的邹某", "身份证号520102199001011234，电话13800001111",
        "审判员邹华", "杜某盗窃案", "",
    ])
    func preparedForOneText(_ text: String) {
        let suspect = Person(id: "P1", role: .suspect, name: "邹波琳", idNumber: "520102199001011234",
            birthDate: CalendarDate(year: 1990, month: 1, day: 1), phone: "13800001111", address: "贵州省青石市东湖区幸福小区3栋")
        let victim = Person(id: "P2", role: .victim, name: "杜明杰")
        let judge = Person(id: "P3", role: .judge, name: "邹华")
        let persons = [suspect, victim, judge]
        let full = MaskingPolicy.masked.freeText(persons: persons, on: Self.day)
        let prepared = MaskingPolicy.masked.freeText(persons: persons, on: Self.day, relevantTo: text)
        #expect(prepared(text) == full(text))
        #expect(text.isEmpty || full(text) != text || text == "审判员邹华" || text == "杜某盗窃案", "the sample is masked at all: \(full(text))")
    }
}
