import Foundation

extension IndexSnapshot {
    /// The `limit` judgments most similar to `query`, best first; ties are broken by id so results are reproducible.
    ///
    /// Term-at-a-time BM25 over the query's distinct terms (a query's repeated words are its story, not its emphasis:
    /// measured better on LeCaRD than weighting by query counts), then charges first when `options.chargesFirst`.
    public func search(_ query: SimilarCaseQuery, options: RankingOptions = RankingOptions(), limit: Int = 30) -> [ScoredJudgment] {
        guard limit > 0 else { return [] }
        let terms = Array(Set(TermEncoder.terms(of: query.text)))
        let stats = statistics
        let k1 = options.k1
        // Each term's dictionary position in each segment, looked up once.
        var positions = [[Int?]](repeating: [], count: segments.count)
        var idf: [Double] = []
        for term in terms {
            let found = segments.map { $0.position(of: term) }
            let df = zip(segments, found).reduce(0) { total, pair in total + (pair.1.map(pair.0.documentFrequency(at:)) ?? 0) }
            // Common terms are skipped only in a library large enough for shares to mean something.
            guard df > 0, stats.documents < 1_000 || Double(df) <= options.commonTermShare * stats.documents else { continue }
            idf.append(log(1 + (stats.documents - Double(df) + 0.5) / (Double(df) + 0.5)))
            for s in segments.indices { positions[s].append(found[s]) }
        }
        let wanted = query.charges.prefix(64).map(ChargeName.Key.init)
        let required = query.filters.charges.map(ChargeName.Key.init)
        let otherFilters = query.filters.courtLevels.isEmpty && query.filters.provinces.isEmpty && query.filters.years == nil
        let weights: [Double] = if case .none = options.text { [] } else { idf }
        let termPositions = positions

        /// One segment's best `limit`, scored independently of the others.
        @Sendable func searchSegment(_ s: Int) -> [ScoredJudgment] {
            let segment = segments[s]
            var best = TopK(limit: limit)
            let gone = removed[s]
            var allowed: [Bool]?
            if let candidates = query.candidates {
                var members = [Bool](repeating: false, count: segment.documentCount)
                for id in candidates { if let place = locations[id], place.segment == s { members[place.document] = true } }
                allowed = members
            }
            var scores = [Double](repeating: 0, count: segment.documentCount)
            // A judgment's score is positive once a posting touched it (every idf and frequency is positive).
            let factors = lengthFactors(segment: s, options: options)
            let whole: Bool = if case .wholeText = options.text { true } else { false }
            scores.withUnsafeMutableBufferPointer { score in
                factors.facts.withUnsafeBufferPointer { factsFactor in
                    factors.other.withUnsafeBufferPointer { otherFactor in
                        segment.withBytes { raw in
                            for (i, weight) in weights.enumerated() {
                                guard let position = termPositions[s][i] else { continue }
                                if whole {
                                    segment.forEachPosting(at: position, in: raw) { d, facts, other in
                                        let tf = Double(facts + other)
                                        score[d] += weight * tf * (k1 + 1) / (tf + factsFactor[d])
                                    }
                                } else {
                                    segment.forEachPosting(at: position, in: raw) { d, facts, other in
                                        let tf = Double(facts) * factsFactor[d] + Double(other) * otherFactor[d]
                                        score[d] += weight * tf * (k1 + 1) / (tf + k1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Which of the query's charges each distinct charge name of the segment matches, as a bit mask.
            let masks: [UInt64] = options.chargesFirst && !wanted.isEmpty
                ? segment.chargeKeys.map { name in
                    wanted.enumerated().reduce(0) { mask, item in item.element.matches(name) ? mask | 1 << UInt64(item.offset) : mask }
                }
                : []
            // Which distinct charge names of the segment satisfy the charge filter (any of its charges).
            let admitted: [Bool] = required.isEmpty ? [] : segment.chargeKeys.map { name in required.contains { $0.matches(name) } }
            func share(_ d: Int) -> Double {
                guard !masks.isEmpty else { return 0 }
                var mask: UInt64 = 0
                for i in Int(segment.chargeStart[d])..<Int(segment.chargeStart[d + 1]) { mask |= masks[Int(segment.chargeList[i])] }
                return Double(mask.nonzeroBitCount) / Double(wanted.count)
            }
            func offer(_ d: Int, _ share: Double) {
                if !best.admits(share, scores[d]) { return }
                if !gone.isEmpty, gone.contains(d) { return }
                let entry = segment.entries[d]
                if !query.excluded.isEmpty, query.excluded.contains(entry.id) { return }
                if !admitted.isEmpty,
                   !(Int(segment.chargeStart[d])..<Int(segment.chargeStart[d + 1])).contains(where: { admitted[Int(segment.chargeList[$0])] })
                { return }
                if !otherFilters, !query.filters.admitsApartFromCharges(entry) { return }
                best.offer(ScoredJudgment(entry: entry, chargeShare: share, textScore: scores[d]))
            }
            // Judgments that share a term (or are in the pool) first; then, only while they could still enter, those
            // that share none of the text but some of the query's charges (a text score of 0).
            var untouched = false
            for d in 0..<segment.documentCount {
                if let allowed {
                    if allowed[d] { offer(d, share(d)) }
                } else if scores[d] > 0 {
                    offer(d, share(d))
                } else {
                    untouched = true
                }
            }
            if untouched, allowed == nil, !masks.isEmpty, best.admits(1, 0) {
                for d in 0..<segment.documentCount where scores[d] == 0 {
                    let charges = share(d)
                    if charges > 0 { offer(d, charges) }
                }
            }
            return best.sorted
        }

        // Segments are independent: in a large library they are searched on every core at once (a query's latency,
        // not the server's throughput, is what a reader waits for), then their bests are merged.
        let found: [[ScoredJudgment]]
        if segments.count > 1, stats.documents >= 100_000 {
            let results = SegmentResults(count: segments.count)
            DispatchQueue.concurrentPerform(iterations: segments.count) { s in results.set(s, searchSegment(s)) }
            found = results.all
        } else {
            found = segments.indices.map(searchSegment)
        }
        var best = TopK(limit: limit)
        for hits in found { for hit in hits { best.offer(hit) } }
        return best.sorted
    }
}

/// Each segment's hits, written from the threads that searched them.
private final class SegmentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [[ScoredJudgment]]

    init(count: Int) { results = Array(repeating: [], count: count) }

    func set(_ index: Int, _ hits: [ScoredJudgment]) { lock.withLock { results[index] = hits } }

    var all: [[ScoredJudgment]] { lock.withLock { results } }
}

/// The best `limit` judgments seen so far, kept sorted (a judgment worse than the last is rejected at once).
struct TopK {
    let limit: Int
    private(set) var sorted: [ScoredJudgment] = []

    init(limit: Int) { self.limit = limit }

    static func precedes(_ a: ScoredJudgment, _ b: ScoredJudgment) -> Bool {
        if a.chargeShare != b.chargeShare { return a.chargeShare > b.chargeShare }
        if a.textScore != b.textScore { return a.textScore > b.textScore }
        return a.entry.id < b.entry.id
    }

    /// Whether a judgment with these scores could enter (equal scores may, as the id decides).
    func admits(_ share: Double, _ score: Double) -> Bool {
        guard sorted.count == limit, let last = sorted.last else { return true }
        return share > last.chargeShare || share == last.chargeShare && score >= last.textScore
    }

    mutating func offer(_ candidate: ScoredJudgment) {
        if sorted.count == limit, let last = sorted.last, !Self.precedes(candidate, last) { return }
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(sorted[middle], candidate) { low = middle + 1 } else { high = middle }
        }
        sorted.insert(candidate, at: low)
        if sorted.count > limit { sorted.removeLast() }
    }
}
