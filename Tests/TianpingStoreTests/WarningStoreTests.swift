import Foundation
import SQLKit
import Testing
import TianpingAnalysis
import TianpingAccess
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingLedger
import TianpingRules
@testable import TianpingStore
import TianpingWorkflow

@Suite("Warnings in the store")
struct WarningStoreTests {
    @Test("findings become one warning per case and agency, which moves through the loop with every step recorded")
    func onSQLite() async throws {
        try await withTemporaryStore { store, _ in try await Self.lifecycle(on: store) }
    }

    /// Shared with the PostgreSQL suite.
    static func lifecycle(on store: TianpingStore) async throws {
        let (_, _) = try await loadProvince(store, cases: 300, seed: 41)
        let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
        let now: Int64 = 1_782_864_000
        // The pipeline stores findings and opens their warnings, stamped by its clock.
        let pipeline = try AnalysisPipeline.standard(clock: ManualClock(Timestamp(secondsSinceEpoch: now)))
        _ = try await pipeline.processQueue(store: store, asOf: asOf)
        let ids = try await store.caseIDs(after: nil, limit: 100_000)

        // Every open violation or signal is in exactly one warning, that of its case and responsible agency.
        let open = try await store.findings(FindingQuery(status: .open), page: 1, pageSize: 500).items.map(\.finding)
        #expect(!open.isEmpty)
        let warnings = try await store.warnings(scope: .everything)
        #expect(Set(warnings.flatMap(\.findingIDs)) == Set(open.map(\.id)))
        #expect(warnings.count == Set(open.map { WarningDraft.id(caseID: $0.caseID, agency: $0.agency) }).count)
        #expect(warnings.allSatisfy { $0.state == .pendingPush && $0.dueAt == now + 86_400 })
        #expect(zip(warnings, warnings.dropFirst()).allSatisfy { $0.grade >= $1.grade }, "worst first")
        try await store.refreshWarnings(caseIDs: ids, now: now + 10)
        #expect(try await store.warnings(scope: .everything).count == warnings.count, "re-aggregation updates, never duplicates")

        // Actors: the province's supervisor, staff of the responsible agency, and staff of another agency.
        let w = try #require(warnings.first { $0.agency != "-" })
        let agencies = try await store.agencies()
        let committee = Agency(code: "520000ZF01", kind: .politicalLegalCommittee, name: "政法委", region: RegionCode("520000")!, level: .province)
        try await store.registerAgency(committee)
        let supervisor = try await store.principal(for: try await store.addAccount(username: "sup", displayName: "监督员", agency: committee.code,
            role: .committeeSupervisor, password: "correct horse battery", now: now))
        let staff = try await store.principal(for: try await store.addAccount(username: "staff", displayName: "内部监督", agency: w.agency,
            role: .internalSupervisor, password: "correct horse battery", now: now))
        let other = try #require(agencies.first { $0.code != w.agency && $0.kind != .politicalLegalCommittee })
        let outsider = try await store.principal(for: try await store.addAccount(username: "out", displayName: "他单位", agency: other.code,
            role: .internalSupervisor, password: "correct horse battery", now: now))

        await #expect(throws: WarningError.self) { try await store.transitionWarning(w.id, action: .accept, comment: nil, by: staff, now: now) }
        try await store.setWebhook(agency: w.agency, url: "https://example.invalid/hook", secret: "0123456789abcdef", now: now)
        let renderer: WarningDocumentRenderer = { document, _ in Array("%PDF-1.7 \(document.kind.rawValue) \(document.number)".utf8) }
        try await store.transitionWarning(w.id, action: .push, comment: "请于三日内签收核查", by: supervisor, documents: renderer, now: now + 100)
        // The push issued a 督办通知书: numbered, and fixed as issued — renaming the agency later does not change it.
        let notice = try #require(try await store.warningDocuments(w.id).first)
        #expect(notice.kind == .supervisionNotice && notice.number.hasSuffix("〕1号") && notice.recipient == w.agency)
        #expect(Set(notice.snapshot.findings.map(\.ruleID)) == Set(w.findingIDs.map { String($0.split(separator: "|")[0]) }))
        let agencyName = try #require(agencies.first { $0.code == w.agency }?.name)
        #expect(notice.snapshot.recipientName == agencyName && notice.snapshot.issuerName == "政法委")
        try await store.writer.update("agencies").set("name", to: "改名后的机关").where("code", .equal, w.agency).run()
        #expect(try await store.warningDocuments(w.id).first?.snapshot.recipientName == agencyName)
        try await store.writer.update("agencies").set("name", to: agencyName).where("code", .equal, w.agency).run()
        // The file is kept and its hash logged as a document of the case; the self-audit checks the file against its leaf.
        let kept = try #require(try await store.warningDocumentPDF(notice.id))
        #expect(notice.pdfSHA256 == LedgerDigest.sha256Hex(kept))
        let leaf = try #require(notice.leafIndex)
        #expect(try await store.ledgerEntry(at: leaf) == notice.ledgerEntry(sha256: LedgerDigest.sha256Hex(kept)).text)
        #expect(try await store.auditLedger().problems.isEmpty)
        try await store.writer.update("warning_documents").set("pdf", to: SQLBind(Data("%PDF forged".utf8)))
            .where("document_id", .equal, notice.id).run()
        #expect(try await store.auditLedger().problems.contains { $0.leafIndex == leaf && $0.message.contains("文件在制发后被改动") })
        try await store.writer.update("warning_documents").set("pdf", to: SQLBind(Data(kept))).where("document_id", .equal, notice.id).run()
        try await store.writer.update("warning_documents").set("issued_at", to: now + 1).where("document_id", .equal, notice.id).run()
        #expect(try await store.auditLedger().problems.contains { $0.leafIndex == leaf && $0.message.contains("文书记录在制发后被改动") })
        try await store.writer.update("warning_documents").set("issued_at", to: now + 100).where("document_id", .equal, notice.id).run()
        #expect(try await store.auditLedger().problems.isEmpty)
        await #expect(throws: WarningError.self, "only the responsible agency verifies") {
            try await store.transitionWarning(w.id, action: .accept, comment: nil, by: outsider, now: now + 200)
        }
        await #expect(throws: WarningError.self, "the agency does not push its own warnings") {
            try await store.transitionWarning(w.id, action: .close, comment: nil, by: staff, now: now + 200)
        }
        try await store.transitionWarning(w.id, action: .accept, comment: nil, by: staff, now: now + 300)
        await #expect(throws: WarningError.self) { try await store.transitionWarning(w.id, action: .conclude, comment: "无", by: staff, now: now + 400) }
        try await store.transitionWarning(w.id, action: .conclude, conclusion: .substantiated, comment: "经核查，超期属实", by: staff, now: now + 400)
        try await store.transitionWarning(w.id, action: .returnForReverification, comment: "请补充责任人", by: supervisor, now: now + 500)
        // A file with every byte value, stored as a blob (bytea on PostgreSQL) and read back unchanged.
        let report = (0..<1_024).map { UInt8($0 % 256) }
        try await store.transitionWarning(w.id, action: .conclude, conclusion: .partlySubstantiated, comment: "补充后部分属实",
            attachments: [NewAttachment(filename: "核查报告.pdf", contentType: "application/pdf", data: report)], by: staff, now: now + 600)
        let listed = try #require(try await store.attachments(warningID: w.id).first)
        #expect(listed.filename == "核查报告.pdf" && listed.size == report.count && listed.uploadedBy == "staff")
        let (_, bytes) = try #require(try await store.attachment(id: listed.id))
        #expect(bytes == report)
        try await store.transitionWarning(w.id, action: .startRectification, comment: nil, by: staff, now: now + 700)
        let rectifying = try #require(try await store.warning(w.id))
        #expect(rectifying.state == .rectifying)
        #expect(rectifying.dueAt == now + 700 + 30 * 86_400)
        try await store.transitionWarning(w.id, action: .reportRectified, comment: "已补办手续并通报", by: staff, now: now + 800)
        let closed = try await store.transitionWarning(w.id, action: .close, comment: "整改到位，办结", by: supervisor, now: now + 900)
        #expect(closed.state == .closed)
        #expect(closed.dueAt == nil)
        #expect(closed.conclusion == .partlySubstantiated)

        // Every step wrote its event to the outbox, and each event after the webhook was registered queued a delivery.
        let events = try await store.warningEvents(after: 0, scope: .everything, limit: 100_000).filter { $0.warningID == w.id }
        #expect(events.map(\.kind) == [.opened] + Array(repeating: .transition, count: 8))
        #expect(events.last?.state == "closed")
        #expect(try await store.deliveries(agency: w.agency, limit: 1_000).count == 8)
        let steps = try await store.warningTransitions(w.id)
        #expect(steps.map(\.to) == [.pendingPush, .pushed, .verifying, .concluded, .verifying, .concluded, .rectifying, .rectified, .closed])
        #expect(steps.map(\.actor) == ["system", "sup", "staff", "staff", "sup", "staff", "staff", "staff", "sup"])
        #expect(steps[3].conclusion == .substantiated && steps[5].conclusion == .partlySubstantiated)
        #expect(steps[1].comment == "请于三日内签收核查")

        // Lists follow the caller's scope, and a warning outside it cannot be moved (it is not found).
        let scoped = try await store.warnings(scope: outsider.scope)
        #expect(scoped.count < warnings.count)
        for s in scoped { #expect(try await store.caseVisible(s.caseID, scope: outsider.scope)) }
        var invisible: StoredWarning?
        for candidate in warnings where candidate.state == .pendingPush && candidate.id != w.id {
            if try await !store.caseVisible(candidate.caseID, scope: outsider.scope) {
                invisible = candidate
                break
            }
        }
        let foreign = try #require(invisible)
        await #expect(throws: WarningError.notFound(foreign.id)) {
            try await store.transitionWarning(foreign.id, action: .push, comment: nil, by: outsider, now: now + 1000)
        }

        // Steps, escalation and audit writes from concurrent tasks share the one writer: each transaction is whole.
        let pending = try await store.warnings(state: .pendingPush, scope: .everything).prefix(12).map(\.id)
        let later = now + 10 * 86_400
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in pending {
                group.addTask { try await store.transitionWarning(id, action: .push, comment: "并发推送", by: supervisor, now: later) }
                group.addTask { try await store.audit(AuditEntry(supervisor, .readCase, at: later, caseID: id)) }
            }
            group.addTask { _ = try await store.escalateOverdueWarnings(now: later) }
            try await group.waitForAll()
        }
        for id in pending {
            let record = try await store.warningTransitions(id)
            #expect(record.filter { $0.action == "push" }.count == 1, "\(id) pushed once")
            let events = try await store.warningEvents(after: 0, scope: .everything, limit: 100_000).filter { $0.warningID == id }
            #expect(events.filter { $0.kind == .transition }.count == 1 && events.filter { $0.kind == .escalated }.count
                == record.filter { $0.action == "escalated" }.count, "every step of \(id) has its event")
        }
        #expect(try await store.auditEntries(action: .readCase, limit: 1_000).filter { $0.at == later }.count == pending.count)
        // A second pass finds nothing new: each overdue step was escalated once, and the pushed ones are not yet due.
        #expect(try await store.escalateOverdueWarnings(now: later + 60).isEmpty)
        #expect(try await store.warnings(scope: .everything, limit: 100_000).allSatisfy { $0.escalations <= 1 })
    }
}
