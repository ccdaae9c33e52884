import Foundation
import SQLKit
import TianpingAccess

/// Tokens for agencies' systems: scoped to the agency, never able to administer or unmask, stored only as a digest.
extension TianpingStore {
    /// Issues a token for an agency's system; the secret is returned once and stored only as a digest.
    public func issueToken(name: String, agency: String, permissions: Set<Permission>, now: Int64) async throws
        -> (id: String, secret: String)
    {
        guard try await agencyRegion(agency) != nil else { throw AccessError.unknownAgency(agency) }
        let id = "tok_" + UUID().uuidString.lowercased().prefix(8)
        let secret = "tp_" + Secrets.token()
        try await writer.insert(into: "api_tokens").columns("token_id", "name", "token_digest", "agency", "permissions", "created_at")
            .values(SQLBind(id), SQLBind(name), SQLBind(Secrets.digest(secret)), SQLBind(agency),
                SQLBind(permissions.map(\.rawValue).sorted().joined(separator: ",")), SQLBind(now))
            .run()
        return (id, secret)
    }

    /// What an agency system's token can never do: administration, and anything that shows personal data unmasked.
    public static let neverForTokens: Set<Permission> = [.manageAccounts, .readAudit, .unmask, .exportDossiers]

    public func revokeToken(id: String, now: Int64) async throws -> Bool {
        guard try await writer.select().column("token_id").from("api_tokens").where("token_id", .equal, id)
            .where("revoked_at", .is, SQLLiteral.null).first() != nil
        else { return false }
        try await writer.update("api_tokens").set("revoked_at", to: now).where("token_id", .equal, id).run()
        return true
    }

    /// The principal of a live token: its permissions, scoped to its agency's cases.
    public func tokenPrincipal(secret: String, now: Int64) async throws -> Principal? {
        guard let row = try await reader.select().columns("token_id", "name", "agency", "permissions").from("api_tokens")
            .where("token_digest", .equal, Secrets.digest(secret)).where("revoked_at", .is, SQLLiteral.null).first()
        else { return nil }
        let id = try row.decode(column: "token_id", as: String.self)
        try await writer.update("api_tokens").set("last_used_at", to: now).where("token_id", .equal, id).run()
        let agency = try row.decode(column: "agency", as: String.self)
        let permissions = Set(try row.decode(column: "permissions", as: String.self).split(separator: ",")
            .compactMap { Permission(rawValue: String($0)) })
        return Principal(kind: .token, id: id, name: try row.decode(column: "name", as: String.self), role: nil, agency: agency,
            permissions: permissions.subtracting(Self.neverForTokens), scope: .agency(code: agency))
    }

    public func tokens() async throws -> [(id: String, name: String, agency: String, permissions: String, revoked: Bool)] {
        try await writer.select().columns("token_id", "name", "agency", "permissions", "revoked_at").from("api_tokens")
            .orderBy("created_at").all().map {
                (try $0.decode(column: "token_id", as: String.self), try $0.decode(column: "name", as: String.self),
                    try $0.decode(column: "agency", as: String.self), try $0.decode(column: "permissions", as: String.self),
                    try $0.decode(column: "revoked_at", as: Int64?.self) != nil)
            }
    }
}
