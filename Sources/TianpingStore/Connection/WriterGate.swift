import Logging
import NIOCore
import SQLKit

/// A lock that suspends instead of blocking a thread; waiters are served in order.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }

    nonisolated func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock()
        do {
            let result = try await body()
            await unlock()
            return result
        } catch {
            await unlock()
            throw error
        }
    }
}

/// The writer connection as every task of the process shares it. A transaction holds the gate from BEGIN to COMMIT;
/// a statement sent outside a transaction waits for the running one to end instead of landing inside it (where a
/// rollback would take it along, or a second BEGIN on the same connection would fail). Inside a transaction —
/// the task-local ``holder`` names this gate — statements pass straight through. The gate's identity, not a flag:
/// a transaction on one store must not let another store's statements skip that store's gate.
struct GatedDatabase: WrappingDatabase {
    @TaskLocal static var holder: ObjectIdentifier?

    static func holds(_ gate: AsyncLock) -> Bool { holder == ObjectIdentifier(gate) }

    let base: any SQLDatabase
    let gate: AsyncLock

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        if Self.holds(gate) { return base.execute(sql: query, onRow) }
        let base = self.base
        let gate = self.gate
        return eventLoop.makeFutureWithTask {
            try await gate.withLock { try await base.execute(sql: query, onRow).get() }
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if Self.holds(gate) { return try await base.execute(sql: query, onRow) }
        try await gate.withLock { try await base.execute(sql: query, onRow) }
    }
}
