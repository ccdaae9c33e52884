import Foundation
import Logging
import TianpingCore
import TianpingLedger
import TianpingStore

/// What a running server does for its dossier log in the background: sign a checkpoint when the log grew, and
/// audit stored data against the log now and then, raising critical findings on any mismatch.
struct LedgerUpkeep: Sendable {
    let log: DossierLog
    let signer: NoteSigner
    let checkpointInterval: Double
    let auditInterval: Double
    /// The log's public keys as the key files hold them.
    let trustedKeys: [NoteVerifier]
    let logger = Logger(label: "tianping.ledger")

    func run() async {
        var sinceAudit = 0.0
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(checkpointInterval))
            } catch {
                return
            }
            sinceAudit += checkpointInterval
            do {
                try await log.checkpoint(signer: signer, now: Timestamp.now().secondsSinceEpoch)
                if auditInterval > 0, sinceAudit >= auditInterval {
                    sinceAudit = 0
                    let report = try await log.store.auditLedger(trustedKeys: trustedKeys)
                    _ = try await log.store.recordLedgerAudit(report, now: Timestamp.now())
                    if report.isClean {
                        logger.info("ledger self-audit clean", metadata: ["leaves": "\(report.leaves)"])
                    } else {
                        logger.critical("ledger self-audit found \(report.problems.count) mismatches; see findings of kind integrity")
                    }
                }
            } catch {
                logger.error("ledger upkeep failed: \(String(reflecting: error))")
            }
        }
    }
}

/// Escalates warnings whose current step is past its deadline, every `interval` seconds while the server runs.
struct WarningEscalation: Sendable {
    let store: TianpingStore
    let interval: Double
    let logger = Logger(label: "tianping.warnings")

    func run() async {
        guard interval > 0 else { return }
        while !Task.isCancelled {
            do {
                let raised = try await store.escalateOverdueWarnings(now: Timestamp.now().secondsSinceEpoch)
                if !raised.isEmpty { logger.notice("escalated \(raised.count) overdue warnings") }
            } catch {
                logger.error("warning escalation failed: \(String(reflecting: error))")
            }
            do { try await Task.sleep(for: .seconds(interval)) } catch { return }
        }
    }
}
