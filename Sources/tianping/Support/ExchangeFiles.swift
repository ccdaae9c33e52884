import Foundation
import TianpingCore
import TianpingIngest
import TianpingRules

/// Reads exchange-format files straight into case timelines, without a database: for `analyze --data`,
/// `evaluate` and the analysis benchmark. Lines that do not decode are counted and skipped here — the
/// store's ingest is where bad lines are quarantined.
enum ExchangeFiles {
    struct Loaded {
        var timelines: [CaseTimeline]
        var records: Int
        var undecodable: Int
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
        var bad = 0
        for path in paths {
            let reader = try LineReader(path: path)
            while true {
                var block: [[UInt8]] = []
                block.reserveCapacity(100_000)
                while block.count < 100_000, let line = reader.next() {
                    if case .text(_, let bytes) = line, !bytes.isEmpty { block.append(bytes) }
                }
                if block.isEmpty { break }
                let lines = block
                let chunk = (lines.count + workers - 1) / workers
                let parts = LockedSlots(Array(repeating: [ExchangeRecord](), count: workers))
                let failures = LockedSlots(Array(repeating: 0, count: workers))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var out: [ExchangeRecord] = []
                    var failed = 0
                    for i in stride(from: w * chunk, to: min((w + 1) * chunk, lines.count), by: 1) {
                        switch decoder.decode(lines[i]) {
                        case .success(let d): out.append(d.record)
                        case .failure: failed += 1
                        }
                    }
                    parts.set(w, out)
                    failures.set(w, failed)
                }
                for part in parts.values { for r in part { assembler.add(r) }; records += part.count }
                bad += failures.values.reduce(0, +)
            }
            if wholeCasesPerFile { timelines += assembler.takeAll() }
        }
        return Loaded(timelines: timelines + assembler.takeAll(), records: records, undecodable: bad)
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
