import Foundation

/// A small PDF 1.7 writer for documents the platform issues: A4 pages of Chinese text and rules, nothing else.
///
/// Text is set in the Adobe-GB1 font `STSong-Light` with the predefined `UniGB-UCS2-H` encoding, the PDF
/// specification's way of writing Simplified Chinese without embedding a font (ISO 32000-1 §9.7.5.2): every
/// conforming reader substitutes its own Song typeface, so a notice is a few kilobytes and renders on any office
/// machine. A `ToUnicode` map makes the text searchable and extractable, and the widths are declared (full width for
/// Chinese, half for ASCII) so that the layout computed here is the layout a reader draws. The output is
/// deterministic: the same document gives the same bytes, so its SHA-256 can be logged and checked later.
public struct PDFWriter: Sendable {
    /// A4 in points.
    public static let pageWidth = 595.28
    public static let pageHeight = 841.89

    public var title: String
    public var author: String
    /// The document's date (`D:20261207` form is written), from the issuing instant, never from the clock.
    public var created: Date?
    public private(set) var pages: [PDFPage] = []

    public init(title: String, author: String, created: Date? = nil) {
        self.title = title
        self.author = author
        self.created = created
    }

    public mutating func add(_ page: PDFPage) { pages.append(page) }

    /// The file's bytes.
    public func data() -> [UInt8] {
        var out = PDFOutput()
        out.raw("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n")
        // Objects: 1 catalog, 2 page tree, 3 font, 4 CID font, 5 descriptor, 6 ToUnicode, 7 info, then page/content pairs.
        let firstPage = 8
        let kids = pages.indices.map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        out.object(1, "<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>")
        out.object(2, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        out.object(3, "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>")
        out.object(4, "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>")
        out.object(5, "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
        out.stream(6, dictionary: "", Array(Self.toUnicode(highBytes: Set(pages.flatMap(\.highBytes))).utf8))
        var info = "<< /Title \(PDFOutput.textString(title)) /Author \(PDFOutput.textString(author)) /Producer (Tianping)"
        if let created { info += " /CreationDate (D:\(Self.pdfDate(created)))" }
        out.object(7, info + " >>")
        for (i, page) in pages.enumerated() {
            let number = firstPage + 2 * i
            out.object(number, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(PDFOutput.number(Self.pageWidth)) \(PDFOutput.number(Self.pageHeight))] /Resources << /Font << /F1 3 0 R >> >> /Contents \(number + 1) 0 R >>")
            out.stream(number + 1, dictionary: "", Array(page.content.utf8))
        }
        out.finish(size: firstPage + 2 * pages.count, info: 7)
        return out.bytes
    }

    /// `20261207093000+08'00'`: the date in Beijing time, as PDF dates are written.
    static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d+08'00'", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Maps every two-byte code used to the same UTF-16 unit (the codes are UCS-2), one range per high byte.
    static func toUnicode(highBytes: Set<UInt8>) -> String {
        let ranges = highBytes.sorted().map { String(format: "<%02X00> <%02XFF> <%02X00>", $0, $0, $0) }
        var text = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        for chunk in stride(from: 0, to: ranges.count, by: 100) {
            let part = ranges[chunk..<min(chunk + 100, ranges.count)]
            text += "\(part.count) beginbfrange\n" + part.joined(separator: "\n") + "\nendbfrange\n"
        }
        return text + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    }
}

/// The byte buffer of a PDF file with the offsets of its objects, for the cross-reference table.
struct PDFOutput {
    var bytes: [UInt8] = []
    var offsets: [Int: Int] = [:]

    mutating func raw(_ s: String) {
        // Only the binary comment line carries bytes above 0x7F; write each scalar as one byte.
        bytes.append(contentsOf: s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
    }

    mutating func object(_ number: Int, _ body: String) {
        offsets[number] = bytes.count
        raw("\(number) 0 obj\n\(body)\nendobj\n")
    }

    mutating func stream(_ number: Int, dictionary: String, _ content: [UInt8]) {
        offsets[number] = bytes.count
        raw("\(number) 0 obj\n<< \(dictionary)/Length \(content.count) >>\nstream\n")
        bytes.append(contentsOf: content)
        raw("\nendstream\nendobj\n")
    }

    mutating func finish(size: Int, info: Int) {
        let xref = bytes.count
        raw("xref\n0 \(size)\n0000000000 65535 f \n")
        for n in 1..<size { raw(String(format: "%010d 00000 n \n", offsets[n] ?? 0)) }
        raw("trailer\n<< /Size \(size) /Root 1 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
    }

    /// A text string for the document information dictionary: UTF-16BE with its byte-order mark, in hex.
    static func textString(_ s: String) -> String {
        "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    /// A number as PDF writes it: at most two decimals, no exponent.
    static func number(_ x: Double) -> String {
        let rounded = (x * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }
}
