import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore

/// A criminal case with a court number and a defendant with an identity number, and that defendant.
func searchableCase(_ store: TianpingStore) async throws -> (summary: CaseSummary, number: String, person: Person) {
    let page = try await store.cases(CaseQuery(type: .criminal), page: 1, pageSize: 200)
    for summary in page.items {
        guard let number = summary.caseNumber, number.contains("刑"),
            let dossier = try await store.dossier(caseID: summary.id)
        else { continue }
        for r in dossier.records {
            if case .person(let p) = r.record.payload, p.role == .suspect || p.role == .defendant, p.idNumber != nil {
                return (summary, number, p)
            }
        }
    }
    throw StoreError.invalid("no case with a court number and an identified defendant")
}

@Suite("Finding a case")
struct SearchTests {
    @Test("a case is found by its 案号 (either bracket width), its unified id, a party's full name or identity number — only within scope")
    func storeSearch() async throws {
        try await withProvinceStore(cases: 120, seed: 5) { store, _ in
            let (summary, number, person) = try await searchableCase(store)
            func ids(_ text: String, _ scope: DataScope = .everything) async throws -> [String] {
                try await store.searchCases(text, scope: scope).map(\.summary.id)
            }
            #expect(try await ids(number) == [summary.id])
            let halfWidth = number.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            #expect(try await ids(" " + halfWidth + " ") == [summary.id], "half-width brackets and spaces are the same number")
            #expect(try await ids(summary.id) == [summary.id])
            #expect(try await ids(person.name.value).contains(summary.id))
            let idNumber = try #require(person.idNumber?.value)
            #expect(try await ids(idNumber.lowercased()).contains(summary.id), "a lower-case check letter is the same number")
            #expect(try await ids(String(idNumber.dropLast())).isEmpty, "no partial identity numbers")
            #expect(try await ids("不存在的案号").isEmpty)
            #expect(try await store.searchCases(number, scope: .everything).first?.matchedBy == "案号")
            // Out of scope: another city's scope finds nothing.
            let otherCity = summary.region.hasPrefix("5201") ? "5202" : "5201"
            #expect(try await ids(number, .region(prefix: otherCity)).isEmpty)
            #expect(try await ids(summary.id, .region(prefix: otherCity)).isEmpty)
            #expect(try await ids(number, .region(prefix: String(summary.region.prefix(4)))) == [summary.id])
        }
    }

    @Test("the navigation's search opens the one case found, lists several, says when none, is audited, and the case page shows the 案号")
    func searchPage() async throws {
        try await withProvinceStore(cases: 120, seed: 5) { store, _ in
            let (summary, number, _) = try await searchableCase(store)
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: try await committee(store))
            let app = Application(router: try TianpingApplication.router(store: store, engine: RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let home = try await sup.execute(uri: "/workbench", method: .get) { String(buffer: $0.body) }
                #expect(home.contains("action=\"/workbench/search\""), "the search box is in the navigation")
                let q = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await sup.execute(uri: "/workbench/search?q=\(q)", method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/cases/\(summary.id)")
                }
                let casePage = try await sup.execute(uri: "/cases/\(summary.id)", method: .get) { String(buffer: $0.body) }
                #expect(casePage.contains("<title>案件 \(number) · 天平</title>"))
                #expect(casePage.contains("统一案件编号 \(summary.id)"))
                let officials = try #require(casePage.range(of: "<p>承办人员：").map { String(casePage[$0.upperBound...].prefix(while: { $0 != "<" })) })
                #expect([PersonRole.caseOfficer, .prosecutor, .judge].contains { officials.contains($0.chineseName) }, "the handling officers in the header: \(officials) \(PersonRole.judge.chineseName)")
                // A name that several cases share: a list of them, each linking to its case.
                var casesByName: [String: Set<String>] = [:]
                for c in try await store.cases(CaseQuery(), page: 1, pageSize: 120).items {
                    for r in try #require(try await store.dossier(caseID: c.id)).records {
                        if case .person(let p) = r.record.payload, !p.role.isOfficial { casesByName[p.name.value, default: []].insert(c.id) }
                    }
                }
                let (shared, cases) = try #require(casesByName.filter { $0.value.count >= 2 }.min { $0.key < $1.key })
                let several = try await sup.execute(uri: "/workbench/search?q=" + shared.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                    method: .get) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                #expect(several.contains("相符的案件（\(cases.count) 件）"))
                for id in cases { #expect(several.contains("href=\"/cases/\(id)\"")) }
                #expect(several.components(separatedBy: shared).count - 1 == 2,
                    "the typed name is shown back (box and caption) but the listed titles are masked")
                let none = try await sup.execute(uri: "/workbench/search?q=%E6%97%A0%E6%AD%A4%E6%A1%88", method: .get) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                #expect(none.contains("未找到与“无此案”相符的案件"))
                let empty = try await sup.execute(uri: "/workbench/search", method: .get) { String(buffer: $0.body) }
                #expect(empty.contains("id=\"search-q\"") && !empty.contains("未找到"))
                try await sup.execute(uri: "/workbench/search?q=" + String(repeating: "a", count: 101), method: .get) {
                    #expect($0.status == .badRequest)
                }
            }
            // Many fruitless searches by one reader are flagged (guessing the digits a mask hides).
            let signals = try await store.accessSignals(now: Timestamp.now().secondsSinceEpoch, fruitlessSearchThreshold: 1)
            #expect(signals.contains { $0.kind == "fruitless_searches" && $0.count >= 1 })
            let audit = try await store.auditEntries(limit: 50)
            #expect(audit.contains { ($0.target ?? "").contains("/workbench/search?q=") && $0.itemCount == 1 })
            #expect(audit.contains { ($0.target ?? "").contains("/workbench/search?q=") && $0.itemCount == 0 })
        }
    }
}
