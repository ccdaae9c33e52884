import Foundation
import Logging
import SQLKit
import TianpingCore

/// Ordered schema steps; each runs once, recorded in `schema_migrations`. sql-kit has no migrator, so
/// this is the small one the platform needs. Append new steps; never edit an applied one.
struct Migration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (any SQLDatabase, StoreDialect) async throws -> Void
}

extension TianpingStore {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "exchange records, cases, agencies, quarantine, ingest runs") { db, dialect in
            try await db.create(table: "agencies")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("kind", type: .text, .notNull)
                .column("name", type: .text, .notNull)
                .column("region", type: .text, .notNull)
                .column("level", type: .text, .notNull)
                .column("parent_code", type: .text)
                .run()
            // Every version of every record. The key leads with record_id so that looking up a batch's
            // records by id uses the primary key and needs no second index.
            try await db.create(table: "records")
                .column("record_id", type: .text, .notNull)
                .column("source", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .column("content_hash", type: .text, .notNull)
                .column("case_id", type: .text)
                .column("occurred_at", type: .bigint)
                .column("is_current", type: .int, .notNull)
                .column("body", type: .text, .notNull)
                .column("ingested_at", type: .bigint, .notNull)
                .primaryKey("record_id", "source", "kind", "version")
                .run()
            try await db.create(index: "records_by_case").on("records").column("case_id").column("occurred_at").run()
            try await db.create(table: "cases")
                .column("case_id", type: .text, .primaryKey(autoIncrement: false))
                .column("case_type", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("charges", type: .text, .notNull)
                .column("cause", type: .text)
                .column("region", type: .text, .notNull)
                .column("city", type: .text, .notNull)
                .column("accepted_at", type: .bigint, .notNull)
                .column("procedure", type: .text)
                .column("source", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .column("last_event_kind", type: .text)
                .column("last_event_at", type: .bigint)
                .run()
            try await db.create(index: "cases_by_accepted").on("cases").column("accepted_at").run()
            try await db.create(index: "cases_by_region").on("cases").column("region").column("accepted_at").run()
            try await db.create(index: "cases_by_type").on("cases").column("case_type").column("accepted_at").run()
            try await db.create(table: "quarantine")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("source_name", type: .text, .notNull)
                .column("line_number", type: .bigint, .notNull)
                .column("raw_sha256", type: .text, .notNull)
                .column("raw_text", type: .text, .notNull)
                .column("raw_encoding", type: .text, .notNull)
                .column("byte_count", type: .bigint, .notNull)
                .column("code", type: .text, .notNull)
                .column("message", type: .text, .notNull)
                .column("record_source", type: .text)
                .column("record_kind", type: .text)
                .column("record_id", type: .text)
                .column("record_version", type: .bigint)
                .column("case_id", type: .text)
                .column("status", type: .text, .notNull)
                .column("quarantined_at", type: .bigint, .notNull)
                .column("resolved_at", type: .bigint)
                .unique("source_name", "line_number", "raw_sha256")
                .run()
            try await db.create(index: "quarantine_by_status").on("quarantine").column("status").column("id").run()
            try await db.create(table: "ingest_runs")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("source_name", type: .text, .notNull)
                .column("started_at", type: .bigint, .notNull)
                .column("finished_at", type: .bigint, .notNull)
                .column("lines", type: .bigint, .notNull)
                .column("summary", type: .text, .notNull)
                .run()
        },
        Migration(version: 2, name: "findings, their history, running clocks, analysis queue") { db, _ in
            // One row per finding, updated in place (the id is stable across runs); `status` is open or resolved.
            try await db.create(table: "findings")
                .column("finding_id", type: .text, .primaryKey(autoIncrement: false))
                .column("rule_id", type: .text, .notNull)
                .column("case_id", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("severity", type: .text, .notNull)
                .column("grade", type: .text, .notNull)
                .column("agency", type: .text)
                .column("region", type: .text)
                .column("officer", type: .text)
                .column("status", type: .text, .notNull)
                .column("ongoing", type: .int, .notNull)
                .column("due_at", type: .bigint)
                .column("actual_at", type: .bigint)
                .column("lateness", type: .bigint)
                .column("lateness_unit", type: .text)
                .column("occurred_at", type: .bigint, .notNull)
                .column("explanation", type: .text, .notNull)
                // What identifies the breach (rule, events, deadline, act): history is written when it changes,
                // not when only the days overdue of an ongoing breach grow.
                .column("signature", type: .text, .notNull)
                .column("body", type: .text, .notNull)
                .column("pack_version", type: .text, .notNull)
                .column("first_detected_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .column("resolved_at", type: .bigint)
                .run()
            try await db.create(index: "findings_by_case").on("findings").column("case_id").run()
            try await db.create(index: "findings_by_rule").on("findings").column("rule_id").column("status").run()
            try await db.create(index: "findings_by_agency").on("findings").column("agency").column("status").run()
            try await db.create(index: "findings_by_time").on("findings").column("status").column("occurred_at").run()
            // Every change of a finding, never updated: opened, updated, resolved, reopened.
            try await db.create(table: "finding_history")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("finding_id", type: .text, .notNull)
                .column("at", type: .bigint, .notNull)
                .column("change", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("explanation", type: .text, .notNull)
                .column("pack_version", type: .text, .notNull)
                .run()
            try await db.create(index: "finding_history_by_finding").on("finding_history").column("finding_id").column("id").run()
            // The running statutory clocks of open cases, replaced whenever a case is evaluated.
            try await db.create(table: "clocks")
                .column("clock_id", type: .text, .primaryKey(autoIncrement: false))
                .column("case_id", type: .text, .notNull)
                .column("rule_id", type: .text, .notNull)
                .column("agency", type: .text)
                .column("person", type: .text)
                .column("started_at", type: .bigint, .notNull)
                .column("due_at", type: .bigint, .notNull)
                .column("action", type: .text, .notNull)
                .run()
            try await db.create(index: "clocks_by_case").on("clocks").column("case_id").run()
            try await db.create(index: "clocks_by_due").on("clocks").column("due_at").run()
            // Cases whose records changed since they were last evaluated; filled in the ingest transaction.
            try await db.create(table: "analysis_queue")
                .column("case_id", type: .text, .primaryKey(autoIncrement: false))
                .run()
        },
        Migration(version: 3, name: "dossier log: leaves, checkpoints, cosignatures, log keys") { db, _ in
            // One row per leaf of the RFC 9162 log, never updated or deleted; the index is the row key.
            try await db.create(table: "ledger_leaves")
                .column("leaf_index", type: .bigint, .primaryKey(autoIncrement: false))
                .column("leaf_hash", type: .text, .notNull)
                .column("entry", type: .text, .notNull)
                .run()
            // Where each record version (and a document's declared content) sits in the log.
            try await db.alter(table: "records").column("leaf_index", type: .bigint).run()
            try await db.alter(table: "records").column("document_leaf_index", type: .bigint).run()
            try await db.create(table: "ledger_checkpoints")
                .column("size", type: .bigint, .primaryKey(autoIncrement: false))
                .column("root", type: .text, .notNull)
                .column("note", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(table: "ledger_cosignatures")
                .column("size", type: .bigint, .notNull)
                .column("witness", type: .text, .notNull)
                .column("line", type: .text, .notNull)
                .column("received_at", type: .bigint, .notNull)
                .primaryKey("size", "witness")
                .run()
            // Public keys only: the private key lives in a file outside the database.
            try await db.create(table: "ledger_keys")
                .column("verifier", type: .text, .primaryKey(autoIncrement: false))
                .column("active_from", type: .bigint, .notNull)
                .column("retired_at", type: .bigint)
                .run()
            try await TianpingStore.appendUnloggedRecords(db: db)
        },
        Migration(version: 4, name: "accounts, sessions, API tokens, case assignments, case agencies, access audit") { db, _ in
            try await db.create(table: "accounts")
                .column("account_id", type: .text, .primaryKey(autoIncrement: false))
                .column("username", type: .text, .notNull, .unique)
                .column("display_name", type: .text, .notNull)
                .column("agency", type: .text, .notNull)
                .column("role", type: .text, .notNull)
                .column("password_hash", type: .text, .notNull)
                .column("disabled", type: .int, .notNull)
                .column("failed_attempts", type: .int, .notNull)
                .column("locked_until", type: .bigint)
                .column("totp_secret", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .column("password_changed_at", type: .bigint, .notNull)
                .run()
            // Session and token secrets are stored only as SHA-256 digests.
            try await db.create(table: "sessions")
                .column("token_digest", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("csrf_token", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("expires_at", type: .bigint, .notNull)
                .column("address", type: .text)
                .run()
            try await db.create(index: "sessions_by_account").on("sessions").column("account_id").run()
            try await db.create(table: "api_tokens")
                .column("token_id", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("token_digest", type: .text, .notNull, .unique)
                .column("agency", type: .text, .notNull)
                .column("permissions", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("revoked_at", type: .bigint)
                .column("last_used_at", type: .bigint)
                .run()
            try await db.create(table: "case_assignments")
                .column("account_id", type: .text, .notNull)
                .column("case_id", type: .text, .notNull)
                .column("purpose", type: .text, .notNull)
                .column("assigned_at", type: .bigint, .notNull)
                .primaryKey("account_id", "purpose", "case_id")
                .run()
            // Which agencies sent records of a case: what "own agency's cases" means. Filled by ingest.
            try await db.create(table: "case_agencies")
                .column("agency", type: .text, .notNull)
                .column("case_id", type: .text, .notNull)
                .primaryKey("agency", "case_id")
                .run()
            try await db.raw("INSERT INTO case_agencies (agency, case_id) SELECT DISTINCT source, case_id FROM records WHERE case_id IS NOT NULL").run()
            // Who saw or did what: appended, never updated or deleted.
            try await db.create(table: "access_audit")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("at", type: .bigint, .notNull)
                .column("actor", type: .text, .notNull)
                .column("actor_kind", type: .text, .notNull)
                .column("role", type: .text, .notNull)
                .column("agency", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("target", type: .text)
                .column("case_id", type: .text)
                .column("reason", type: .text)
                .column("address", type: .text)
                .column("outcome", type: .text, .notNull)
                .run()
            try await db.create(index: "access_audit_by_actor").on("access_audit").column("actor").column("at").run()
            try await db.create(index: "access_audit_by_time").on("access_audit").column("at").run()
        },
        Migration(version: 5, name: "the last TOTP step each account used, against replay") { db, _ in
            try await db.alter(table: "accounts").column("totp_last_step", type: .bigint).run()
        },
        Migration(version: 6, name: "warnings and their transitions (the closed risk loop)") { db, _ in
            // One row per case and responsible agency; updated as its findings change and as it moves through the loop.
            try await db.create(table: "warnings")
                .column("warning_id", type: .text, .primaryKey(autoIncrement: false))
                .column("case_id", type: .text, .notNull)
                .column("agency", type: .text, .notNull)
                .column("region", type: .text)
                .column("grade", type: .text, .notNull)
                .column("state", type: .text, .notNull)
                .column("finding_ids", type: .text, .notNull)
                .column("finding_count", type: .int, .notNull)
                .column("max_severity", type: .text, .notNull)
                .column("overdue_days", type: .int, .notNull)
                .column("conclusion", type: .text)
                .column("state_entered_at", type: .bigint, .notNull)
                .column("due_at", type: .bigint)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "warnings_by_state").on("warnings").column("state").column("grade").run()
            try await db.create(index: "warnings_by_agency").on("warnings").column("agency").column("state").run()
            try await db.create(index: "warnings_by_case").on("warnings").column("case_id").run()
            // Every step, never updated: who, when, from, to, what, with which comment and conclusion.
            try await db.create(table: "warning_transitions")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("warning_id", type: .text, .notNull)
                .column("at", type: .bigint, .notNull)
                .column("actor", type: .text, .notNull)
                .column("role", type: .text, .notNull)
                .column("from_state", type: .text)
                .column("to_state", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("comment", type: .text)
                .column("conclusion", type: .text)
                .run()
            try await db.create(index: "warning_transitions_by_warning").on("warning_transitions").column("warning_id").column("id").run()
        },
        Migration(version: 7, name: "the workbench: warning sort key and escalation, attachments, event outbox, webhooks") { db, _ in
            // Red = 2, orange = 1, yellow = 0: the list sorts worst first on an index instead of in memory.
            try await db.alter(table: "warnings").column("grade_rank", type: .int).run()
            try await db.alter(table: "warnings").column("escalations", type: .int).run()
            // The `state_entered_at` of the step that was last escalated: one escalation per overdue step.
            try await db.alter(table: "warnings").column("escalated_step", type: .bigint).run()
            try await db.raw("""
                UPDATE warnings SET escalations = 0,
                grade_rank = CASE grade WHEN 'red' THEN 2 WHEN 'orange' THEN 1 ELSE 0 END
                """).run()
            try await db.create(index: "warnings_by_rank").on("warnings").column("grade_rank").column("overdue_days").run()
            try await db.create(index: "warnings_by_state_rank").on("warnings").column("state").column("grade_rank").column("overdue_days").run()
            try await db.create(index: "warnings_by_due").on("warnings").column("due_at").run()
            try await db.create(index: "warnings_by_region").on("warnings").column("region").run()
            // Files attached to a conclusion or a rectification report; kept in the database with their digest.
            try await db.create(table: "warning_attachments")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("warning_id", type: .text, .notNull)
                .column("transition_id", type: .bigint)
                .column("filename", type: .text, .notNull)
                .column("content_type", type: .text, .notNull)
                .column("size", type: .bigint, .notNull)
                .column("sha256", type: .text, .notNull)
                .column("data", type: .blob, .notNull)
                .column("uploaded_by", type: .text, .notNull)
                .column("at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "warning_attachments_by_warning").on("warning_attachments").column("warning_id").run()
            // The outbox: every new or changed warning, written in the transaction that changed it. The event stream
            // reads it by id (Last-Event-ID) and webhook deliveries are queued from it in the same transaction.
            try await db.create(table: "warning_events")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("warning_id", type: .text, .notNull)
                .column("case_id", type: .text, .notNull)
                .column("agency", type: .text, .notNull)
                .column("region", type: .text)
                .column("at", type: .bigint, .notNull)
                .column("kind", type: .text, .notNull)
                .column("payload", type: .text, .notNull)
                .run()
            try await db.create(table: "webhooks")
                .column("agency", type: .text, .primaryKey(autoIncrement: false))
                .column("url", type: .text, .notNull)
                .column("secret", type: .text, .notNull)
                .column("active", type: .int, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(table: "webhook_deliveries")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("event_id", type: .bigint, .notNull)
                .column("agency", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("attempts", type: .int, .notNull)
                .column("next_attempt_at", type: .bigint, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("delivered_at", type: .bigint)
                .run()
            try await db.create(index: "webhook_deliveries_due").on("webhook_deliveries").column("status").column("next_attempt_at").run()
            // Every attempt, never updated: when, which status code or error, how long it took.
            try await db.create(table: "webhook_attempts")
                .column("id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("delivery_id", type: .bigint, .notNull)
                .column("at", type: .bigint, .notNull)
                .column("status_code", type: .int)
                .column("error", type: .text)
                .column("milliseconds", type: .int, .notNull)
                .run()
            try await db.create(index: "webhook_attempts_by_delivery").on("webhook_attempts").column("delivery_id").run()
        },
        Migration(version: 8, name: "findings carry their case's region; warnings ordered worst first on an index") { db, _ in
            // A finding's `region` is its agency's; scoped queries need the case's, which through `cases` took
            // seconds on a million cases.
            try await db.alter(table: "findings").column("case_region", type: .text).run()
            try await db.raw("UPDATE findings SET case_region = (SELECT c.region FROM cases c WHERE c.case_id = findings.case_id)").run()
            try await db.create(index: "findings_by_case_region").on("findings").column("case_region").column("status").run()
            // The list's default order, so that a page of a province's warnings is read in order, not sorted.
            try await db.raw("CREATE INDEX warnings_rank_order ON warnings (grade_rank DESC, overdue_days DESC, warning_id)").run()
        },
        Migration(version: 9, name: "warnings of one state and grade ordered by their step deadline") { db, _ in
            try await db.create(index: "warnings_by_state_rank_due").on("warnings").column("state").column("grade_rank").column("due_at")
                .column("warning_id").run()
        },
        Migration(version: 10, name: "sentencing measures: each effective judgment's comparable group and term") { db, _ in
            // Written as cases are reviewed; read per cohort for the 同案不同判 statistics and their leads.
            try await db.create(table: "sentencing_measures")
                .column("case_id", type: .text, .notNull)
                .column("defendant", type: .text, .notNull)
                .column("cohort", type: .text, .notNull)
                .column("months", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
                .column("case_number", type: .text, .notNull)
                .column("court", type: .text, .notNull)
                .column("decided_at", type: .bigint, .notNull)
                .primaryKey("case_id", "defendant")
                .run()
            try await db.create(index: "sentencing_measures_by_cohort").on("sentencing_measures").column("cohort").run()
            // Cohorts whose membership changed and whose 同案不同判 leads are still to be recomputed: written with the
            // measures, cleared by the cohort pass, so that a crash in between loses nothing.
            try await db.create(table: "sentencing_dirty_cohorts")
                .column("cohort", type: .text, .primaryKey(autoIncrement: false))
                .run()
            // Cases judged before this version have never been reviewed: queue them for the next analysis.
            try await db.raw("""
                INSERT INTO analysis_queue (case_id) SELECT DISTINCT r.case_id FROM records r
                WHERE r.kind = 'judgment' AND r.is_current = 1 AND r.case_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM analysis_queue q WHERE q.case_id = r.case_id)
                """).run()
        },
        Migration(version: TianpingStore.accessAuditLogMigration, name: "access audit as a tamper-evident log; rows shown by a list read") { db, _ in
            try await db.alter(table: "access_audit").column("item_count", type: .bigint).run()
            // One leaf per audit row, appended in the row's transaction, never updated; the index is the row key.
            try await db.create(table: "access_audit_leaves")
                .column("leaf_index", type: .bigint, .primaryKey(autoIncrement: false))
                .column("audit_id", type: .bigint, .notNull, .unique)
                .column("leaf_hash", type: .text, .notNull)
                .run()
            // Signed heads of that log (same key as the dossier log), with the tree's right edge to continue from.
            try await db.create(table: "access_audit_checkpoints")
                .column("size", type: .bigint, .primaryKey(autoIncrement: false))
                .column("root", type: .text, .notNull)
                .column("note", type: .text, .notNull)
                .column("frontier", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await TianpingStore.appendUnloggedAuditRows(db: db)
        },
        Migration(version: 12, name: "one search box: cases by any agency's number, a person's name or identity number; the shown 案号") { db, _ in
            try await db.create(table: "case_search")
                .column("term", type: .text, .notNull)
                .column("case_id", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .primaryKey("term", "case_id")
                .run()
            try await db.alter(table: "cases").column("case_number", type: .text).run()
            try await TianpingStore.backfillCaseSearch(db: db)
        },
        Migration(version: 13, name: "documents a warning's steps issue: the 督办通知书 numbered per issuing body and year") { db, _ in
            try await db.create(table: "warning_documents")
                .column("document_id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("warning_id", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("issuer", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("serial", type: .int, .notNull)
                .column("number", type: .text, .notNull)
                .column("recipient", type: .text, .notNull)
                .column("issued_by", type: .text, .notNull)
                .column("issued_at", type: .bigint, .notNull)
                .column("due_at", type: .bigint)
                .column("comment", type: .text)
                .column("snapshot", type: .text, .notNull)
                .unique("issuer", "kind", "year", "serial")
                .run()
            try await db.create(index: "warning_documents_by_warning").on("warning_documents").column("warning_id").run()
        },
        Migration(version: 14, name: "issued documents kept as PDF files, each logged in the dossier log") { db, _ in
            try await db.alter(table: "warning_documents").column("pdf", type: .blob).run()
            try await db.alter(table: "warning_documents").column("pdf_sha256", type: .text).run()
            try await db.alter(table: "warning_documents").column("leaf_index", type: .bigint).run()
            try await db.alter(table: "warning_documents").column("case_id", type: .text).run()
            try await db.create(index: "warning_documents_by_case").on("warning_documents").column("case_id").run()
        },
        Migration(version: 15, name: "the similar-case library: judgments with what was read from them, in revision order") { db, _ in
            // `body` is the judgment as imported (LibraryJudgment), `reading` what JudgmentReading found in it; each
            // change takes the next `revision`, which the on-disk index follows (its manifest records how far).
            try await db.create(table: "library_judgments")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("source", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .column("title", type: .text)
                .column("body", type: .text, .notNull)
                .column("reading", type: .text, .notNull)
                .column("content_sha256", type: .text, .notNull)
                .column("withdrawn", type: .int, .notNull)
                .column("revision", type: .bigint, .notNull)
                .column("imported_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "library_judgments_by_revision").on("library_judgments").column("revision").run()
        },
        Migration(version: 16, name: "current person records by case, for the masking of every list of cases") { db, _ in
            // Partial: two million of 29 million rows at a million cases. Without it each case's every record version
            // was read to find its persons (the search page's name lookup spent a quarter of its time there).
            try await db.raw(SQLQueryString("CREATE INDEX records_current_persons ON records (case_id) WHERE "
                + TianpingStore.currentPersonsCondition)).run()
        },
        Migration(version: 17, name: "reports kept in a case's dossier (类案检索报告), each file logged in the dossier log") { db, _ in
            try await db.create(table: "case_reports")
                .column("report_id", type: .bigint, .primaryKey(autoIncrement: true))
                .column("case_id", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("kept_by", type: .text, .notNull)
                .column("agency", type: .text, .notNull)
                .column("kept_at", type: .bigint, .notNull)
                .column("content_type", type: .text, .notNull)
                .column("body", type: .blob, .notNull)
                .column("sha256", type: .text, .notNull)
                .column("leaf_index", type: .bigint)
                .run()
            try await db.create(index: "case_reports_by_case").on("case_reports").column("case_id").run()
        },
    ]

    /// The migration that makes the access audit a log (the self-audit reads when it was applied).
    static let accessAuditLogMigration = 11

    /// Applies every migration not yet recorded.
    func migrate() async throws {
        try await writer.create(table: "schema_migrations").ifNotExists()
            .column("version", type: .bigint, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("applied_at", type: .bigint, .notNull)
            .run()
        let applied = Set(try await writer.select().column("version").from("schema_migrations").all()
            .map { try $0.decode(column: "version", as: Int.self) })
        for migration in Self.migrations where !applied.contains(migration.version) {
            let dialect = self.dialect
            try await transaction { db in
                try await migration.apply(db, dialect)
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(clock.now().secondsSinceEpoch))
                    .run()
            }
            logger.info("applied migration \(migration.version): \(migration.name)")
        }
    }
}

extension TianpingStore {
    /// A statement that fails (a missing table), for tests of what a failure reports.
    public func failingStatementForTests() async throws {
        try await writer.select().column("x").from("no_such_table").run()
    }

    /// Empties every data table (not the schema). For test databases only.
    public func resetForTests() async throws {
        for table in ["records", "cases", "agencies", "quarantine", "ingest_runs", "findings", "finding_history", "clocks",
            "analysis_queue", "ledger_leaves", "ledger_checkpoints", "ledger_cosignatures", "ledger_keys", "accounts", "sessions",
            "api_tokens", "case_assignments", "case_agencies", "access_audit", "access_audit_leaves", "access_audit_checkpoints", "warnings", "warning_transitions", "warning_attachments",
            "warning_events", "webhooks", "webhook_deliveries", "webhook_attempts", "sentencing_measures", "sentencing_dirty_cohorts", "case_search", "warning_documents", "library_judgments", "case_reports"]
        {
            try await writer.delete(from: table).run()
        }
    }
}
