import TianpingCore

/// Who is asking: a signed-in account or an agency system's API token, with what it may do and see.
public struct Principal: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case account
        case token
    }

    public var kind: Kind
    /// Account id or token id.
    public var id: String
    /// User name or token name, as the audit log shows it.
    public var name: String
    /// The account's role; `nil` for a token.
    public var role: Role?
    public var agency: String
    public var permissions: Set<Permission>
    public var scope: DataScope

    public init(kind: Kind, id: String, name: String, role: Role?, agency: String, permissions: Set<Permission>, scope: DataScope) {
        self.kind = kind
        self.id = id
        self.name = name
        self.role = role
        self.agency = agency
        self.permissions = permissions
        self.scope = scope
    }

    public func can(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// Whether a route's declared access admits this caller (`nil`: nobody signed in).
    public static func admits(_ principal: Principal?, _ access: RouteAccess) -> Bool {
        switch access {
        case .open: return true
        case .signedIn: return principal != nil
        case .permission(let p): return principal?.can(p) == true
        }
    }

    /// The label written to the audit log for the role.
    public var roleName: String { role?.rawValue ?? "api_token" }
}

/// An account as stored, without its password hash or second-factor secret.
public struct Account: Sendable, Hashable, Codable {
    public var id: String
    public var username: String
    public var displayName: String
    public var agency: String
    public var role: Role
    public var disabled: Bool
    public var totpEnabled: Bool
    public var createdAt: Int64

    public init(id: String, username: String, displayName: String, agency: String, role: Role, disabled: Bool,
        totpEnabled: Bool, createdAt: Int64)
    {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.agency = agency
        self.role = role
        self.disabled = disabled
        self.totpEnabled = totpEnabled
        self.createdAt = createdAt
    }

    /// The principal of this account, given its agency's region and level.
    public func principal(region: RegionCode, level: AdministrativeLevel) -> Principal {
        Principal(kind: .account, id: id, name: username, role: role, agency: agency, permissions: role.permissions,
            scope: DataScope.of(role: role, accountID: id, agency: agency, region: region, level: level))
    }
}
