import Foundation
import Testing

/// End-to-end tests that run the `tianping` binary as a user would, and read what it prints.
@Suite("tianping command", .serialized)
struct CLITests {
    @Test("generate → ingest → stats, and a second ingest changes nothing")
    func endToEnd() throws {
        let work = try TemporaryDirectory()
        let data = work.path("data")
        let db = work.path("t.sqlite")
        let generated = try run(["generate", "--cases", "300", "--seed", "3", "--output", data])
        #expect(generated.status == 0)
        #expect(generated.stdout.contains("已生成 300 件案件"))
        #expect(FileManager.default.fileExists(atPath: data + "/ground-truth.jsonl"))

        let first = try run(["ingest", "--database", db, data, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let counts = try #require(summary["counts"] as? [String: [String: Int]])
        #expect(counts["case"]?["accepted"] == 300)
        #expect(counts.values.allSatisfy { ($0["quarantined"] ?? 0) == 0 })

        let second = try run(["ingest", "--database", db, data])
        #expect(second.status == 0)
        #expect(second.stdout.contains("本次导入未作任何改动"))

        let stats = try run(["stats", "--database", db, "--json"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(body["cases"] as? Int == 300)
        #expect(!stats.stdout.contains("applied migration"), "logs go to standard error, not into the JSON")
    }

    @Test("evaluate scores the engine against planted violations; ingest and analyze store findings")
    func riskAnalysis() throws {
        let work = try TemporaryDirectory()
        let data = work.path("data")
        let db = work.path("r.sqlite")
        _ = try run(["generate", "--cases", "1500", "--seed", "13", "--violation-rate", "0.3", "--output", data])
        let evaluation = try run(["evaluate", "--data", data, "--as-of", "2026-07-01", "--format", "json"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let score = try #require(try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])
        let classes = try #require(score["classes"] as? [[String: Any]])
        #expect(classes.count >= 12, "most planted classes occur in 1,500 cases at rate 0.3")
        for c in classes {
            #expect(c["precision"] as? Double == 1.0, "\(c["code"] ?? "") precision")
            #expect(c["recall"] as? Double == 1.0, "\(c["code"] ?? "") recall")
        }
        #expect(score["precision"] as? Double == 1.0)

        let ingest = try run(["ingest", "--database", db, data])
        #expect(ingest.status == 0)
        #expect(ingest.stdout.contains("风险分析：重新评估 1500 件案件"))
        let analyze = try run(["analyze", "--database", db])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stdout.contains("分析案件 1500 件"))
        #expect(analyze.stdout.contains("入库：新增 0，"), "the ingest already stored every finding")
        #expect(analyze.stdout.contains("依据") == false, "the summary lists rules, not explanations")
        let listed = try run(["analyze", "--data", data, "--as-of", "2026-07-01", "--list", "3", "--rule", "M6"])
        #expect(listed.stdout.contains("[M6]"))
        #expect(listed.stdout.contains("依据《刑事诉讼法》第九十一条"))
    }

    @Test("analyze --data reports every line it could not use, with the quarantine's code, reason and a count")
    func analyzeReportsUnusableLines() throws {
        let work = try TemporaryDirectory()
        let data = work.path("data")
        _ = try run(["generate", "--cases", "50", "--seed", "5", "--output", data])
        // A custody extension without its length, an undecodable line and an unknown kind, appended to a real file.
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: data).sorted().first { $0.hasSuffix(".jsonl") && $0 != "ground-truth.jsonl" })
        let handle = try #require(FileHandle(forWritingAtPath: data + "/" + file))
        handle.seekToEndOfFile()
        let bad = [
            #"{"kind":"event","source":"520102JC01","id":"BAD-EXT","version":1,"case":"TP5201022024000001","payload":{"kind":"trial_period_extended","occurredAt":"2024-05-01T10:00:00+08:00","agency":"520102FY01","attributes":{}}}"#,
            #"{"kind":"event","#,
            #"{"kind":"rumour","source":"520102JC01","id":"BAD-KIND","version":1,"payload":{}}"#,
        ]
        handle.write(Data(("\n" + bad.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let text = try run(["analyze", "--data", data, "--as-of", "2026-07-01"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("未能使用 3 条"), "\(text.stdout)")
        #expect(text.stdout.contains("E_MISSING_ATTRIBUTE 缺少必需属性：1 条"))
        #expect(text.stderr.contains("[E_MISSING_ATTRIBUTE]") && text.stderr.contains("须注明延长期限"), "\(text.stderr)")
        #expect(text.stderr.contains("[E_JSON_MALFORMED]") && text.stderr.contains("[E_UNKNOWN_KIND]"))
        let json = try run(["analyze", "--data", data, "--as-of", "2026-07-01", "--format", "json"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(body["rejectedCount"] as? Int == 3)
        let rejected = try #require(body["rejected"] as? [[String: Any]])
        #expect(Set(rejected.compactMap { $0["code"] as? String }) == ["E_MISSING_ATTRIBUTE", "E_JSON_MALFORMED", "E_UNKNOWN_KIND"])
        #expect(rejected.allSatisfy { ($0["line"] as? Int ?? 0) > 1 && ($0["file"] as? String ?? "").hasSuffix(file) })
    }

    @Test("sentencing: the calculator's trace and JSON; a province ingested in two halves, then analysed again, opens nothing new")
    func sentencing() throws {
        let text = try run(["sentence", "--crime", "盗窃罪", "--amount", "120000", "--circumstances", "自首,认罪认罚", "--actual", "10"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("【量刑起点】量刑起点幅度3年至4年") && text.stdout.contains("超出预警边界"))
        let json = try run(["sentence", "--crime", "盗窃", "--amount", "52000", "--format", "json"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((body["estimate"] as? [String: Any])?["alertable"] as? Bool == false, "52,000 yuan lies inside the national range of 数额巨大")
        let unknown = try run(["sentence", "--crime", "不存在罪"])
        #expect(unknown.status != 0 && unknown.stderr.contains("量刑知识图谱中没有罪名"))

        let work = try TemporaryDirectory()
        let data = work.path("data")
        let db = work.path("s.sqlite")
        _ = try run(["generate", "--cases", "3000", "--seed", "21", "--output", data])
        // Cases arrive in two deliveries; each ingest reviews what it touched, and the cohorts of both.
        let names = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasPrefix("cases-") }.sorted()
        let lines = try names.flatMap { try String(contentsOfFile: data + "/" + $0, encoding: .utf8).split(separator: "\n") }
        let agencies = try String(contentsOfFile: data + "/agencies.jsonl", encoding: .utf8)
        // A case's lines stay together: split where the case id changes, near the middle.
        func caseOf(_ line: Substring) -> Substring? { line.range(of: "\"case\":\"").map { line[$0.upperBound...].prefix(19) } }
        var cut = lines.count / 2
        while cut < lines.count, caseOf(lines[cut]) == caseOf(lines[cut - 1]) { cut += 1 }
        try (agencies + lines[..<cut].joined(separator: "\n") + "\n").write(toFile: work.path("a.jsonl"), atomically: true, encoding: .utf8)
        try (lines[cut...].joined(separator: "\n") + "\n").write(toFile: work.path("b.jsonl"), atomically: true, encoding: .utf8)
        #expect(try run(["ingest", "--database", db, work.path("a.jsonl")]).status == 0)
        #expect(try run(["ingest", "--database", db, work.path("b.jsonl")]).status == 0)
        let analyze = try run(["analyze", "--database", db])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stdout.contains("入库：新增 0，更新 0，自动销号 0，重新打开 0"), "\(analyze.stdout)")
        #expect(analyze.stdout.contains("SENT-BELOW-MINIMUM"), "the generator's planted below-minimum frauds are found")
    }

    @Test("dossier export and offline verify; ledger audit; a witness cosigns a running server's log; key rotation")
    func dossierLedger() throws {
        let work = try TemporaryDirectory()
        let data = work.path("data")
        let db = work.path("d.sqlite")
        _ = try run(["generate", "--cases", "80", "--seed", "6", "--output", data])
        let ingest = try run(["ingest", "--database", db, data])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("存证日志："))
        #expect(ingest.stderr.contains("已生成存证日志签名密钥"), "the first ingest creates the key, outside the database")
        let keyFile = db + ".ledger-key"
        #expect(((try FileManager.default.attributesOfItem(atPath: keyFile))[.posixPermissions] as? Int) == 0o600)
        let publicKey = try #require(ingest.stderr.split(separator: "\n").first { $0.contains("公钥") }?
            .split(separator: "：").last.map(String.init))

        let firstCase = try caseID(data: data)
        let bundle = work.path("dossier.json")
        let export = try run(["dossier", "export", firstCase, "--database", db, "--output", bundle])
        #expect(export.status == 0, "\(export.stderr)")
        let verify = try run(["dossier", "verify", bundle, "--key", publicKey])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("结论：核验通过"))
        // One changed character in a record inside the bundle.
        var text = try String(contentsOfFile: bundle, encoding: .utf8)
        let range = try #require(text.range(of: "occurredAt"))
        text.replaceSubrange(range, with: "occurredAT")
        try text.write(toFile: work.path("tampered.json"), atomically: true, encoding: .utf8)
        let refused = try run(["dossier", "verify", work.path("tampered.json"), "--key", publicKey])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("核验未通过"))
        #expect(try run(["dossier", "verify", bundle]).status != 0, "a trusted key is required")
        // An independent check, written in Python from RFC 9162, agrees on both bundles.
        let independent = try python(["scripts/dossier_check.py", bundle])
        #expect(independent.status == 0, "\(independent.stdout)")
        #expect(independent.stdout.contains(" 0 failed"))
        #expect(try python(["scripts/dossier_check.py", work.path("tampered.json")]).status == 1)

        let audit = try run(["ledger", "audit", "--database", db])
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(audit.stdout.contains("未发现篡改"))

        // A witness node checks the running server and cosigns; the cosignature is then served with the checkpoint.
        let witnessKey = try run(["ledger", "keygen", "--name", "witness.example/court", "--witness", "--output", work.path("w.key")])
        let witnessPublic = witnessKey.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = Int.random(in: 20_000...40_000)
        let server = try start(["serve", "--database", db, "--port", "\(port)", "--witness-key", witnessPublic])
        defer { server.terminate() }
        var witnessed = Output(status: -1, stdout: "", stderr: "")
        for _ in 0..<60 {
            witnessed = try run(["ledger", "witness", "--log", "http://127.0.0.1:\(port)", "--log-key", publicKey,
                "--key", work.path("w.key"), "--state", work.path("w.json"), "--once"])
            if witnessed.status == 0 { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(witnessed.status == 0, "\(witnessed.stderr)")
        #expect(witnessed.stdout.contains("已联署"))
        let cosigned = work.path("cosigned.json")
        #expect(try run(["dossier", "export", firstCase, "--database", db, "--output", cosigned]).status == 0)
        let quorum = try run(["dossier", "verify", cosigned, "--key", publicKey, "--witness-key", witnessPublic, "--quorum", "1"])
        #expect(quorum.status == 0, "\(quorum.stdout)")
        #expect(quorum.stdout.contains("见证联署 1 个"))
        server.terminate()
        server.waitUntilExit()

        // Rotation: the handover checkpoint carries both signatures, so holders of either key can verify.
        let rotated = try run(["ledger", "rotate-key", "--database", db])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let newKey = try #require(rotated.stdout.split(separator: "\n").first { $0.hasPrefix("新公钥：") }?.dropFirst(4).description)
        let afterRotation = work.path("after.json")
        #expect(try run(["dossier", "export", firstCase, "--database", db, "--output", afterRotation]).status == 0)
        #expect(try run(["dossier", "verify", afterRotation, "--key", publicKey]).status == 0)
        #expect(try run(["dossier", "verify", afterRotation, "--key", newKey]).status == 0)
        // The self-audit trusts the key files (current and retired), and finds the log intact after rotation.
        #expect(try run(["ledger", "audit", "--database", db]).status == 0)
        // A missing key file is an operator error, never a reason to start a new key for a log that has signed.
        try FileManager.default.moveItem(atPath: keyFile, toPath: keyFile + ".away")
        let missing = try run(["ledger", "checkpoint", "--database", db])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("找不到存证日志签名密钥文件"))
        #expect(!FileManager.default.fileExists(atPath: keyFile))
    }

    @Test("user and token administration; the first start creates an administrator; sign-in over HTTP and HTTPS")
    func accountsAndTLS() throws {
        let work = try TemporaryDirectory()
        let data = work.path("data")
        let db = work.path("a.sqlite")
        _ = try run(["generate", "--cases", "60", "--seed", "8", "--output", data])
        #expect(try run(["ingest", "--database", db, data]).status == 0)
        let agencies = try String(contentsOfFile: data + "/agencies.jsonl", encoding: .utf8)
        let codes = agencies.split(separator: "\n").compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let payload = object?["payload"] as? [String: Any]
            return payload?["kind"] as? String == "public_security" && payload?["level"] as? String == "county" ? payload?["code"] as? String : nil
        }
        let police = try #require(codes.first)

        // The first start creates the administrator and prints its password once.
        let port = Int.random(in: 20_000...40_000)
        let base = "http://127.0.0.1:\(port)"
        let first = try startLogged(["serve", "--database", db, "--port", "\(port)"], to: work.path("first.log"))
        #expect(waitUntilUp(base + "/health"))
        first.terminate()
        first.waitUntilExit()
        #expect(try String(contentsOfFile: work.path("first.log"), encoding: .utf8).contains("首次启动：已创建系统管理员 admin"))
        #expect(try run(["user", "list", "--database", db]).stdout.contains("admin\t系统管理员"))

        let added = try run(["user", "add", "alice", "--agency", police, "--role", "internal_supervisor", "--database", db])
        #expect(added.status == 0, "\(added.stderr)")
        let password = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("初始密码") }?.split(separator: "：").last.map(String.init))
        #expect(password.count == 16)
        #expect(try run(["user", "add", "bob", "--agency", police, "--role", "judge", "--database", db]).status != 0)
        #expect(try run(["user", "add", "bob", "--agency", "NO-SUCH", "--role", "leader", "--database", db]).status != 0)
        #expect(try run(["user", "list", "--database", db]).stdout.contains("alice\t单位内部监督员"))
        let token = try run(["token", "issue", "--name", "执法办案系统", "--agency", police, "--database", db])
        #expect(token.status == 0)
        let tokenID = try #require(token.stdout.split(separator: "\n").first?.split(separator: "：").last.map(String.init))
        #expect(try run(["token", "revoke", tokenID, "--database", db]).status == 0)
        #expect(try run(["token", "list", "--database", db]).stdout.contains("已吊销"))
        let audit = try run(["audit", "--database", db, "--json"])
        let trail = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let actions = Set(try #require(trail["entries"] as? [[String: Any]]).compactMap { $0["action"] as? String })
        #expect(actions.isSuperset(of: ["account_created", "token_issued", "token_revoked"]), "\(actions)")
        #expect(!audit.stdout.contains(password), "the audit never holds a password")

        // Alice signs in to a real server with curl.
        let log = work.path("serve.log")
        let server = try startLogged(["serve", "--database", db, "--port", "\(port)"], to: log)
        defer { server.terminate() }
        #expect(waitUntilUp(base + "/health"))
        let jar = work.path("cookies")
        let form = try curl(["-s", "-c", jar, base + "/login"])
        let csrf = try #require(form.range(of: #"name="_csrf" value=""#).map { form[$0.upperBound...].prefix { $0 != "\"" } }.map(String.init))
        _ = try curl(["-s", "-b", jar, "-c", jar, "-o", "/dev/null", "--data-urlencode", "username=alice", "--data-urlencode",
            "password=\(password)", "--data-urlencode", "_csrf=\(csrf)", base + "/login"])
        let me = try curl(["-s", "-b", jar, base + "/api/v1/me"])
        #expect(me.contains(#""role":"internal_supervisor""#), "\(me)")
        #expect(try curl(["-s", base + "/api/v1/cases"]).contains("unauthenticated"))
        server.terminate()
        server.waitUntilExit()
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!output.contains("首次启动"), "only the first start creates an administrator")
        #expect(!output.contains(password), "a password in the server's output")
        #expect(!output.contains("$2b$") && !output.contains("$2a$"), "a password hash in the server's output")

        // HTTPS with a certificate and key: the same pages, and cookies marked Secure.
        let cert = work.path("cert.pem")
        let key = work.path("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        let tlsPort = port + 1
        let tls = try startLogged(["serve", "--database", db, "--port", "\(tlsPort)", "--tls-certificate", cert, "--tls-key", key],
            to: work.path("tls.log"))
        defer { tls.terminate() }
        #expect(waitUntilUp("https://127.0.0.1:\(tlsPort)/health"))
        let headers = try curl(["-sk", "-D", "-", "-o", "/dev/null", "https://127.0.0.1:\(tlsPort)/login"])
        #expect(headers.lowercased().contains("set-cookie: tianping_login_csrf="))
        #expect(headers.contains("Secure"), "\(headers)")
        #expect(try curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(tlsPort)/health"]) != "200",
            "no plain HTTP on the TLS port")
    }

    func startLogged(_ arguments: [String], to path: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--max-time", "10"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func waitUntilUp(_ url: String) -> Bool {
        for _ in 0..<120 {
            if (try? curl(["-sk", "-o", "/dev/null", "-w", "%{http_code}", url])) == "200" { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    /// Runs a script of the repository with python3.
    func python(_ arguments: [String]) throws -> Output {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent(arguments[0]).path] + arguments.dropFirst()
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }

    /// The first case id of a generated data directory.
    func caseID(data: String) throws -> String {
        let text = try String(contentsOfFile: data + "/cases-00001.jsonl", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(#"{"kind":"case""#) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object["id"] as? String)
    }

    @Test("bad input goes to quarantine, is listed, and replays once its case arrives")
    func quarantine() throws {
        let work = try TemporaryDirectory()
        let db = work.path("q.sqlite")
        let agency = #"{"kind":"agency","source":"520102GA01","id":"520102GA01","version":1,"payload":{"code":"520102GA01","kind":"public_security","name":"东湖区公安局","region":"520102","level":"county"}}"#
        let event = #"{"kind":"event","source":"520102GA01","id":"E1","version":1,"case":"TP1","payload":{"kind":"detained","occurredAt":"2024-03-02T10:00:00+08:00","agency":"520102GA01","attributes":{}}}"#
        let caseLine = #"{"kind":"case","source":"520102GA01","id":"TP1","version":1,"case":"TP1","payload":{"id":"TP1","type":"criminal","title":"张某盗窃案","charges":["盗窃罪"],"region":"520102","acceptedAt":"2024-03-01T10:00:00+08:00","agencyNumbers":[],"flags":[]}}"#
        try (agency + "\n" + event + "\n{not json\n").write(toFile: work.path("a.jsonl"), atomically: true, encoding: .utf8)
        let ingest = try run(["ingest", "--database", db, work.path("a.jsonl")])
        #expect(ingest.status == 0)
        #expect(ingest.stdout.contains("2 行进入隔离区"))
        let list = try run(["quarantine", "list", "--database", db])
        #expect(list.stdout.contains("E_UNKNOWN_CASE"))
        #expect(list.stdout.contains("E_JSON_MALFORMED"))
        #expect(list.stdout.contains("a.jsonl:3"))

        try (caseLine + "\n").write(toFile: work.path("b.jsonl"), atomically: true, encoding: .utf8)
        _ = try run(["ingest", "--database", db, work.path("b.jsonl")])
        let replay = try run(["quarantine", "replay", "--database", db])
        #expect(replay.stdout.contains("1 条已接收，1 条仍在隔离区"))
    }

    @Test("an ingest killed with SIGKILL mid-way, run again, ends exactly as an uninterrupted run")
    func crashSafety() throws {
        let work = try TemporaryDirectory()
        let data = work.path("data")
        _ = try run(["generate", "--cases", "2500", "--seed", "21", "--violation-rate", "0.1", "--output", data])
        // Add bad lines so that quarantine is part of the comparison.
        let extra = work.path("data/cases-99999.jsonl")
        try "{broken\n{\"kind\":\"spaceship\",\"source\":\"520102GA01\",\"id\":\"S\",\"version\":1,\"payload\":{}}\n"
            .write(toFile: extra, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: data + "/manifest.json")  // read every *.jsonl by name

        let reference = work.path("reference.sqlite")
        #expect(try run(["ingest", "--database", reference, "--batch-size", "300", data]).status == 0)

        let crashed = work.path("crashed.sqlite")
        let process = try start(["ingest", "--database", crashed, "--batch-size", "300", data])
        // Wait until some batches are committed (the WAL grows), then kill without warning.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: crashed + "-wal")[.size] as? Int) ?? 0
            if size > 2_000_000 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(process.isRunning, "the ingest finished before it could be killed; make the data larger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let partial = try run(["stats", "--database", crashed, "--json"])
        let partialCases = (try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as? [String: Any])?["cases"] as? Int
        #expect((partialCases ?? 0) < 2500, "killed mid-way")

        #expect(try run(["ingest", "--database", crashed, "--batch-size", "300", data]).status == 0)
        let a = try run(["stats", "--database", reference, "--checksum"]).stdout
        let b = try run(["stats", "--database", crashed, "--checksum"]).stdout
        #expect(a.count > 60)
        #expect(a == b)
    }

    @Test("errors on bad arguments are clear and exit non-zero")
    func badArguments() throws {
        let missing = try run(["ingest", "--database", "/tmp/x-\(UUID().uuidString).sqlite", "/no/such/file.jsonl"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("找不到输入"))
        let negative = try run(["generate", "--cases", "0", "--output", "/tmp/never"])
        #expect(negative.status != 0)
        #expect(negative.stderr.contains("--cases"))
    }
}

// MARK: - Running the binary

struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `tianping` binary built beside the test bundle.
func binary() throws -> URL {
    var candidates: [URL] = []
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
        candidates.append(directory.appendingPathComponent("tianping"))
        directory = directory.deletingLastPathComponent()
    }
    if let arg0 = CommandLine.arguments.first {
        candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent().appendingPathComponent("tianping"))
    }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw CLITestError.binaryNotFound(candidates.map(\.path))
    }
    return found
}

enum CLITestError: Error {
    case binaryNotFound([String])
}

func start(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = try binary()
    process.arguments = arguments
    // Help text wraps at the terminal's width: pin it, so that output is the same in any shell and in CI.
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = "80"
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

func run(_ arguments: [String]) throws -> Output {
    let process = Process()
    process.executableURL = try binary()
    process.arguments = arguments
    // Help text wraps at the terminal's width: pin it, so that output is the same in any shell and in CI.
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = "80"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a full pipe cannot block the child.
    let errData = Box()
    let reader = Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.done { Thread.sleep(forTimeInterval: 0.005) }
    return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.data ?? Data(), as: UTF8.self))
}

final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Data?
    var data: Data? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    var done: Bool { data != nil }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
