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
        let b = options.b
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
        var best = TopK(limit: limit)
        for (s, segment) in segments.enumerated() {
            let gone = removed[s]
            var allowed: [Bool]?
            if let candidates = query.candidates {
                var members = [Bool](repeating: false, count: segment.documentCount)
                for id in candidates { if let place = locations[id], place.segment == s { members[place.document] = true } }
                allowed = members
            }
            var scores = [Double](repeating: 0, count: segment.documentCount)
            var touched = [Bool](repeating: false, count: segment.documentCount)
            // The per-document length factors of the chosen text scoring, and how a posting adds to a score.
            let lengths = segment.lengthTable
            var factsFactor = [Double](repeating: 0, count: segment.documentCount)
            var otherFactor = [Double](repeating: 0, count: segment.documentCount)
            var whole = true
            switch options.text {
            case .none:
                idf = []
            case .wholeText:
                for d in 0..<segment.documentCount {
                    factsFactor[d] = k1 * (1 - b + b * Double(lengths[2 * d] + lengths[2 * d + 1]) / stats.averageWhole)
                }
            case .fields(let factsWeight, let otherWeight):
                whole = false
                for d in 0..<segment.documentCount {
                    factsFactor[d] = factsWeight / (1 - b + b * Double(lengths[2 * d]) / stats.averageFacts)
                    otherFactor[d] = otherWeight / (1 - b + b * Double(lengths[2 * d + 1]) / stats.averageOther)
                }
            }
            scores.withUnsafeMutableBufferPointer { score in
                touched.withUnsafeMutableBufferPointer { seen in
                    segment.withBytes { raw in
                        for (i, weight) in idf.enumerated() {
                            guard let position = positions[s][i] else { continue }
                            if whole {
                                segment.forEachPosting(at: position, in: raw) { d, facts, other in
                                    let tf = Double(facts + other)
                                    score[d] += weight * tf * (k1 + 1) / (tf + factsFactor[d])
                                    seen[d] = true
                                }
                            } else {
                                segment.forEachPosting(at: position, in: raw) { d, facts, other in
                                    let tf = Double(facts) * factsFactor[d] + Double(other) * otherFactor[d]
                                    score[d] += weight * tf * (k1 + 1) / (tf + k1)
                                    seen[d] = true
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
            for d in 0..<segment.documentCount {
                if let allowed, !allowed[d] { continue }
                var share = 0.0
                if !masks.isEmpty {
                    var mask: UInt64 = 0
                    for i in Int(segment.chargeStart[d])..<Int(segment.chargeStart[d + 1]) { mask |= masks[Int(segment.chargeList[i])] }
                    share = Double(mask.nonzeroBitCount) / Double(wanted.count)
                }
                // Outside a pool, a judgment is a candidate when it shares a term or one of the query's charges.
                if allowed == nil, !touched[d], share == 0 { continue }
                if !gone.isEmpty, gone.contains(d) { continue }
                if !best.admits(share, scores[d]) { continue }
                let entry = segment.entries[d]
                if !query.excluded.isEmpty, query.excluded.contains(entry.id) { continue }
                if !admitted.isEmpty,
                   !(Int(segment.chargeStart[d])..<Int(segment.chargeStart[d + 1])).contains(where: { admitted[Int(segment.chargeList[$0])] })
                { continue }
                if !otherFilters, !query.filters.admitsApartFromCharges(entry) { continue }
                best.offer(ScoredJudgment(entry: entry, chargeShare: share, textScore: scores[d]))
            }
        }
        return best.sorted
    }
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
