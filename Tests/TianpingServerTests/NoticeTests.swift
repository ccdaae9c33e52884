import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingLedger
import TianpingRules
import TianpingServer
import TianpingStore
import TianpingWorkflow

@Suite("督办通知书")
struct NoticeTests {
    @Test("a push issues a 督办通知书 numbered per issuer and year, naming the agency, the findings with their basis and the deadline")
    func notice() async throws {
        try await withWarnings { store, engine, all in
            let committeeCode = try await committee(store)
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committeeCode)
            let account = try #require(try await store.accounts().first { $0.agency == committeeCode })
            let principal = try await store.principal(for: account)
            let pending = all.filter { $0.state == .pendingPush && $0.agency != "-" }
            let (first, second) = (try #require(pending.first), try #require(pending.dropFirst().first))
            let now = Timestamp("2026-12-07T10:00:00+08:00")!.secondsSinceEpoch
            _ = try await store.transitionWarning(first.id, action: .push, comment: "请重点核查羁押期限", by: principal, now: now)
            _ = try await store.transitionWarning(second.id, action: .push, comment: nil, by: principal, now: now + 60)
            let documents = try await store.warningDocuments(first.id) + store.warningDocuments(second.id)
            #expect(documents.map(\.number) == ["督〔2026〕1号", "督〔2026〕2号"], "serials per issuer, kind and year")
            #expect(documents.allSatisfy { $0.issuer == committeeCode })
            let due = try #require(documents.first?.dueAt)
            #expect(due > now)
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let page = try await sup.execute(uri: "/workbench/warnings/\(encodedID(first.id))/notice", method: .get) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                let agencyName = try #require(try await store.agencies().first { $0.code == first.agency }?.name)
                #expect(page.contains("<p class=\"docno\">天平省委政法委督〔2026〕1号</p>"))
                #expect(page.contains("<p class=\"recipient\">\(agencyName)：</p>"), "主送单位")
                #expect(page.contains("请于\(Timestamp(secondsSinceEpoch: due).localDate.year)年"), "the deadline in Chinese")
                #expect(page.contains("督办意见：请重点核查羁押期限"))
                #expect(page.contains("2026年12月7日") && page.contains("（盖章）"))
                let findings = try await store.findings(FindingQuery(status: nil, caseID: first.caseID), page: 1, pageSize: 100, scope: .everything)
                    .items.filter { first.findingIDs.contains($0.finding.id) }
                #expect(!findings.isEmpty)
                for f in findings { #expect(page.contains("依据：" + HTMLProbe.escape(f.finding.citation))) }
                let warningPage = try await sup.execute(uri: "/workbench/warnings/\(encodedID(first.id))", method: .get) { String(buffer: $0.body) }
                #expect(warningPage.contains("督办通知书（天平省委政法委督〔2026〕1号，2026年12月7日）"))
                // Verified as unsubstantiated and closed: a 办结 notice with its own number, the conclusion and every step.
                let staff = try await store.addAccount(username: "staff-\(UUID().uuidString.prefix(6))", displayName: "核查员",
                    agency: first.agency, role: .internalSupervisor, password: "correct horse battery", now: 1)
                let agent = try await store.principal(for: staff)
                _ = try await store.transitionWarning(first.id, action: .accept, comment: nil, by: agent, now: now + 3_600)
                _ = try await store.transitionWarning(first.id, action: .conclude, conclusion: .unsubstantiated, comment: "经调阅卷宗，通知家属及时",
                    by: agent, now: now + 7_200)
                try await sup.execute(uri: "/workbench/warnings/\(encodedID(first.id))/closure", method: .get) { #expect($0.status == .notFound) }
                _ = try await store.transitionWarning(first.id, action: .close, comment: "核查不属实，予以办结", by: principal, now: now + 10_800)
                let closure = try await sup.execute(uri: "/workbench/warnings/\(encodedID(first.id))/closure", method: .get) { String(buffer: $0.body) }
                #expect(closure.contains("<p class=\"docno\">天平省委政法委督结〔2026〕1号</p>"))
                #expect(closure.contains("结论为“不属实”") && closure.contains("办结意见：核查不属实，予以办结"))
                #expect(closure.contains("签收核查") && closure.contains("提交核查结论：经调阅卷宗，通知家属及时"), "every step of the record")
                let closedPage = try await sup.execute(uri: "/workbench/warnings/\(encodedID(first.id))", method: .get) { String(buffer: $0.body) }
                let closureDocument = try #require(try await store.warningDocuments(first.id).last)
                #expect(closureDocument.kind == .closureNotice)
                #expect(closedPage.contains("href=\"/workbench/warnings/\(encodedID(first.id))/documents/\(closureDocument.id)\""))
                #expect(closedPage.contains("href=\"/workbench/warnings/\(encodedID(first.id))/documents/\(closureDocument.id)/pdf\""))
                // Not pushed yet: no notice.
                let unpushed = try #require(pending.dropFirst(2).first)
                try await sup.execute(uri: "/workbench/warnings/\(encodedID(unpushed.id))/notice", method: .get) { #expect($0.status == .notFound) }
            }
        }
    }

    @Test("a step through the server keeps its document as a PDF, logged as a document of the case; a returned rectification issues a 整改通知书")
    func keptFiles() async throws {
        try await withWarnings { store, engine, all in
            let committeeCode = try await committee(store)
            let supervisor = try await signIn(store, role: .committeeSupervisor, agency: committeeCode)
            let target = try #require(all.first { $0.state == .pendingPush && $0.agency != "-" })
            let staff = try await signIn(store, role: .internalSupervisor, agency: target.agency)
            let app = Application(router: try TianpingApplication.router(store: store, engine: engine))
            try await app.test(.router) { client in
                let sup = SignedInClient(base: client, session: supervisor)
                let agent = SignedInClient(base: client, session: staff)
                func step(_ who: SignedInClient, _ json: String) async throws {
                    try await who.execute(uri: "/api/v1/warnings/\(encodedID(target.id))/transitions", method: .post,
                        headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) { #expect($0.status == .ok, "\(json)") }
                }
                try await step(sup, #"{"action":"push","comment":"请核查羁押期限"}"#)
                let notice = try #require(try await store.warningDocuments(target.id).first)
                let sha = try #require(notice.pdfSHA256)
                let leaf = try #require(notice.leafIndex)
                let kept = try #require(try await store.warningDocumentPDF(notice.id))
                #expect(SHA256.hash(data: kept).map { String(format: "%02x", $0) }.joined() == sha)
                // The leaf names the case, the issuer and the file's hash; the case's dossier carries it.
                #expect(try await store.ledgerEntry(at: leaf) == notice.ledgerEntry(sha256: sha).text)
                #expect(notice.ledgerEntry(sha256: sha).caseID == target.caseID)
                #expect(try await store.dossierSources(caseID: target.caseID).contains { $0.leafIndex == leaf && $0.content == nil })
                // The download is the kept file, byte for byte, whatever changes later.
                let served = try await sup.execute(uri: "/workbench/warnings/\(encodedID(target.id))/documents/\(notice.id)/pdf", method: .get) { r in
                    #expect(r.status == .ok && r.headers[.contentType] == "application/pdf")
                    return [UInt8](buffer: r.body)
                }
                #expect(served == kept)
                let latest = try await sup.execute(uri: "/workbench/warnings/\(encodedID(target.id))/notice.pdf", method: .get) { [UInt8](buffer: $0.body) }
                #expect(latest == kept)
                // The file says what the page says: the 文号 and the addressee, as UCS-2 text.
                let agencyName = try #require(try await store.agencies().first { $0.code == target.agency }?.name)
                let fileText = String(decoding: kept, as: UTF8.self)
                for phrase in ["督〔\(notice.year)〕\(notice.serial)号", agencyName + "：", "请于", "督办意见：请核查羁押期限"] {
                    #expect(fileText.contains(String(phrase).utf16.map { String(format: "%04X", $0) }.joined()), "\(phrase)")
                }
                // The agency verifies, finds it true, rectifies; the supervisor sends the rectification back.
                try await step(agent, #"{"action":"accept"}"#)
                try await step(agent, #"{"action":"conclude","conclusion":"substantiated","comment":"经核查属实，已责令改正"}"#)
                try await step(agent, #"{"action":"start_rectification","comment":"开始整改"}"#)
                try await step(agent, #"{"action":"report_rectified","comment":"已完成整改并通报"}"#)
                try await step(sup, #"{"action":"return_for_reverification","comment":"整改报告未附羁押变更文书，请补正"}"#)
                let rectification = try #require(try await store.warningDocuments(target.id).last)
                #expect(rectification.kind == .rectificationNotice && rectification.number.hasPrefix("督整〔"))
                #expect(rectification.pdfSHA256 != nil && rectification.dueAt != nil)
                let page = try await sup.execute(uri: "/workbench/warnings/\(encodedID(target.id))/rectification", method: .get) { r in
                    #expect(r.status == .ok)
                    return String(buffer: r.body)
                }
                #expect(page.contains("整改通知书") && page.contains("结论为“属实”"))
                #expect(page.contains("整改要求：整改报告未附羁押变更文书，请补正"))
                #expect(page.contains("SHA-256 \(rectification.pdfSHA256!)"))
                // A document that does not exist is a 404 page, not another document.
                try await sup.execute(uri: "/workbench/warnings/\(encodedID(target.id))/documents/999999/pdf", method: .get) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }
}
