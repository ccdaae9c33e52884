/// Batched writes: sql-kit statements of a few hundred rows each (one row per INSERT is 20× slower on SQLite).
extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}
