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

/// Runs the engine over many timelines on every core, keeping results in input order.
enum ParallelAnalysis {
    static func run(_ timelines: [CaseTimeline], engine: RuleEngine, asOf: Timestamp) async -> [CaseEvaluation] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
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
