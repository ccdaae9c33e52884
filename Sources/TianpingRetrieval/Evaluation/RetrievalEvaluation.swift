import Foundation

/// NDCG of a ranking over labelled candidate pools, computed as LeCaRD does: gain 2^grade − 1, discount log2(rank + 1),
/// the ideal order taken from the pool's own labels (an unlabelled candidate has grade 0).
public enum RetrievalEvaluation {
    /// One query of an evaluation set.
    public struct Query: Sendable, Hashable {
        public var id: String
        public var text: String
        public var charges: [String]

        public init(id: String, text: String, charges: [String]) {
            self.id = id
            self.text = text
            self.charges = charges
        }
    }

    /// Mean NDCG at each cut-off.
    public struct Score: Sendable, Codable, Hashable {
        public var ndcg10: Double
        public var ndcg20: Double
        public var ndcg30: Double
        public var queries: Int
    }

    public static let cutoffs = [10, 20, 30]

    /// NDCG@k of `ranked` given `grades`; 0 when the pool has no relevant candidate.
    public static func ndcg(_ ranked: [String], grades: [String: Int], at k: Int) -> Double {
        func gain(_ grade: Int) -> Double { pow(2, Double(grade)) - 1 }
        let dcg = ranked.prefix(k).enumerated().reduce(0.0) { $0 + gain(grades[$1.element] ?? 0) / log2(Double($1.offset) + 2) }
        let ideal = ranked.map { grades[$0] ?? 0 }.sorted(by: >).prefix(k).enumerated()
            .reduce(0.0) { $0 + gain($1.element) / log2(Double($1.offset) + 2) }
        return ideal > 0 ? dcg / ideal : 0
    }

    /// Mean NDCG@10/20/30 of rankings (one per query, each a permutation of its pool).
    public static func score(_ rankings: [String: [String]], labels: [String: [String: Int]]) -> Score {
        var sums = [0.0, 0.0, 0.0]
        for (query, ranked) in rankings {
            for (i, k) in cutoffs.enumerated() { sums[i] += ndcg(ranked, grades: labels[query] ?? [:], at: k) }
        }
        let n = Double(max(rankings.count, 1))
        return Score(ndcg10: sums[0] / n, ndcg20: sums[1] / n, ndcg30: sums[2] / n, queries: rankings.count)
    }

    /// Each query's pool ranked by the index with `options`.
    public static func rankings(_ queries: [Query], pools: [String: [String]], snapshot: IndexSnapshot, options: RankingOptions,
                                idOf: (String) -> String = { $0 }) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for query in queries {
            guard let pool = pools[query.id] else { continue }
            let ids = Dictionary(pool.map { (idOf($0), $0) }, uniquingKeysWith: { first, _ in first })
            let search = SimilarCaseQuery(text: query.text, charges: query.charges, candidates: Set(ids.keys))
            var ranked = snapshot.search(search, options: options, limit: pool.count).compactMap { ids[$0.entry.id] }
            // A pool member missing from the library ranks last, in pool order.
            ranked += pool.filter { !ranked.contains($0) }
            result[query.id] = ranked
        }
        return result
    }

    /// The floor: the mean score of `rounds` random orders of each pool (a fixed seed, so the figure is reproducible).
    public static func randomFloor(_ queries: [Query], pools: [String: [String]], labels: [String: [String: Int]], rounds: Int = 100) -> Score {
        var generator = SplitMix64(seed: 20_201_231)
        var total = Score(ndcg10: 0, ndcg20: 0, ndcg30: 0, queries: 0)
        for _ in 0..<rounds {
            var rankings: [String: [String]] = [:]
            for query in queries { if let pool = pools[query.id] { rankings[query.id] = pool.shuffled(using: &generator) } }
            let score = score(rankings, labels: labels)
            total.ndcg10 += score.ndcg10 / Double(rounds)
            total.ndcg20 += score.ndcg20 / Double(rounds)
            total.ndcg30 += score.ndcg30 / Double(rounds)
            total.queries = score.queries
        }
        return total
    }
}

/// A small seeded generator (SplitMix64) so that random floors are the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
