import Crypto
import Foundation
import Logging
import TianpingCore
import TianpingStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How a webhook request is signed: `X-Tianping-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
/// with the timestamp in `X-Tianping-Timestamp`, so that a receiver can refuse forged and replayed requests.
public enum WebhookSignature {
    public static func sign(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a signature and that its timestamp is within `tolerance` seconds of `now`.
    public static func verify(secret: String, timestamp: Int64, body: [UInt8], signature: String, now: Int64, tolerance: Int64 = 300) -> Bool {
        guard abs(now - timestamp) <= tolerance else { return false }
        let expected = Array(sign(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Delivers queued warning events to the agencies' webhooks: one POST per event, signed, with a 10-second
/// timeout; a non-2xx answer or a network error is retried with backoff (``RetryPolicy``); every attempt is logged.
public struct WebhookDispatcher: Sendable {
    let store: TianpingStore
    let policy: RetryPolicy
    let logger: Logger
    /// Decides what is due and signs each attempt's timestamp.
    let platformClock: any PlatformClock

    public init(store: TianpingStore, policy: RetryPolicy = RetryPolicy(), clock: any PlatformClock = SystemClock(),
        logger: Logger = Logger(label: "tianping.webhooks"))
    {
        self.store = store
        self.policy = policy
        self.platformClock = clock
        self.logger = logger
    }

    /// Sends what is due now; returns how many attempts were made.
    @discardableResult
    public func deliverDue(now: Int64? = nil) async throws -> Int {
        let due = try await store.dueDeliveries(now: now ?? platformClock.now().secondsSinceEpoch)
        for delivery in due { try await attempt(delivery) }
        return due.count
    }

    /// Runs until cancelled, looking for due deliveries every `interval`.
    public func run(interval: Duration = .seconds(2)) async {
        while !Task.isCancelled {
            do {
                try await deliverDue()
            } catch {
                logger.error("webhook delivery pass failed: \(String(describing: error))")
            }
            try? await Task.sleep(for: interval)
        }
    }

    func attempt(_ delivery: PendingDelivery) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let timestamp = platformClock.now().secondsSinceEpoch
        // The stored payload is written before its event has an id; the id is set here.
        var body = Array(delivery.payload.utf8)
        if var event = try? JSONDecoder().decode(WarningEvent.self, from: Data(body)) {
            event.id = delivery.eventID
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            body = Array(try encoder.encode(event))
        }
        var statusCode: Int?
        var failure: String?
        if let url = URL(string: delivery.url) {
            var request = URLRequest(url: url, timeoutInterval: 10)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
            request.setValue(delivery.kind, forHTTPHeaderField: "X-Tianping-Event")
            request.setValue(String(delivery.id), forHTTPHeaderField: "X-Tianping-Delivery")
            request.setValue(String(delivery.eventID), forHTTPHeaderField: "X-Tianping-Event-Id")
            request.setValue(String(timestamp), forHTTPHeaderField: "X-Tianping-Timestamp")
            request.setValue(WebhookSignature.sign(secret: delivery.secret, timestamp: timestamp, body: body),
                forHTTPHeaderField: "X-Tianping-Signature")
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                statusCode = (response as? HTTPURLResponse)?.statusCode
                if let code = statusCode, !(200..<300).contains(code) { failure = "HTTP \(code)" }
            } catch {
                failure = String(describing: error).prefix(300).description
            }
        } else {
            failure = "回调地址无效"
        }
        let elapsed = clock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        try await store.recordDeliveryAttempt(delivery, at: timestamp, statusCode: statusCode, error: failure, milliseconds: milliseconds,
            policy: policy)
        if let failure {
            logger.warning("webhook \(delivery.agency) delivery \(delivery.id) attempt \(delivery.attempts + 1) failed: \(failure)")
        }
    }
}
