import SQLKit
import TianpingAccess

/// Browser sessions: the cookie's secret is stored only as a digest, with the CSRF token for forms.
extension TianpingStore {
    /// Opens a session; returns the secret for the cookie and the CSRF token for forms.
    public func openSession(accountID: String, address: String?, now: Int64, lifetime: Int64 = 8 * 3600) async throws
        -> (token: String, csrf: String)
    {
        let token = Secrets.token()
        let csrf = Secrets.token()
        try await writer.insert(into: "sessions").columns("token_digest", "account_id", "csrf_token", "created_at", "expires_at", "address")
            .values(SQLBind(Secrets.digest(token)), SQLBind(accountID), SQLBind(csrf), SQLBind(now), SQLBind(now + lifetime),
                SQLBind(address))
            .run()
        return (token, csrf)
    }

    /// The live session for a cookie secret: its account (enabled) and CSRF token.
    public func session(token: String, now: Int64) async throws -> (account: Account, csrf: String)? {
        guard let row = try await reader.select().columns("account_id", "csrf_token", "expires_at").from("sessions")
            .where("token_digest", .equal, Secrets.digest(token)).first(),
            try row.decode(column: "expires_at", as: Int64.self) > now,
            let account = try await account(id: try row.decode(column: "account_id", as: String.self)), !account.disabled
        else { return nil }
        return (account, try row.decode(column: "csrf_token", as: String.self))
    }

    public func closeSession(token: String) async throws {
        try await writer.delete(from: "sessions").where("token_digest", .equal, Secrets.digest(token)).run()
    }
}
