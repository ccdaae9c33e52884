import Foundation

/// Process environment lookups in one place.
enum ProcessEnvironment {
    static func value(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }
}

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private let lock = NSLock()
    private let started = Date()

    init(label: String, total: Int?) {
        self.label = label
        self.total = total
    }

    func update(_ done: Int, unit: String = "") {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = max(0.001, now.timeIntervalSince(started))
        let rate = Int(Double(done) / elapsed)
        var line = "\r\(label) "
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
            line += "\(Int(fraction * 100))% \(done)/\(total)"
        } else {
            line += "\(done)"
        }
        line += " \(unit)（\(rate)/秒）"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// Writes a status line to standard output at once, unbuffered, so that a long-running `serve` shows it in a log.
func say(_ message: String) {
    FileHandle.standardOutput.write(Data((message + "\n").utf8))
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Decodes every non-blank line of a JSON Lines file, naming the line that cannot be read.
/// A file's bytes, or an error naming the file.
func readFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("找不到文件：\(path)") }
    return data
}

func decodeJSONLines<T: Decodable>(_ type: T.Type, path: String) throws -> [T] {
    let data = try readFile(path)
    let decoder = JSONDecoder()
    return try data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated().compactMap { n, line -> T? in
        guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { return nil }
        do { return try decoder.decode(T.self, from: Data(line)) } catch { throw CLIError("\(path) 第 \(n + 1) 行无法读取：\(error)") }
    }
}

/// Encodes a value as pretty JSON with sorted keys for machine-readable output.
func jsonString(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
