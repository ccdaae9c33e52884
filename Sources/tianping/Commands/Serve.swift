import ArgumentParser
import Foundation
import TianpingCore
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

    func run() async throws {
        let location = StoreLocation(argument: db.location)
        if demo { try await Self.loadDemoIfEmpty(location: location, cases: demoCases, seed: demoSeed) }
        let store = try await TianpingStore.open(location, readConnections: 3)
        do {
            let engine = try EngineOptions.engine(config: nil)
            // Cases an earlier ingest queued but did not get to evaluate (it was interrupted, or --no-analyze).
            if try await store.queuedCaseCount() > 0 {
                say("正在进行程序性风险分析…")
                let outcome = try await StoreAnalysis.processQueue(store: store, engine: engine,
                    asOf: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)))
                say("风险分析完成：\(outcome.summary.cases) 件案件，发现 \(outcome.summary.findings) 条。")
            }
            let log = DossierLog(store: store)
            let signer = try await key.signer(database: db.location, store: store)
            let checkpoint = try await log.checkpoint(signer: signer, now: Timestamp.now().secondsSinceEpoch)
            say("存证日志：\(checkpoint.checkpoint.size) 个叶子；公钥 \(signer.verifier.encoded)")
            say("天平已启动：http://\(host == "0.0.0.0" ? "localhost" : host):\(port)（数据库：\(location)）")
            let app = TianpingApplication.build(store: store, engine: engine, log: log,
                configuration: ServerConfiguration(host: host, port: port, witnessKeys: try LedgerKeyFile.verifiers(witnessKeys)))
            let upkeep = Task { await LedgerUpkeep(log: log, signer: signer, checkpointInterval: checkpointInterval,
                auditInterval: auditInterval).run() }
            defer { upkeep.cancel() }
            try await app.runService()
            upkeep.cancel()
            _ = await upkeep.value
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
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
