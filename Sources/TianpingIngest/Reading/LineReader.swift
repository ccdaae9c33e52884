#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of input with its 1-based number, or the facts about a line too long to hold.
public enum InputLine: Sendable {
    case text(number: Int, bytes: [UInt8])
    /// A line longer than the limit: only its length, its first bytes and its SHA-256 are kept, so that
    /// a 100 MB line neither exhausts memory nor vanishes from the record.
    case oversized(number: Int, byteCount: Int, prefix: [UInt8], sha256: String)
}

/// Reads a file descriptor line by line in large blocks, never holding more than `maxLineBytes` of a line.
public final class LineReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let maxLineBytes: Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    private var lineNumber = 0
    /// Bytes consumed so far, for progress.
    public private(set) var bytesRead: Int = 0

    /// Opens a file for reading; throws if it cannot be opened.
    public convenience init(path: String, maxLineBytes: Int = 16 << 20) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw LineReaderError.cannotOpen(path: path, errno: errno) }
        self.init(fileDescriptor: fd, ownsDescriptor: true, maxLineBytes: maxLineBytes)
    }

    public init(fileDescriptor: Int32, ownsDescriptor: Bool = false, maxLineBytes: Int = 16 << 20) {
        self.fd = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        self.maxLineBytes = maxLineBytes
        self.buffer = [UInt8](repeating: 0, count: max(1 << 20, min(maxLineBytes + 1, 4 << 20)))
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Fills the buffer; returns false at end of input.
    private func fill() -> Bool {
        if eof { return false }
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    _ = memmove(p.baseAddress!, p.baseAddress! + start, remaining)
                }
            }
            end = remaining
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let n = buffer.withUnsafeMutableBufferPointer { p in read(fd, p.baseAddress! + end, p.count - end) }
        if n <= 0 {
            eof = true
            return false
        }
        end += n
        bytesRead += n
        return true
    }

    /// The next line without its terminator (`\n` or `\r\n`), or `nil` at the end.
    public func next() -> InputLine? {
        var scanFrom = start
        while true {
            if let nl = findNewline(from: scanFrom) {
                let lineEnd = nl > start && buffer[nl - 1] == 13 ? nl - 1 : nl
                lineNumber += 1
                let bytes = Array(buffer[start..<lineEnd])
                start = nl + 1
                return .text(number: lineNumber, bytes: bytes)
            }
            if end - start > maxLineBytes { return drainOversized() }
            scanFrom = end
            let before = end - start
            if !fill() {
                guard end > start else { return nil }
                lineNumber += 1
                let bytes = Array(buffer[start..<end])
                start = end
                return .text(number: lineNumber, bytes: bytes)
            }
            scanFrom = start + before
        }
    }

    private func findNewline(from: Int) -> Int? {
        guard from < end else { return nil }
        return buffer.withUnsafeBufferPointer { p -> Int? in
            guard let found = memchr(p.baseAddress! + from, 10, end - from) else { return nil }
            return p.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Consumes the rest of an over-long line, hashing it as it streams past.
    private func drainOversized() -> InputLine {
        lineNumber += 1
        let number = lineNumber
        let prefix = Array(buffer[start..<min(end, start + 4096)])
        var hasher = StreamingSHA256()
        var count = 0
        while true {
            if let nl = findNewline(from: start) {
                hasher.update(buffer[start..<nl])
                count += nl - start
                start = nl + 1
                break
            }
            hasher.update(buffer[start..<end])
            count += end - start
            start = end
            if !fill() { break }
        }
        return .oversized(number: number, byteCount: count, prefix: prefix, sha256: hasher.finalizeHex())
    }
}

/// Errors opening input.
public enum LineReaderError: Error, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let code): return "无法打开文件 \(path)：\(String(cString: strerror(code)))"
        }
    }
}
