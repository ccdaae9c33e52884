/// One page's drawing: text runs and rules, in points from the bottom-left corner (PDF's own coordinates).
public struct PDFPage: Sendable {
    public enum Color: Sendable {
        case black
        /// The red of a 红头 document's issuer line and separator (GB/T 9704).
        case red

        var fill: String { self == .red ? "0.85 0 0 rg" : "0 g" }
        var stroke: String { self == .red ? "0.85 0 0 RG" : "0 G" }
    }

    private(set) var content = ""
    /// High bytes of the UTF-16 units drawn, for the font's `ToUnicode` map.
    private(set) var highBytes: Set<UInt8> = []

    public init() {}

    /// Draws `text` with its baseline starting at (`x`, `y`). `bold` strokes the outline as well (Song has no bold
    /// face; official titles are set this way when no 小标宋 is at hand).
    public mutating func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false, color: Color = .black) {
        var hex = ""
        hex.reserveCapacity(text.unicodeScalars.count * 4)
        for unit in CJKMetrics.drawableUnits(text) {
            highBytes.insert(UInt8(unit >> 8))
            hex += Self.hex4(unit)
        }
        let mode = bold ? "2 Tr \(PDFOutput.number(size / 30)) w " : "0 Tr "
        content += "BT \(color.fill) \(color.stroke) \(mode)/F1 \(PDFOutput.number(size)) Tf \(PDFOutput.number(x)) \(PDFOutput.number(y)) Td <\(hex)> Tj ET\n"
    }

    /// A horizontal or any straight rule.
    public mutating func line(from: (x: Double, y: Double), to: (x: Double, y: Double), width: Double, color: Color = .black) {
        content += "\(color.stroke) \(PDFOutput.number(width)) w \(PDFOutput.number(from.x)) \(PDFOutput.number(from.y)) m \(PDFOutput.number(to.x)) \(PDFOutput.number(to.y)) l S\n"
    }

    private static let digits = Array("0123456789ABCDEF")

    private static func hex4(_ unit: UInt16) -> String {
        String([digits[Int(unit >> 12)], digits[Int(unit >> 8 & 0xF)], digits[Int(unit >> 4 & 0xF)], digits[Int(unit & 0xF)]])
    }
}

/// Widths and line breaking for text set in the writer's font: ASCII half an em, everything else a full em — the
/// widths the font dictionary declares, so that what is measured here is what a reader draws.
public enum CJKMetrics {
    /// UTF-16 units as drawn: characters outside the Basic Multilingual Plane (which UCS-2 cannot encode) become `？`,
    /// and control characters become spaces.
    static func drawableUnits(_ text: String) -> [UInt16] {
        text.unicodeScalars.map { s in
            if s.value < 0x20 { return 0x20 }
            if s.value > 0xFFFF { return 0xFF1F }
            return UInt16(s.value)
        }
    }

    /// The width of one character in ems.
    public static func width(_ c: Character) -> Double {
        guard let s = c.unicodeScalars.first else { return 0 }
        return s.value >= 0x20 && s.value < 0x7F ? 0.5 : 1
    }

    public static func width(_ text: String, size: Double) -> Double {
        text.reduce(0) { $0 + width($1) } * size
    }

    /// Characters that must not begin a line (Chinese typesetting's 避头 rule): they stay at the end of the line
    /// before, hanging into the margin.
    static let noLineStart: Set<Character> = Set("，。、；：！？）》」』】〕”’…%,.;:!?)]")
    /// Characters that must not end a line (避尾): opening brackets and quotes.
    static let noLineEnd: Set<Character> = Set("（《「『【〔“‘([")

    /// Breaks `text` into lines no wider than `width` points (the first line narrower by `firstIndent`), at any
    /// character, keeping closing punctuation off the start of a line, opening brackets off its end, and an ASCII
    /// word together when it fits.
    public static func wrap(_ text: String, width: Double, size: Double, firstIndent: Double = 0) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = firstIndent
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            // An ASCII word (a number, a code) moves as one piece when it would be split.
            var piece = String(chars[i])
            if chars[i].isASCII, chars[i] != " " {
                var j = i + 1
                while j < chars.count, chars[j].isASCII, chars[j] != " " { j += 1 }
                piece = String(chars[i..<j])
            }
            // Longer than a whole line (a long code): split it by characters.
            if self.width(piece, size: size) > width { piece = String(chars[i]) }
            let w = self.width(piece, size: size)
            if used + w > width + 0.01, !line.isEmpty, !(piece.count == 1 && noLineStart.contains(chars[i])) {
                // An opening bracket or quote may not end a line (避尾): it moves down with what it opens.
                var carried = ""
                while let last = line.last, noLineEnd.contains(last), line.count > 1 {
                    carried = String(last) + carried
                    line.removeLast()
                }
                lines.append(line)
                line = carried
                used = self.width(carried, size: size)
                continue
            }
            line += piece
            used += w
            i += piece.count
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
