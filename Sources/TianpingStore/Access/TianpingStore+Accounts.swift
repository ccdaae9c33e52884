import Foundation
import NIOPosix
import SQLKit
import Synchronization
import TianpingAccess
import TianpingCore

/// Why signing in was refused. The message is the same for an unknown user and a wrong password.
public enum SignInFailure: Error, Sendable, Equatable {
    case invalidCredentials
    case locked(until: Int64)
    case disabled
    case secondFactorRequired
}

extension TianpingStore {
    /// Consecutive failed sign-ins that lock an account, and for how long.
    public static let lockoutThreshold = 5
    public static let lockoutSeconds: Int64 = 15 * 60

    /// Creates an account; the password is hashed here and never stored or logged in clear.
    public func addAccount(username: String, displayName: String, agency: String, role: Role, password: String, now: Int64)
        async throws -> Account
    {
        // A system administrator sees no case data, so it need not belong to an agency that sends any.
        if role != .systemAdministrator, try await agencyRegion(agency) == nil { throw AccessError.unknownAgency(agency) }
        guard try await account(username: username) == nil else { throw AccessError.usernameTaken(username) }
        let id = UUID().uuidString.lowercased()
        try await writer.insert(into: "accounts")
            .columns("account_id", "username", "display_name", "agency", "role", "password_hash", "disabled", "failed_attempts",
                "created_at", "password_changed_at")
            .values(SQLBind(id), SQLBind(username), SQLBind(displayName), SQLBind(agency), SQLBind(role.rawValue),
                SQLBind(Passwords.hash(password)), SQLBind(0), SQLBind(0), SQLBind(now), SQLBind(now))
            .run()
        return Account(id: id, username: username, displayName: displayName, agency: agency, role: role, disabled: false,
            totpEnabled: false, createdAt: now)
    }

    static let accountColumns = ["account_id", "username", "display_name", "agency", "role", "disabled", "totp_secret", "created_at"]

