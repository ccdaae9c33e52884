import Foundation
import Testing
import TianpingCore
import TianpingRules

@Suite("Rule pack")
struct RulePackTests {
    @Test("the bundled pack is valid: unique ids, one form each, every rule cited, grade-C rules disabled")
    func bundled() throws {
        let pack = try RulePack.bundled()
        #expect(pack.rules.count >= 60)
        #expect(Set(pack.rules.map(\.id)).count == pack.rules.count)
        for rule in pack.rules {
            #expect(!rule.legalBasis.isEmpty, "\(rule.id) has no legal basis")
            #expect(rule.citationText.hasPrefix("《"), "\(rule.id)")
            if rule.grade == .c { #expect(!rule.enabled, "\(rule.id) is grade C and enabled") }
        }
    }

    @Test("every planted violation class has a rule of its id", arguments: [
        "M2", "M4", "M5", "M6", "M7", "CPL80", "I1", "I2", "P4", "P1", "T3", "M12", "E1", "V3", "W5", "V10",
    ])
    func coversGroundTruth(rule: String) throws {
        #expect(try RulePack.bundled().rule(rule)?.enabled == true)
    }

    @Test("a province may tighten a limit inside the national range, not outside it")
    func overrides() throws {
        let pack = try RulePack.bundled()
        let tightened = try pack.applying(ProvinceConfiguration(rules: ["R2": RuleOverride(limit: .days(3))]))
        #expect(tightened.rule("R2")?.deadline?.limit == .days(3))
        #expect(throws: RulePackError.self) {
            try pack.applying(ProvinceConfiguration(rules: ["R2": RuleOverride(limit: .days(10))]))
        }
        #expect(throws: RulePackError.self) {
            try pack.applying(ProvinceConfiguration(rules: ["M6": RuleOverride(limit: .days(5))]))
        }
        #expect(throws: RulePackError.self) {
            try pack.applying(ProvinceConfiguration(rules: ["NO-SUCH-RULE": RuleOverride(enabled: false)]))
        }
        let idle = try pack.applying(ProvinceConfiguration(rules: ["S-FILED-IDLE": RuleOverride(parameters: ["idleDays": 60])]))
        #expect(idle.rule("S-FILED-IDLE")?.signal?.parameters?["idleDays"] == 60)
        let disabled = try pack.applying(ProvinceConfiguration(rules: ["M8": RuleOverride(enabled: false)]))
        #expect(disabled.rule("M8")?.enabled == false)
    }

    @Test("a grade-C rule cannot be enabled without a named confirmation")
    func gradeC() throws {
        var pack = try RulePack.bundled()
        var rule = try #require(pack.rule("R2"))
        rule.id = "X-C"
        rule.grade = .c
        rule.enabled = false
        pack.rules.append(rule)
        #expect(throws: RulePackError.self) { try pack.applying(ProvinceConfiguration(rules: ["X-C": RuleOverride(enabled: true)])) }
        let confirmed = try pack.applying(ProvinceConfiguration(rules: ["X-C": RuleOverride(enabled: true, confirmedBy: "省政法委执法监督处 张某")]))
        #expect(confirmed.rule("X-C")?.enabled == true)
    }

    @Test("a malformed pack is refused with the path of the bad field")
    func malformed() {
        let json = Data(#"{"id":"p","version":"1","title":"t","sources":[],"rules":[{"id":"A"}]}"#.utf8)
        #expect {
            try RulePack(json: json)
        } throws: { error in
            String(describing: error).contains("rules[0]")
        }
    }
}

@Suite("Event kinds")
struct EventKindLimitTests {
    @Test("the engine's per-case kind set needs fewer than 64 event kinds")
    func fitsInSixtyFourBits() {
        #expect(EventKind.allCases.count < 64)
    }
}

extension EventKindLimitTests {
    @Test("and fewer than 64 document types")
    func documentTypesFit() {
        #expect(DocumentType.allCases.count < 64)
    }
}
