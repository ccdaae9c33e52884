import Foundation
import SQLKit
import TianpingCore

/// An agency's endpoint for warning events (its own case system, or a message gateway in front of it).
public struct Webhook: Sendable, Codable, Hashable {
    public var agency: String
    public var url: String
    /// The HMAC key both sides hold. It must be usable to sign, so it is stored as given, not as a digest.
    public var secret: String
    public var active: Bool
    public var createdAt: Int64
}

/// A delivery due now, with what to send.
public struct PendingDelivery: Sendable, Hashable {
    public var id: Int64
    public var eventID: Int64
    public var agency: String
    public var url: String
    public var secret: String
    public var attempts: Int
    public var kind: String
    public var payload: String
}

/// One delivery and its attempts, for the delivery log.
public struct DeliveryRecord: Sendable, Codable, Hashable {
    public struct Attempt: Sendable, Codable, Hashable {
        public var at: Int64
        public var statusCode: Int?
        public var error: String?
        public var milliseconds: Int
    }

    public var id: Int64
    public var eventID: Int64
    public var agency: String
    public var status: String
    public var attempts: [Attempt]
    public var nextAttemptAt: Int64
    public var deliveredAt: Int64?
}

/// Retries with exponential backoff: 30 s, 1, 2, 4 … minutes, at most 1 h apart; the delivery fails after 10 attempts
/// (about three hours), and stays in the log.
public struct RetryPolicy: Sendable, Hashable {
    public var firstDelay: Int64 = 30
    public var maximumDelay: Int64 = 3_600
    public var maximumAttempts = 10

    public init() {}

    /// Seconds to wait after the `attempts`-th failed attempt.
    public func delay(afterAttempt attempts: Int) -> Int64 {
        min(maximumDelay, firstDelay << Int64(min(20, max(0, attempts - 1))))
    }
}

extension TianpingStore {
    /// Registers (or replaces) an agency's webhook.
    public func setWebhook(agency: String, url: String, secret: String, now: Int64) async throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http", parsed.host != nil else {
            throw StoreError.invalid("回调地址须为 http(s):// 开头的完整地址：\(url)")
        }
        guard secret.utf8.count >= 16 else { throw StoreError.invalid("签名密钥至少 16 个字符") }
        try await writer.delete(from: "webhooks").where("agency", .equal, agency).run()
        try await writer.insert(into: "webhooks").columns("agency", "url", "secret", "active", "created_at")
            .values(SQLBind(agency), SQLBind(url), SQLBind(secret), SQLBind(1), SQLBind(now)).run()
    }

    /// Stops deliveries to an agency (pending ones stay in the log as they are).
    public func removeWebhook(agency: String) async throws -> Bool {
        try await writer.update("webhooks").set("active", to: 0).where("agency", .equal, agency).where("active", .equal, 1)
            .returning("agency").all().count > 0
    }

    public func webhooks() async throws -> [Webhook] {
        try await writer.select().columns("*").from("webhooks").orderBy("agency").all().map { row in
            Webhook(agency: try row.decode(column: "agency", as: String.self), url: try row.decode(column: "url", as: String.self),
                secret: try row.decode(column: "secret", as: String.self), active: try row.decode(column: "active", as: Int.self) == 1,
                createdAt: try row.decode(column: "created_at", as: Int64.self))
        }
    }

    /// Deliveries whose next attempt is due, oldest first.
    public func dueDeliveries(now: Int64, limit: Int = 50) async throws -> [PendingDelivery] {
        try await writer.raw("""
            SELECT d.id, d.event_id, d.agency, d.attempts, w.url, w.secret, e.kind, e.payload
            FROM webhook_deliveries d JOIN webhooks w ON w.agency = d.agency AND w.active = 1 JOIN warning_events e ON e.id = d.event_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: now) ORDER BY d.next_attempt_at, d.id LIMIT \(bind: limit)
            """).all().map { row in
            PendingDelivery(id: try row.decode(column: "id", as: Int64.self), eventID: try row.decode(column: "event_id", as: Int64.self),
                agency: try row.decode(column: "agency", as: String.self), url: try row.decode(column: "url", as: String.self),
                secret: try row.decode(column: "secret", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                kind: try row.decode(column: "kind", as: String.self), payload: try row.decode(column: "payload", as: String.self))
        }
    }

    /// Records one attempt: delivered on a 2xx answer, otherwise retried later or, after the last attempt, failed.
    public func recordDeliveryAttempt(_ delivery: PendingDelivery, at: Int64, statusCode: Int?, error: String?, milliseconds: Int,
        policy: RetryPolicy = RetryPolicy()) async throws
    {
        let attempts = delivery.attempts + 1
        let delivered = statusCode.map { (200..<300).contains($0) } ?? false
        let status = delivered ? "delivered" : attempts >= policy.maximumAttempts ? "failed" : "pending"
        try await transaction { db in
            try await db.insert(into: "webhook_attempts").columns("delivery_id", "at", "status_code", "error", "milliseconds")
                .values(SQLBind(delivery.id), SQLBind(at), SQLBind(statusCode), SQLBind(error), SQLBind(milliseconds)).run()
            try await db.update("webhook_deliveries").set("status", to: status).set("attempts", to: attempts)
                .set("next_attempt_at", to: at + policy.delay(afterAttempt: attempts))
                .set("delivered_at", to: delivered ? at : nil).where("id", .equal, delivery.id).run()
        }
    }

    /// The delivery log of one agency, newest first.
    public func deliveries(agency: String? = nil, limit: Int = 100) async throws -> [DeliveryRecord] {
        var select = writer.select().columns("*").from("webhook_deliveries")
        if let agency { select = select.where("agency", .equal, agency) }
        var records = try await select.orderBy("id", .descending).limit(limit).all().map { row in
            DeliveryRecord(id: try row.decode(column: "id", as: Int64.self), eventID: try row.decode(column: "event_id", as: Int64.self),
                agency: try row.decode(column: "agency", as: String.self), status: try row.decode(column: "status", as: String.self),
                attempts: [], nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int64.self),
                deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self))
        }
        guard !records.isEmpty else { return [] }
        var attempts: [Int64: [DeliveryRecord.Attempt]] = [:]
        for row in try await writer.select().columns("*").from("webhook_attempts").where("delivery_id", .in, records.map(\.id)).orderBy("id").all() {
            attempts[try row.decode(column: "delivery_id", as: Int64.self), default: []].append(
                DeliveryRecord.Attempt(at: try row.decode(column: "at", as: Int64.self), statusCode: try row.decode(column: "status_code", as: Int?.self),
                    error: try row.decode(column: "error", as: String?.self), milliseconds: try row.decode(column: "milliseconds", as: Int.self)))
        }
        for i in records.indices { records[i].attempts = attempts[records[i].id] ?? [] }
        return records
    }
}
