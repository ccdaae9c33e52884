/// Index terms of Chinese legal text: character bigrams of each run of Chinese characters (a lone character stands for
/// itself), and each run of Latin letters or digits as one word. Bigrams beat word segmentation on LeCaRD (measured in
/// the issue that introduced this module) and need no dictionary, so the names, places and drug slang of real
/// judgments are indexed as written.
///
/// A term is a 64-bit key rather than a string, so a dictionary of millions of terms is one sorted array:
/// the top two bits say the kind (01 bigram, 10 single character, 11 word) and the rest hold the characters' scalar
/// values (21 bits each) or, for a word, a 62-bit FNV-1a hash of its lower-cased ASCII form.
public enum TermEncoder {
    /// The terms of `text` in order of appearance (repeats kept: a term's count is its frequency).
    public static func terms(of text: String) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(text.utf8.count / 3)
        scan(text) { term, _ in result.append(term) }
        return result
    }

    /// Calls `body` with every term and the UTF-8 offset of its first character (for highlighting passages).
    public static func scan(_ text: String, _ body: (UInt64, Int) -> Void) {
        var previousCJK: UInt32?
        var runLength = 0
        var runStart = 0
        var word: UInt64 = fnvOffset
        var wordLength = 0
        var wordStart = 0
        var offset = 0
        func endCJKRun() {
            if runLength == 1, let single = previousCJK { body(singleTag | UInt64(single), runStart) }
            runLength = 0
            previousCJK = nil
        }
        func endWord() {
            if wordLength > 0 { body(wordTag | (word & payloadMask), wordStart) }
            word = fnvOffset
            wordLength = 0
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if isCJK(value) {
                endWord()
                if let previous = previousCJK {
                    body(bigramTag | UInt64(previous) << 21 | UInt64(value), offset - previous.utf8Width)
                } else {
                    runStart = offset
                }
                previousCJK = value
                runLength += 1
            } else if let folded = asciiWordCharacter(value) {
                endCJKRun()
                if wordLength == 0 { wordStart = offset }
                word = (word ^ UInt64(folded)) &* fnvPrime
                wordLength += 1
            } else {
                endCJKRun()
                endWord()
            }
            offset += value.utf8Width
        }
        endCJKRun()
        endWord()
    }

    /// Whether `term` is a bigram or single character (not a Latin word or number).
    public static func isChinese(_ term: UInt64) -> Bool { term >> 62 == 1 || term >> 62 == 2 }

    static let bigramTag: UInt64 = 1 << 62
    static let singleTag: UInt64 = 2 << 62
    static let wordTag: UInt64 = 3 << 62
    static let payloadMask: UInt64 = (1 << 62) - 1
    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// CJK Unified Ideographs, Extension A and the supplementary-plane extensions.
    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x3134F).contains(value)
    }

    /// A letter or digit of a word, lower-cased; full-width forms (Ａ, １) fold to ASCII as courts type both.
    static func asciiWordCharacter(_ value: UInt32) -> UInt8? {
        var v = value
        if (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v) { v -= 0xFEE0 }
        switch v {
        case 0x30...0x39, 0x61...0x7A: return UInt8(v)
        case 0x41...0x5A: return UInt8(v + 0x20)
        default: return nil
        }
    }
}

extension UInt32 {
    /// UTF-8 bytes of this scalar value.
    fileprivate var utf8Width: Int { self < 0x80 ? 1 : self < 0x800 ? 2 : self < 0x10000 ? 3 : 4 }
}
