import Foundation
import Testing

/// The README's command-line reference read as a test: every command a row names exists, and every option the row
/// shows is one the command takes. And `--help` of each top-level command is kept as a snapshot, so a change to what
/// a user reads is a reviewed change (`TIANPING_UPDATE_SNAPSHOTS=1 swift test --filter ManualTests` rewrites them).
@Suite("The manual", .serialized)
struct ManualTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each command form the README's table names: its words and the options it shows. An alternation of
    /// subcommands (`user list\|disable NAME`) gives one form per alternative, whose options are not checked (the
    /// row does not say which alternative takes which).
    static func readmeForms() throws -> [(words: [String], options: [String], text: String)] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        var forms: [(words: [String], options: [String], text: String)] = []
        for line in readme.split(separator: "\n") where line.hasPrefix("| `tianping ") {
            // `\|` inside a cell is a literal bar of an alternation, not a column.
            let unescaped = line.replacingOccurrences(of: "\\|", with: "¦")
            let cell = unescaped.split(separator: "|", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            for form in cell.split(separator: "`").enumerated().filter({ $0.offset % 2 == 1 }).map({ String($0.element) }) {
                let tokens = form.split(separator: " ").map(String.init).filter { $0 != "tianping" }
                var alternatives: [[String]] = [[]]
                var alternated = false
                for t in tokens {
                    let parts = t.split(separator: "¦").map(String.init)
                    guard parts.allSatisfy({ p in p.first?.isLowercase == true && p.allSatisfy { $0.isLetter || $0 == "-" } }) else { break }
                    alternated = alternated || parts.count > 1
                    alternatives = alternatives.flatMap { prefix in parts.map { prefix + [$0] } }
                }
                let options = alternated ? [] : tokens.map { String($0.drop { $0 == "[" }) }.filter { $0.hasPrefix("--") }
                    .map { String($0.prefix { $0 != "=" && $0 != "]" && $0 != "…" }) }
                for words in alternatives where !words.isEmpty { forms.append((words, options, form)) }
            }
        }
        return forms
    }

    @Test("every README command row names a command that exists and options it takes")
    func readmeMatchesTheCommands() throws {
        let rows = try Self.readmeForms()
        #expect(rows.count >= 35, "the table was read: \(rows.count) forms")
        #expect(rows.contains { $0.words == ["ledger", "proof"] } && rows.contains { $0.words == ["user", "totp"] })
        #expect(rows.first { $0.words == ["stats"] }?.options == ["--json", "--checksum"], "bracketed options are read")
        for row in rows {
            let help = try run(row.words + ["--help"])
            #expect(help.status == 0, "`tianping \(row.words.joined(separator: " "))` from the README: \(help.stderr)")
            for option in row.options {
                #expect(help.stdout.contains(option), "README row `\(row.text)`: `\(option)` is not an option of `tianping \(row.words.joined(separator: " "))`")
            }
        }
    }

    @Test("--help of every top-level command is what the snapshot says", arguments: [
        "serve", "generate", "ingest", "quarantine", "stats", "analyze", "evaluate", "ledger", "dossier", "user", "token", "audit",
        "webhook", "extract", "evaluate-extraction", "sentence", "evaluate-sentencing", "judgments", "search", "evaluate-retrieval", "commutation",
        "bench",
    ])
    func helpSnapshot(_ command: String) throws {
        let help = try run([command, "--help"])
        #expect(help.status == 0)
        let file = Self.root.appendingPathComponent("Tests/TianpingCLITests/Snapshots/\(command).txt")
        if ProcessInfo.processInfo.environment["TIANPING_UPDATE_SNAPSHOTS"] == "1" {
            try help.stdout.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let snapshot = try String(contentsOf: file, encoding: .utf8)
        #expect(help.stdout == snapshot, "`tianping \(command) --help` changed; review and rewrite with TIANPING_UPDATE_SNAPSHOTS=1")
    }
}
