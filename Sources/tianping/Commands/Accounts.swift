import ArgumentParser
import Foundation
import HummingbirdOTP
import TianpingAccess
import TianpingCore
import TianpingStore

/// The audit entry an administrative command writes: the operator is the local OS user running the command.
func cliAudit(_ store: TianpingStore, _ action: AuditAction, target: String, caseID: String? = nil) async throws {
    let operatorName = "cli:" + (ProcessEnvironment.value("USER") ?? ProcessEnvironment.value("LOGNAME") ?? "unknown")
    try await store.audit(AuditEntry(at: Timestamp.now().secondsSinceEpoch, actor: operatorName, actorKind: "cli",
        role: Role.systemAdministrator.rawValue, agency: "-", action: action, target: target, caseID: caseID))
}

/// `tianping user`: accounts, their passwords, second factor and case assignments.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "账户管理：新增、列表、停用、启用、重置密码、双因素认证、分配案件",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Reset.self, TOTPSetup.self, Assign.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "新增账户；生成的初始密码只显示这一次")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "User name.") var username: String
        @Option(help: "Agency code the account belongs to (e.g. 520102JC01).") var agency: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")) (or its Chinese name).") var role: String
        @Option(help: "Display name.") var name: String?

        func run() async throws {
            guard let role = Role(argument: role) else { throw ValidationError("未知角色：\(role)") }
            try await withStore(db) { store in
                let password = Passwords.generate()
                let account = try await store.addAccount(username: username, displayName: name ?? username, agency: agency, role: role,
                    password: password, now: Timestamp.now().secondsSinceEpoch)
                try await cliAudit(store, .accountCreated, target: "\(account.username)（\(role.rawValue)，\(agency)）")
                print("已创建账户 \(account.username)（\(role.chineseName)，\(agency)）")
                print("初始密码（只显示这一次）：\(password)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出账户（不显示任何密码或密钥）")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await withStore(db) { store in
                for a in try await store.accounts() {
                    print([a.username, a.role.chineseName, a.agency, a.disabled ? "已停用" : "启用", a.totpEnabled ? "双因素" : "-"]
                        .joined(separator: "\t"))
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "停用账户（并结束其所有会话）")
        @OptionGroup var db: DatabaseOptions
        @Argument var username: String

        func run() async throws { try await UserCommand.setDisabled(username, true, db) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "重新启用账户")
        @OptionGroup var db: DatabaseOptions
        @Argument var username: String

        func run() async throws { try await UserCommand.setDisabled(username, false, db) }
    }

    static func setDisabled(_ username: String, _ disabled: Bool, _ db: DatabaseOptions) async throws {
        try await withStore(db) { store in
            guard let a = try await store.account(username: username) else { throw ValidationError("账户 \(username) 不存在") }
            try await store.setAccountDisabled(a.id, disabled)
            try await cliAudit(store, disabled ? .accountDisabled : .accountEnabled, target: username)
            print(disabled ? "已停用 \(username)" : "已启用 \(username)")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "重置密码（解除锁定并结束会话）；新密码只显示这一次")
        @OptionGroup var db: DatabaseOptions
        @Argument var username: String

        func run() async throws {
            try await withStore(db) { store in
                guard let a = try await store.account(username: username) else { throw ValidationError("账户 \(username) 不存在") }
                let password = Passwords.generate()
                try await store.resetPassword(a.id, to: password, now: Timestamp.now().secondsSinceEpoch)
                try await cliAudit(store, .passwordReset, target: username)
                print("新密码（只显示这一次）：\(password)")
            }
        }
    }

    struct TOTPSetup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "totp", abstract: "为账户启用动态验证码（TOTP）第二因素，打印验证器链接")
        @OptionGroup var db: DatabaseOptions
        @Argument var username: String

        func run() async throws {
            try await withStore(db) { store in
                guard let a = try await store.account(username: username) else { throw ValidationError("账户 \(username) 不存在") }
                let secret = String(Passwords.generate() + Passwords.generate()).prefix(20)
                try await store.setTOTPSecret(a.id, String(secret))
                try await cliAudit(store, .secondFactorEnabled, target: username)
                print("已启用双因素认证。将以下链接导入验证器应用（只显示这一次）：")
                print(TOTP(secret: String(secret)).createAuthenticatorURL(label: "天平:" + username, issuer: "Tianping"))
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把案件分配给办案人员（承办）或评查员（评查）")
        @OptionGroup var db: DatabaseOptions
        @Argument var username: String
        @Argument(help: "Case ids.") var cases: [String]
        @Option(help: "handling (承办) or review (评查).") var purpose: String = "review"

        func run() async throws {
            guard let purpose = AssignmentPurpose(rawValue: purpose) else { throw ValidationError("--purpose 应为 handling 或 review") }
            try await withStore(db) { store in
                guard let a = try await store.account(username: username) else { throw ValidationError("账户 \(username) 不存在") }
                for c in cases {
                    try await store.assign(caseID: c, to: a.id, purpose: purpose, now: Timestamp.now().secondsSinceEpoch)
                    try await cliAudit(store, .caseAssigned, target: "\(username)（\(purpose.chineseName)）", caseID: c)
                }
                print("已将 \(cases.count) 件案件分配给 \(username)（\(purpose.chineseName)）")
            }
        }
    }
}

/// `tianping token`: API tokens for agency systems.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "接口令牌：为机构系统签发、列出、吊销（令牌只显示一次，库中只存摘要）",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "签发令牌；其数据范围为该机构办理的案件")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "What the token is for, e.g. 东湖区公安局执法办案系统.") var name: String
        @Option(help: "Agency code.") var agency: String
        @Option(help: "Permissions, comma-separated (read_cases, read_findings, read_statistics).")
        var permissions = "read_cases,read_findings"

        func run() async throws {
            let set = Set(try permissions.split(separator: ",").map { p -> Permission in
                guard let permission = Permission(rawValue: String(p)), !TianpingStore.neverForTokens.contains(permission) else {
                    throw ValidationError("令牌不能拥有权限 \(p)")
                }
                return permission
            })
            try await withStore(db) { store in
                let token = try await store.issueToken(name: name, agency: agency, permissions: set, now: Timestamp.now().secondsSinceEpoch)
                try await cliAudit(store, .tokenIssued, target: "\(token.id)（\(name)，\(agency)，\(permissions)）")
                print("令牌编号：\(token.id)")
                print("令牌（只显示这一次，请求时放在 Authorization: Bearer 之后）：\(token.secret)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出令牌（不显示令牌本身）")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await withStore(db) { store in
                for t in try await store.tokens() {
                    print([t.id, t.name, t.agency, t.permissions, t.revoked ? "已吊销" : "有效"].joined(separator: "\t"))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "吊销令牌")
        @OptionGroup var db: DatabaseOptions
        @Argument var id: String

        func run() async throws {
            try await withStore(db) { store in
                guard try await store.revokeToken(id: id, now: Timestamp.now().secondsSinceEpoch) else {
                    throw ValidationError("令牌 \(id) 不存在或已吊销")
                }
                try await cliAudit(store, .tokenRevoked, target: id)
                print("已吊销 \(id)")
            }
        }
    }
}

/// `tianping audit`: the access audit and its signals, on the server machine (administrators).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "查看访问审计与异常访问信号（系统管理员，在服务器上执行）")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Only this actor.") var actor: String?
    @Option(help: "Only this action (sign_in, read_case, unmask, export_dossier, account_created …).") var action: String?
    @Option(help: "Entries to show.") var limit = 50
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let action = try self.action.map { name -> AuditAction in
            guard let a = AuditAction(rawValue: name) else { throw ValidationError("未知的审计动作：\(name)") }
            return a
        }
        try await withStore(db) { store in
            let entries = try await store.auditEntries(actor: actor, action: action, limit: limit)
            let signals = try await store.accessSignals(now: Timestamp.now().secondsSinceEpoch)
            try await cliAudit(store, .readAudit, target: "tianping audit")
            if json {
                struct Output: Encodable {
                    var entries: [AuditEntry]
                    var signals: [AccessSignal]
                }
                print(try jsonString(Output(entries: entries, signals: signals)))
                return
            }
            for e in entries {
                print([Timestamp(secondsSinceEpoch: e.at).description, e.actor, e.role, e.action.chineseName, e.caseID ?? e.target ?? "-",
                    e.reason ?? "", e.address ?? "", e.outcome].joined(separator: "\t"))
            }
            for s in signals { print("信号：\(s.message)") }
        }
    }
}
