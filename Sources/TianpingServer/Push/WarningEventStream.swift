import HTTPTypes
import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingStore

/// `GET /api/v1/events/warnings`: Server-Sent Events of new and changed warnings in the caller's scope, read from
/// the store's outbox. A client that reconnects sends `Last-Event-ID` and resumes after it; one that connects fresh
/// starts at the newest event (or after `?after=ID`). `?timeout=S` closes the stream after S seconds (for scripts);
/// every stream closes after ``maximumLifetime`` at the latest, so that a revoked session or token stops receiving
/// (the client reconnects through the access checks). Event ids become visible in the order they are given (the
/// store writes events under a lock), so the cursor — the last id read, sent or out of scope — is exact.
struct WarningEventStream: Sendable {
    let store: TianpingStore
    /// How often the outbox is read while idle, and how often an idle stream sends a comment to keep proxies open.
    var pollInterval: Duration = .milliseconds(500)
    var heartbeat: Duration = .seconds(15)
    var maximumLifetime = 600

    func register(on routes: SecureRoutes) {
        routes.get("events/warnings", .permission(.readFindings)) { request, context in
            guard let scope = context.principal?.scope else { throw APIFailure(.unauthorized, code: "unauthenticated", message: "请先登录") }
            let q = request.uri.queryParameters
            let resume = request.headers[HTTPField.Name("Last-Event-ID")!] ?? q["after"].map(String.init)
            let start: Int64
            if let resume {
                guard let id = Int64(resume), id >= 0 else {
                    throw APIFailure(.badRequest, code: "invalid_parameter", message: "Last-Event-ID 应为非负整数")
                }
                // Never past the newest event: a cursor near Int64.max would overflow `cursor + 500` below.
                start = min(id, try await store.latestWarningEventID())
            } else {
                start = try await store.latestWarningEventID()
            }
            let timeout = try QueryParameters.int(q["timeout"], "timeout", default: maximumLifetime, range: 1...maximumLifetime)
            // Audited once, when the stream opens (with where it resumes); the events it then carries are not counted.
            try await AccessAudit.list(store, request, context, count: nil)
            let store = self.store
            let poll = pollInterval
            let heartbeat = heartbeat
            return Response(status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
                body: ResponseBody { writer in
                    let clock = ContinuousClock()
                    let ends = clock.now + .seconds(timeout)
                    var cursor = start
                    var quietSince = clock.now
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    try await writer.write(ByteBuffer(string: "retry: 3000\n: 天平预警事件流\n\n"))
                    while !Task.isCancelled, clock.now < ends {
                        let newest = try await store.latestWarningEventID()
                        // At most 500 ids a pass, so that a stream far behind catches up in bounded steps.
                        let upTo = max(cursor, min(newest, cursor + 500))
                        let events = try await store.warningEvents(after: cursor, upTo: upTo, scope: scope, limit: 500)
                        for event in events {
                            let data = String(decoding: try encoder.encode(event), as: UTF8.self)
                            try await writer.write(ByteBuffer(string: "id: \(event.id)\nevent: \(event.kind.rawValue)\ndata: \(data)\n\n"))
                        }
                        cursor = upTo
                        if events.isEmpty, cursor >= newest {
                            if clock.now - quietSince >= heartbeat {
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                                quietSince = clock.now
                            }
                            try await Task.sleep(for: poll)
                        } else {
                            quietSince = clock.now
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
