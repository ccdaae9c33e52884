/// An element if the index exists: band lists are read by indices computed from facts.
extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
