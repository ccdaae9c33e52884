import ArgumentParser
import Foundation
import TianpingAccess
import TianpingAnalysis
import TianpingCore
import TianpingGenerator
import Hummingbird
import Logging
import TianpingIngest
import TianpingLedger
import TianpingRules
import TianpingServer
import TianpingStore

/// `tianping serve`: the HTTP server; with `--demo`, a demo province is generated and loaded first.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "启动 HTTP 服务（JSON API）；--demo 在空库上先生成并导入演示省份数据",
        discussion: "Example: tianping serve --demo   then open http://localhost:8080")

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port.") var port = 8080
    @Flag(help: "On an empty database, generate and ingest a demo province first.") var demo = false
    @Option(help: "Cases in the demo province.") var demoCases = 20_000
    @Option(help: "Seed of the demo province.") var demoSeed: UInt64 = 2024
    @OptionGroup var key: LedgerKeyOptions
    @Option(name: .customLong("witness-key"), help: "A witness public key whose cosignatures are accepted; repeat for several.")
    var witnessKeys: [String] = []
    @Option(help: "Seconds between checkpoints of the dossier log (signed only when it grew).") var checkpointInterval: Double = 60
    @Option(help: "Seconds between self-audits of the dossier log; 0 turns them off.") var auditInterval: Double = 3600
    @Option(help: "Seconds between passes that escalate warnings whose step is past its deadline; 0 turns them off.")
    var escalationInterval: Double = 300
    @Option(help: "PEM certificate chain: with --tls-key, serve HTTPS only (cookies then marked Secure).") var tlsCertificate: String?
    @Option(help: "PEM private key for --tls-certificate.") var tlsKey: String?

    func run() async throws {
        let location = StoreLocation(argument: db.location)
        if demo { try await Self.loadDemoIfEmpty(location: location, cases: demoCases, seed: demoSeed) }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-certificate 与 --tls-key 须同时给出") }
        let store = try await TianpingStore.open(location, readConnections: 3)
        do {
            try await Self.ensureAdministrator(store)
            let pipeline = try AnalysisPipeline.standard()
            let engine = pipeline.procedure
            // Cases an earlier ingest queued but did not get to evaluate (it was interrupted, or --no-analyze).
            if try await store.queuedCaseCount() > 0 {
                say("正在进行程序性风险分析…")
                let outcome = try await pipeline.processQueue(store: store, asOf: Timestamp.now())
                say("风险分析完成：\(outcome.summary.cases) 件案件，发现 \(outcome.summary.findings) 条。")
            }
            if demo {
                try await Self.ensureDemoAccounts(store)
                try await Self.ensureDemoLibrary(store, seed: demoSeed)
            }
            let log = DossierLog(store: store)
            let signer = try await key.signer(database: db.location, store: store)
            let checkpoint = try await log.checkpoint(signer: signer, now: Timestamp.now().secondsSinceEpoch)
            say("存证日志：\(checkpoint.checkpoint.size) 个叶子；公钥 \(signer.verifier.encoded)")
            say("天平已启动：\(tlsCertificate == nil ? "http" : "https")://\(host == "0.0.0.0" ? "localhost" : host):\(port)（数据库：\(location)）")
            let app = try TianpingApplication.build(store: store, engine: engine, catalogue: pipeline.catalogue, log: log,
                configuration: ServerConfiguration(host: host, port: port, witnessKeys: try LedgerKeyFile.verifiers(witnessKeys),
                    tlsCertificatePath: tlsCertificate, tlsKeyPath: tlsKey))
            let upkeep = Task { await LedgerUpkeep(log: log, signer: signer, checkpointInterval: checkpointInterval,
                auditInterval: auditInterval, trustedKeys: (try? key.trustedKeys(database: db.location)) ?? [signer.verifier]).run() }
            let dispatcher = Task { await WebhookDispatcher(store: store).run() }
            let escalation = Task { await WarningEscalation(store: store, interval: escalationInterval).run() }
            defer {
                upkeep.cancel()
                dispatcher.cancel()
                escalation.cancel()
            }
            try await app.runService()
            for task in [upkeep, dispatcher, escalation] {
                task.cancel()
                _ = await task.value
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The first start creates an administrator and prints its generated password once.
    static func ensureAdministrator(_ store: TianpingStore) async throws {
        guard try await store.accountCount() == 0 else { return }
        let password = Passwords.generate()
        _ = try await store.addAccount(username: "admin", displayName: "系统管理员", agency: "system", role: .systemAdministrator,
            password: password, now: Timestamp.now().secondsSinceEpoch)
        try await cliAudit(store, .accountCreated, target: "admin（system_administrator）")
        say("首次启动：已创建系统管理员 admin，初始密码（只显示这一次）：\(password)")
    }

    /// `--demo`: invented judgments of the demo province in an empty similar-case library, so that 类案检索 and the
    /// comparables of 量刑测算 have something to find. Their terms are plausible, not real.
    static func ensureDemoLibrary(_ store: TianpingStore, count: Int = 3_000, seed: UInt64) async throws {
        guard try await store.libraryCounts().judgments == 0 else { return }
        let generator = JudgmentTextGenerator(seed: seed)
        let encoder = JSONEncoder()
        let lines = try (0..<count).map { (number: $0 + 1, bytes: try encoder.encode(generator.judgment($0))) }
        let summary = try await store.importJudgments(lines, sourceName: "demo-judgments")
        say("演示文书库：导入 \(summary.added) 篇生成的刑事判决书（供类案检索和量刑测算的类案对照；刑期为虚构）")
    }

    /// `--demo`: one account per role in the demo province, printed with their passwords.
    static func ensureDemoAccounts(_ store: TianpingStore) async throws {
        let agencies = try await store.agencies()
        guard let province = agencies.first(where: { $0.level == .province })?.region.province else { return }
        let committee = Agency(code: province.text + "ZF01", kind: .politicalLegalCommittee, name: "天平省委政法委", region: province,
            level: .province, parentCode: nil)
        try await store.registerAgency(committee)
        // The agency staff accounts go to the county public-security bureau with the most warnings, so that the demo
        // has a loop to walk through.
        var warningsPerAgency: [String: Int] = [:]
        for w in try await store.warnings(scope: .everything, limit: 100_000) { warningsPerAgency[w.agency, default: 0] += 1 }
        func agency(_ kind: AgencyKind, _ level: AdministrativeLevel) -> String? {
            agencies.filter { $0.kind == kind && $0.level == level }
                .max { (warningsPerAgency[$0.code] ?? 0, $1.code) < (warningsPerAgency[$1.code] ?? 0, $0.code) }?.code
        }
        let plan: [(String, Role, String?)] = [
            ("demo-committee", .committeeSupervisor, committee.code),
            ("demo-procuratorate", .procuratorialSupervisor, agency(.procuratorate, .city)),
            ("demo-internal", .internalSupervisor, agency(.publicSecurity, .county)),
            ("demo-officer", .caseOfficer, agency(.publicSecurity, .county)),
            ("demo-reviewer", .caseReviewer, agency(.procuratorate, .city)),
            ("demo-leader", .leader, agency(.court, .city)),
        ]
        var lines: [String] = []
        for (username, role, code) in plan {
            guard let code, try await store.account(username: username) == nil else { continue }
            let password = Passwords.generate()
            let account = try await store.addAccount(username: username, displayName: role.chineseName, agency: code, role: role,
                password: password, now: Timestamp.now().secondsSinceEpoch)
            if role == .caseOfficer || role == .caseReviewer {
                let scope = DataScope.agency(code: code)
                for c in try await store.cases(CaseQuery(), page: 1, pageSize: 5, scope: scope).items {
                    try await store.assign(caseID: c.id, to: account.id, purpose: role == .caseOfficer ? .handling : .review,
                        now: Timestamp.now().secondsSinceEpoch)
                }
            }
            lines.append("  \(username)\t\(password)\t\(role.chineseName)（\(code)）")
        }
        if !lines.isEmpty { say("演示账户（用户名、密码、角色；只显示这一次）：\n" + lines.joined(separator: "\n")) }
    }

    static func loadDemoIfEmpty(location: StoreLocation, cases: Int, seed: UInt64) async throws {
        let store = try await TianpingStore.open(location)
        do {
            let existing = try await store.caseCount()
            if existing > 0 {
                say("数据库已有 \(existing) 件案件，跳过演示数据生成。")
            } else {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("tianping-demo-\(seed)-\(cases)-\(ProcessInfo.processInfo.processIdentifier)")
                say("正在生成演示省份（\(cases) 件案件）…")
                let bar = ProgressBar(label: "生成案件", total: cases)
                _ = try await ProvinceGeneratorRunner.generate(cases: cases, seed: seed, into: directory) { bar.update($0, unit: "件") }
                bar.finish()
                say("正在导入演示数据…")
                let summary = try await Ingest.ingest(input: directory.path, store: store, showProgress: true)
                say(summary.table())
                try? FileManager.default.removeItem(at: directory)
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}
