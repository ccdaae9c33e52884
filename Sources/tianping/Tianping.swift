import ArgumentParser
import Foundation
import Logging

/// The `tianping` command: wiring between the engines, the store and the server.
@main
struct Tianping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tianping",
        abstract: "天平 · 执法司法制约监督平台 (Tianping: supervision of law-enforcement and judicial case handling)",
        subcommands: [
            Serve.self, Generate.self, Ingest.self, QuarantineCommand.self, Stats.self, Analyze.self, Evaluate.self, LedgerCommand.self,
            DossierCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self, WebhookCommand.self, Extract.self, EvaluateExtraction.self,
            Sentence.self, EvaluateSentencing.self, JudgmentsCommand.self, SimilarCaseSearch.self, EvaluateRetrieval.self,
            CommutationCommand.self, Bench.self,
        ])

    /// Logs go to standard error so that standard output carries only results (tables, JSON).
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessEnvironment.value("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .notice
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as any LocalizedError {
            exit(withError: error)
        } catch {
            // Driver errors (PostgreSQL's among them) describe themselves only when reflected.
            if String(describing: error).contains("Generic description") {
                printError("错误：\(String(reflecting: error))")
                _exit(1)
            }
            exit(withError: error)
        }
    }
}

/// The `--database` option every command that touches the store shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file path, or a postgres:// URL. Default: $TIANPING_DATABASE or ./tianping.sqlite")
    var database: String?

    var location: String {
        database ?? ProcessEnvironment.value("TIANPING_DATABASE") ?? "tianping.sqlite"
    }
}
