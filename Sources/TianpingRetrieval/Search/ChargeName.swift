/// Comparison of charge names (罪名) as courts write them.
///
/// A selective charge (选择性罪名) lists acts and objects: 走私、贩卖、运输、制造毒品罪 is decided as 贩卖毒品罪 when only
/// selling is proved, and 掩饰、隐瞒犯罪所得、犯罪所得收益罪 as 掩饰、隐瞒犯罪所得罪. Two names therefore match when they are
/// equal (without the trailing 罪), or when one is a selective name (it contains 、) and every character of the other
/// occurs in it. Plain names are compared only for equality: 盗窃 does not match 盗窃、抢夺 unless written so.
public enum ChargeName {
    /// `name` without a trailing 罪 and without spaces.
    public static func normalized(_ name: String) -> String {
        var value = name.filter { !$0.isWhitespace }
        if value.hasSuffix("罪") { value.removeLast() }
        return value
    }

    public static func matches(_ a: String, _ b: String) -> Bool { Key(a).matches(Key(b)) }

    /// A name prepared once for many comparisons (an index segment prepares each of its distinct names).
    public struct Key: Sendable, Hashable {
        public let normalized: String
        let characters: Set<Character>
        let isSelective: Bool

        public init(_ name: String) {
            normalized = ChargeName.normalized(name)
            characters = Set(normalized)
            isSelective = normalized.contains("、")
        }

        public func matches(_ other: Key) -> Bool {
            if normalized == other.normalized { return !normalized.isEmpty }
            return covers(other) || other.covers(self)
        }

        /// Whether this selective name covers `narrow`.
        func covers(_ narrow: Key) -> Bool {
            guard isSelective, narrow.normalized.count >= 2 else { return false }
            return narrow.characters.isSubset(of: characters)
        }
    }

    /// The share of `wanted` charges that `decided` contains (1 when every wanted charge was decided), or 0 when
    /// nothing is wanted.
    public static func recall(of wanted: [String], in decided: [String]) -> Double {
        guard !wanted.isEmpty else { return 0 }
        let found = wanted.filter { w in decided.contains { matches(w, $0) } }.count
        return Double(found) / Double(wanted.count)
    }
}
