import ArgumentParser
import Foundation
import Logging
import TianpingCore
import TianpingLedger

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension LedgerCommand {
    /// `tianping ledger witness`: another node's check that a log only grows, and its cosignature when it does.
    struct WitnessCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "作为见证节点核验另一天平节点的存证日志：只追加则联署，分叉或改写则拒绝并告警",
            discussion: """
                Fetches the log's latest checkpoint, checks its signature, fetches a consistency proof from the size this
                witness last cosigned, and returns a cosignature (C2SP tlog-cosignature v1) when the log only grew.
                A rollback, a split view (one size, two roots) or a failed consistency proof is refused, written to the
                state file as an alarm and logged as critical; with --once the exit status is then 3.
                """)

        @Option(help: "Base URL of the log's Tianping server, e.g. http://10.0.0.5:8080.") var log: String
        @Option(help: "The log's public key (text or file).") var logKey: String
        @Option(help: "This witness's private key file (made with `ledger keygen --witness`).") var key: String
        @Option(help: "State file: the checkpoint last cosigned, and alarms raised.") var state: String
        @Option(help: "Seconds between checks.") var interval: Double = 60
        @Flag(help: "Check once and exit (status 3 on an alarm).") var once = false

        func run() async throws {
            let logger = Logger(label: "tianping.witness")
            let witness = try Witness(log: try LedgerKeyFile.verifiers([logKey])[0], signer: try LedgerKeyFile.read(key))
            while true {
                var memory = try WitnessState.load(state)
                let outcome: String
                do {
                    outcome = try await check(witness, memory: &memory)
                    say(outcome)
                } catch let refusal as WitnessRefusal {
                    memory = (try? WitnessState.load(state)) ?? memory
                    memory.alarms.append(.init(at: Timestamp.now().description, refusal: refusal))
                    try memory.save(state)
                    if refusal.isAlarm {
                        logger.critical("witness alarm: \(refusal.kind.rawValue)", metadata: ["log": "\(log)"])
                        printError("告警：\(refusal.message)。已拒绝联署，证据已写入 \(state)。")
                        if once { throw ExitCode(3) }
                    } else {
                        printError("拒绝联署：\(refusal.message)")
                        if once { throw ExitCode(2) }
                    }
                } catch where !once && !(error is ExitCode) {
                    // A network or server error is not the log misbehaving: report it and try again next round.
                    logger.error("witness round failed: \(String(reflecting: error))")
                    printError("本轮见证失败：\(error)；\(Int(interval)) 秒后重试")
                }
                try memory.save(state)
                if once { return }
                try await Task.sleep(for: .seconds(interval))
            }
        }

        /// One round: fetch, verify, cosign, hand the cosignature back. Returns a line for the operator.
        func check(_ witness: Witness, memory: inout WitnessState) async throws -> String {
            let note = try await HTTP.text(url(log, "/api/v1/ledger/checkpoint"))
            let previous = memory.cosigned[witness.log.name]
            var proof: [TreeHash] = []
            if let previous, previous.size > 0, let size = (try? Checkpoint(text: SignedNote(note).text))?.size, size > previous.size {
                let data = try await HTTP.data(url(log, "/api/v1/ledger/proof/consistency?from=\(previous.size)&to=\(size)"))
                proof = try JSONDecoder().decode(ConsistencyResponse.self, from: data).proof.map {
                    guard let raw = Data(base64Encoded: $0), let hash = TreeHash(bytes: Array(raw)) else {
                        throw ValidationError("一致性证明格式错误")
                    }
                    return hash
                }
            }
            let (line, record) = try witness.cosign(note: note, consistencyProof: proof, previous: previous,
                time: UInt64(Date().timeIntervalSince1970))
            // Remember what is being cosigned before the cosignature leaves (C2SP tlog-witness): a crash after the
            // POST must never let this witness later cosign a smaller or different tree.
            memory.cosigned[witness.log.name] = record
            try memory.save(state)
            _ = try await HTTP.data(url(log, "/api/v1/ledger/cosignatures"), method: "POST",
                body: try JSONEncoder().encode(CosignatureBody(size: record.size, cosignature: line)))
            return "已联署 \(record.origin) 树大小 \(record.size)" + (previous.map { "（上次 \($0.size)，一致性证明成立）" } ?? "（首次见证）")
        }

        func url(_ base: String, _ path: String) throws -> URL {
            guard let url = URL(string: base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
                throw ValidationError("日志地址无效：\(base)")
            }
            return url
        }
    }
}

struct ConsistencyResponse: Decodable {
    var proof: [String]
}

struct CosignatureBody: Encodable {
    var size: Int
    var cosignature: String
}

/// What a witness remembers between runs, kept as JSON in its state file.
struct WitnessState: Codable {
    /// By log origin: the largest checkpoint cosigned.
    var cosigned: [String: WitnessRecord] = [:]
    var alarms: [Alarm] = []

    struct Alarm: Codable {
        var at: String
        var refusal: WitnessRefusal
    }

    static func load(_ path: String) throws -> WitnessState {
        guard let data = FileManager.default.contents(atPath: path) else { return WitnessState() }
        return try JSONDecoder().decode(WitnessState.self, from: data)
    }

    func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let temporary = path + ".tmp"
        try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
        // rename(2) replaces the old state in one step: a crash leaves the old state or the new, never half of one.
        guard rename(temporary, path) == 0 else { throw ValidationError("无法写入见证状态文件：\(path)") }
    }
}

/// The little HTTP a witness needs, on Foundation's URLSession.
enum HTTP {
    static func data(_ url: URL, method: String = "GET", body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw ValidationError("\(method) \(url) 失败：HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0) \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    static func text(_ url: URL) async throws -> String {
        String(decoding: try await data(url), as: UTF8.self)
    }
}
