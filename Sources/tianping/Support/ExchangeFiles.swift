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

    static func load(input: String) throws -> Loaded {
        let paths = try Ingest.files(for: input)
        let decoder = RecordDecoder(now: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)))
        var assembler = TimelineAssembler()
        var records = 0
        var bad = 0
        for path in paths {
            let reader = try LineReader(path: path)
            while let line = reader.next() {
                guard case .text(_, let bytes) = line, !bytes.isEmpty else { continue }
                switch decoder.decode(bytes) {
                case .success(let decoded):
                    assembler.add(decoded.record)
                    records += 1
                case .failure:
                    bad += 1
                }
            }
        }
        return Loaded(timelines: assembler.takeAll(), records: records, undecodable: bad)
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

/// Runs the engine over many timelines on every core, keeping results in input order.
enum ParallelAnalysis {
    static func run(_ timelines: [CaseTimeline], engine: RuleEngine, asOf: Timestamp) async -> [CaseEvaluation] {
        // Many more chunks than cores, so that a slow chunk does not leave a core idle at the end.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount) * 8
        let chunk = (timelines.count + workers - 1) / max(workers, 1)
        guard chunk > 0 else { return [] }
        return await withTaskGroup(of: (Int, [CaseEvaluation]).self) { group in
            for (index, start) in stride(from: 0, to: timelines.count, by: chunk).enumerated() {
                let slice = timelines[start..<min(start + chunk, timelines.count)]
                group.addTask { (index, slice.map { engine.evaluate($0, asOf: asOf) }) }
            }
            var parts: [(Int, [CaseEvaluation])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
