import ArgumentParser
import Foundation
import TianpingAccess
import TianpingCore
import TianpingServer
import TianpingStore

/// `tianping webhook`: where each agency's warning events are pushed, and the delivery log.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "预警推送回调：为机构登记回调地址（HMAC 签名）、列出、停用，查看投递记录",
        subcommands: [Add.self, List.self, Remove.self, Deliveries.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记或替换机构的回调地址；密钥只显示这一次")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Agency code (its warnings are pushed to this URL).") var agency: String
        @Option(help: "http(s) URL of the agency's endpoint.") var url: String
        @Option(help: "HMAC secret (at least 16 characters); generated when omitted.") var secret: String?

        func run() async throws {
            let key = secret ?? Secrets.token()
            try await withStore(db) { store in
                try await store.setWebhook(agency: agency, url: url, secret: key, now: Timestamp.now().secondsSinceEpoch)
                try await cliAudit(store, .webhookChanged, target: "\(agency) → \(url)")
                print("已登记：\(agency) → \(url)")
                if secret == nil { print("签名密钥（只显示这一次；X-Tianping-Signature = sha256=HMAC-SHA256(密钥, \"时间戳.请求体\")）：\(key)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出回调地址（不显示密钥）")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await withStore(db) { store in
                for w in try await store.webhooks() { print([w.agency, w.url, w.active ? "启用" : "已停用"].joined(separator: "\t")) }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "停用机构的回调地址")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Agency code.") var agency: String

        func run() async throws {
            try await withStore(db) { store in
                guard try await store.removeWebhook(agency: agency) else { throw ValidationError("\(agency) 没有启用的回调地址") }
                try await cliAudit(store, .webhookChanged, target: "\(agency) 停用")
                print("已停用：\(agency)")
            }
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "投递记录：每次投递及其每一次尝试")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only this agency.") var agency: String?
        @Option(help: "How many deliveries, newest first.") var limit = 50
        @Option(help: "text or json.") var format = "text"

        func run() async throws {
            try await withStore(db) { store in
                let records = try await store.deliveries(agency: agency, limit: limit)
                if format == "json" {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(records), as: UTF8.self))
                    return
                }
                for r in records {
                    let last = r.attempts.last.map { a in a.statusCode.map { "HTTP \($0)" } ?? a.error ?? "-" } ?? "未尝试"
                    print([String(r.id), r.agency, "事件 \(r.eventID)", r.status, "尝试 \(r.attempts.count) 次", last].joined(separator: "\t"))
                }
            }
        }
    }
}
