import Foundation
import Logging
import TianpingCore
import TianpingLedger
import TianpingStore

/// What a running server does for its dossier log in the background: sign a checkpoint when the log grew, and
/// audit stored data against the log now and then, raising critical findings on any mismatch.
public struct LedgerUpkeep: Sendable {
    public let log: DossierLog
    public let signer: NoteSigner
    public let checkpointInterval: Double
    public let auditInterval: Double
    /// The log's public keys as the key files hold them.
    public let trustedKeys: [NoteVerifier]
    public let clock: any PlatformClock
    let logger = Logger(label: "tianping.ledger")

    public init(log: DossierLog, signer: NoteSigner, checkpointInterval: Double, auditInterval: Double, trustedKeys: [NoteVerifier],
        clock: any PlatformClock = SystemClock())
    {
        self.clock = clock
        self.log = log
        self.signer = signer
        self.checkpointInterval = checkpointInterval
        self.auditInterval = auditInterval
        self.trustedKeys = trustedKeys
    }

    /// One self-audit: stored rows against their leaves, raised as critical findings on any mismatch.
    public func audit() async throws {
        let report = try await log.store.auditLedger(trustedKeys: trustedKeys)
        _ = try await log.store.recordLedgerAudit(report, now: clock.now())
        if report.isClean {
            logger.info("ledger self-audit clean", metadata: ["leaves": "\(report.leaves)"])
        } else {
            logger.critical("ledger self-audit found \(report.problems.count) mismatches; see findings of kind integrity")
        }
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var sinceAudit = 0.0
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(checkpointInterval))
            } catch {
                return
            }
            sinceAudit += checkpointInterval
            do {
                try await log.checkpoint(signer: signer, now: clock.now().secondsSinceEpoch)
            } catch {
                // A refused checkpoint (stored leaves no longer reproduce the last signed one) is exactly when the
                // self-audit must still run and name the rows: it is not skipped.
                logger.critical("dossier log checkpoint refused: \(String(reflecting: error))")
            }
            if auditInterval > 0, sinceAudit >= auditInterval {
                sinceAudit = 0
                do {
                    try await audit()
                } catch {
                    logger.error("ledger self-audit failed: \(String(reflecting: error))")
                }
            }
        }
    }
}
