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
    let logger = Logger(label: "tianping.ledger")

    public init(log: DossierLog, signer: NoteSigner, checkpointInterval: Double, auditInterval: Double, trustedKeys: [NoteVerifier]) {
        self.log = log
        self.signer = signer
        self.checkpointInterval = checkpointInterval
        self.auditInterval = auditInterval
        self.trustedKeys = trustedKeys
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