    static func account(_ row: any SQLRow) throws -> Account {
        Account(id: try row.decode(column: "account_id", as: String.self), username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self), agency: try row.decode(column: "agency", as: String.self),
            role: try Role(rawValue: row.decode(column: "role", as: String.self)).orThrow(StoreError.corrupt("账户的角色无法识别")),
            disabled: try row.decode(column: "disabled", as: Int.self) != 0,
            totpEnabled: try row.decode(column: "totp_secret", as: String?.self) != nil,
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    public func account(username: String) async throws -> Account? {
        try await writer.select().columns(Self.accountColumns).from("accounts").where("username", .equal, username).first()
            .map(Self.account)
    }

    public func account(id: String) async throws -> Account? {
        try await writer.select().columns(Self.accountColumns).from("accounts").where("account_id", .equal, id).first()
            .map(Self.account)
    }

    public func accounts() async throws -> [Account] {
        try await writer.select().columns(Self.accountColumns).from("accounts").orderBy("username").all().map(Self.account)
    }

    public func accountCount() async throws -> Int {
        try await writer.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("accounts").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    public func setAccountDisabled(_ id: String, _ disabled: Bool) async throws {
        try await writer.update("accounts").set("disabled", to: disabled ? 1 : 0).where("account_id", .equal, id).run()
        if disabled { try await writer.delete(from: "sessions").where("account_id", .equal, id).run() }
    }

    /// Sets a new password, clears a lockout and ends the account's sessions.
    public func resetPassword(_ id: String, to password: String, now: Int64) async throws {
        try await writer.update("accounts").set("password_hash", to: Passwords.hash(password)).set("failed_attempts", to: 0)
            .set("locked_until", to: SQLLiteral.null).set("password_changed_at", to: now).where("account_id", .equal, id).run()
        try await writer.delete(from: "sessions").where("account_id", .equal, id).run()
    }

    /// Stores (or, with `nil`, removes) the account's TOTP secret.
    public func setTOTPSecret(_ id: String, _ secret: String?) async throws {
        try await writer.update("accounts").set("totp_secret", to: secret).where("account_id", .equal, id).run()
    }

    public func totpSecret(_ id: String) async throws -> String? {
        try await writer.select().column("totp_secret").from("accounts").where("account_id", .equal, id).first()?
            .decode(column: "totp_secret", as: String?.self)
    }

    /// Checks a password, counting failures: after ``lockoutThreshold`` in a row the account is locked for
    /// ``lockoutSeconds``. A correct password during a lockout is refused too. Success does not clear the count:
    /// the caller does that with ``recordSignInSuccess(_:)`` once every factor has passed.
    ///
    /// The attempt is reserved as a failure in one conditional statement *before* bcrypt runs, so that parallel
    /// guesses cannot all be checked within one lockout window: at most ``lockoutThreshold`` real checks, the rest
    /// refused as locked. A right password gives its reservation back after re-checking that no parallel failure
    /// locked the account meanwhile. Every path — unknown user, locked account, wrong or right password — costs
    /// exactly one bcrypt (a decoy where there is nothing to check), so timing tells none of them apart.
    public func checkPassword(username: String, password: String, now: Int64) async throws -> Result<Account, SignInFailure> {
        guard let row = try await writer.select().columns(Self.accountColumns + ["password_hash"])
            .from("accounts").where("username", .equal, username).first()
        else {
            _ = try await verifyPassword(password, hash: Self.decoyHash, decoy: true)
            return .failure(.invalidCredentials)
        }
        let account = try Self.account(row)
        guard try await reserveSignInAttempt(account.id, now: now) else {
            _ = try await verifyPassword(password, hash: Self.decoyHash, decoy: true)
            return .failure(.locked(until: try await lockedUntil(account.id, now: now) ?? now + Self.lockoutSeconds))
        }
        guard try await verifyPassword(password, hash: try row.decode(column: "password_hash", as: String.self), decoy: false) else {
            return .failure(try await lockIfThresholdReached(account.id, now: now).map { .locked(until: $0) } ?? .invalidCredentials)
        }
        // Re-check: parallel failures may have locked the account while this password was being checked.
        if let until = try await lockedUntil(account.id, now: now) { return .failure(.locked(until: until)) }
        try await writer.update("accounts")
            .set("failed_attempts", to: SQLRaw("CASE WHEN failed_attempts > 0 THEN failed_attempts - 1 ELSE 0 END"))
            .where("account_id", .equal, account.id).run()
        if account.disabled { return .failure(.disabled) }
        return .success(account)
    }

    /// Counts an attempt as a failure in advance, unless the account is locked or already has
    /// ``lockoutThreshold`` failures counted (some of them possibly still being checked). One statement, so
    /// concurrent attempts cannot both pass on the same count.
    func reserveSignInAttempt(_ accountID: String, now: Int64) async throws -> Bool {
        try await writer.update("accounts").set("failed_attempts", to: SQLRaw("failed_attempts + 1"))
            .where("account_id", .equal, accountID).where("failed_attempts", .lessThan, Self.lockoutThreshold)
            .where { $0.where("locked_until", .is, SQLLiteral.null).orWhere("locked_until", .lessThanOrEqual, now) }
            .returning("account_id").first() != nil
    }

    /// The end of a lock in force at `now`.
    func lockedUntil(_ accountID: String, now: Int64) async throws -> Int64? {
        guard let until = try await writer.select().column("locked_until").from("accounts").where("account_id", .equal, accountID)
            .first()?.decode(column: "locked_until", as: Int64?.self), until > now
        else { return nil }
        return until
    }

    /// Locks the account when the counted failures reached the threshold (one statement: of several parallel
    /// failures, one locks); returns the lock's end when this call locked it.
    func lockIfThresholdReached(_ accountID: String, now: Int64) async throws -> Int64? {
        let locked = try await writer.update("accounts").set("failed_attempts", to: 0).set("locked_until", to: now + Self.lockoutSeconds)
            .where("account_id", .equal, accountID).where("failed_attempts", .greaterThanOrEqual, Self.lockoutThreshold)
            .returning("account_id").first() != nil
        return locked ? now + Self.lockoutSeconds : nil
    }

    /// Counts one failed second factor (the password passed and gave its reservation back); returns the lock's
    /// end when this failure locked the account.
    public func recordFailedSignIn(_ accountID: String, now: Int64) async throws -> Int64? {
        try await writer.update("accounts").set("failed_attempts", to: SQLRaw("failed_attempts + 1"))
            .where("account_id", .equal, accountID).run()
        return try await lockIfThresholdReached(accountID, now: now)
    }

    /// Clears the failure count after a complete sign-in.
    public func recordSignInSuccess(_ accountID: String) async throws {
        try await writer.update("accounts").set("failed_attempts", to: 0).set("locked_until", to: SQLLiteral.null)
            .where("account_id", .equal, accountID).run()
    }

    /// Accepts a TOTP time step once: a code already used (or an older one) is refused, so a seen code cannot be replayed.
    public func acceptTOTPStep(_ accountID: String, step: Int64) async throws -> Bool {
        let last = try await writer.select().column("totp_last_step").from("accounts").where("account_id", .equal, accountID)
            .first()?.decode(column: "totp_last_step", as: Int64?.self)
        if let last, last >= step { return false }
        try await writer.update("accounts").set("totp_last_step", to: step).where("account_id", .equal, accountID).run()
        return true
    }

    /// bcrypt takes a quarter of a second on purpose; run it on NIO's blocking pool, not on the request's thread.
    /// Counted (``passwordChecks``, ``decoyPasswordChecks``).
    func verifyPassword(_ password: String, hash: String, decoy: Bool) async throws -> Bool {
        if decoy { decoyCheckCount.add(1, ordering: .relaxed) } else { passwordCheckCount.add(1, ordering: .relaxed) }
        return try await NIOThreadPool.singleton.runIfActive { Passwords.verify(password, hash: hash) }
    }

    /// How many passwords this store has checked against an account's hash: what bounds a guessing attack, and
    /// what the lockout limits.
    public var passwordChecks: Int { passwordCheckCount.load(ordering: .relaxed) }

    /// How many decoy checks (an unknown user, a locked account) this store has spent, so that every sign-in
    /// failure costs the same time.
    public var decoyPasswordChecks: Int { decoyCheckCount.load(ordering: .relaxed) }

    static let decoyHash = Passwords.hash("decoy-password-never-used", cost: 12)

    /// The region and level of an agency, for scoping its accounts.
    public func agencyRegion(_ code: String) async throws -> (region: RegionCode, level: AdministrativeLevel)? {
        guard let row = try await reader.select().columns("region", "level").from("agencies").where("code", .equal, code).first(),
            let region = RegionCode(try row.decode(column: "region", as: String.self)),
            let level = AdministrativeLevel(rawValue: try row.decode(column: "level", as: String.self))
        else { return nil }
        return (region, level)
    }

    /// The principal of an account (its role's permissions, its agency's scope).
    public func principal(for account: Account) async throws -> Principal {
        if account.role == .systemAdministrator, (try await agencyRegion(account.agency)) == nil {
            return Principal(kind: .account, id: account.id, name: account.username, role: account.role, agency: account.agency,
                permissions: account.role.permissions, scope: .nothing)
        }
        guard let (region, level) = try await agencyRegion(account.agency) else { throw AccessError.unknownAgency(account.agency) }
        return account.principal(region: region, level: level)
    }

    /// Adds an agency that sends no case records (a 政法委), so that its supervisors can hold accounts.
    public func registerAgency(_ agency: Agency) async throws {
        try await writer.insert(into: "agencies").columns("code", "kind", "name", "region", "level", "parent_code")
            .values(SQLBind(agency.code), SQLBind(agency.kind.rawValue), SQLBind(agency.name), SQLBind(agency.region.text),
                SQLBind(agency.level.rawValue), SQLBind(agency.parentCode))
            .ignoringConflicts(with: ["code"]).run()
    }

    // MARK: Assignments

    public func assign(caseID: String, to accountID: String, purpose: AssignmentPurpose, now: Int64) async throws {
        guard try await caseExists(id: caseID) else { throw AccessError.unknownCase(caseID) }
        try await writer.insert(into: "case_assignments").columns("account_id", "case_id", "purpose", "assigned_at")
            .values(SQLBind(accountID), SQLBind(caseID), SQLBind(purpose.rawValue), SQLBind(now))
            .ignoringConflicts(with: ["account_id", "purpose", "case_id"]).run()
    }
}

