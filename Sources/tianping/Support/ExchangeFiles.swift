import Foundation
import TianpingCore
import TianpingIngest
import TianpingRules

/// Reads exchange-format files straight into case timelines, without a database: for `analyze --data`,
/// `evaluate` and the analysis benchmark. A line that cannot be used is not analysed, and it is never dropped
/// silently either: it comes back with the file, the line number and the same stable code and Chinese reason that
/// ingest's quarantine would give it (checks that need stored state — unknown agency or case — are ingest's).
enum ExchangeFiles {
    struct Loaded {
        var timelines: [CaseTimeline]
        var records: Int
        var rejected: [RejectedLine]
    }

    /// One line that could not be used, and why.
    struct RejectedLine: Codable, Sendable {
        var file: String
        var line: Int
        var code: RejectionCode
        var message: String
    }
}

extension ExchangeFiles {
    /// Like `load`, with the lines of each file decoded on every core (for the benchmark's large inputs).
    ///
    /// With `wholeCasesPerFile` (true of `tianping generate` output, whose files never split a case), timelines
    /// are built after each file, so memory holds timelines rather than every decoded record at once.
    static func loadParallel(input: String, wholeCasesPerFile: Bool = false) throws -> Loaded {
        let paths = try Ingest.files(for: input)
        let decoder = RecordDecoder(now: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)))
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var assembler = TimelineAssembler()
        var timelines: [CaseTimeline] = []
        var records = 0
        var rejected: [RejectedLine] = []
        for path in paths {
            let reader = try LineReader(path: path)
            while true {
                var block: [(number: Int, bytes: [UInt8])] = []
                block.reserveCapacity(100_000)
                while block.count < 100_000, let line = reader.next() {
                    switch line {
                    case .text(let number, let bytes):
                        if !bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { block.append((number, bytes)) }
                    case .oversized(let number, let byteCount, _, _):
                        rejected.append(RejectedLine(file: path, line: number, code: .lineTooLong,
                            message: "该行长 \(byteCount) 字节，超过单行上限"))
                    }
                }
                if block.isEmpty { break }
                let lines = block
                let chunk = (lines.count + workers - 1) / workers
                let parts = LockedSlots(Array(repeating: [ExchangeRecord](), count: workers))
                let failures = LockedSlots(Array(repeating: [RejectedLine](), count: workers))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var out: [ExchangeRecord] = []
                    var failed: [RejectedLine] = []
                    for i in stride(from: w * chunk, to: min((w + 1) * chunk, lines.count), by: 1) {
                        switch decoder.decode(lines[i].bytes) {
                        case .success(let d): out.append(d.record)
                        case .failure(let r):
                            failed.append(RejectedLine(file: path, line: lines[i].number, code: r.code, message: r.message))
                        }
                    }
                    parts.set(w, out)
                    failures.set(w, failed)
                }
                for part in parts.values { for r in part { assembler.add(r) }; records += part.count }
                rejected += failures.values.joined()
            }
            if wholeCasesPerFile { timelines += assembler.takeAll() }
        }
        rejected.sort { ($0.file, $0.line) < ($1.file, $1.line) }
        return Loaded(timelines: timelines + assembler.takeAll(), records: records, rejected: rejected)
    }
}

/// An array that concurrent workers fill at distinct indices (each writes only its own slot, under a lock).
final class LockedSlots<Element>: @unchecked Sendable {
    private var storage: [Element]
    private let lock = NSLock()

    init(_ values: [Element]) { storage = values }

    func set(_ index: Int, _ value: Element) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
