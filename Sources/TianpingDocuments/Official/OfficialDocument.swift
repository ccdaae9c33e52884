import Foundation

/// An official document (公文) as the platform issues them — 督办通知书, 整改通知书, 办结通知书 — in the parts that
/// GB/T 9704-2012 (党政机关公文格式) names: the red issuer line (发文机关标志) and 文号, the title, the addressee
/// (主送机关), the body, the issuer and date with room for the seal, and a remark line.
///
/// One value feeds both the workbench's print page and the PDF file, so the two never say different things.
public struct OfficialDocument: Sendable, Equatable {
    /// A part of the body.
    public enum Block: Sendable, Equatable {
        /// A paragraph, first line indented two characters.
        case paragraph(String)
        /// A numbered item (`1．…`) with an optional note below it (the legal basis of a finding).
        case item(number: Int, text: String, note: String?)
    }

    /// The issuing body as its red header line reads (`天平省委政法委`).
    public var issuer: String
    /// The full 文号 (`天平省委政法委督〔2026〕12号`).
    public var number: String
    public var title: String
    /// 主送机关, without the colon.
    public var recipient: String
    public var blocks: [Block]
    /// The issuer's name as signed under the body, and the date in Chinese form (`2026年12月7日`).
    public var signatory: String
    public var date: String
    /// The line under the document (`经办人：…`).
    public var remark: String?
    /// The issuing instant, written as the file's creation date.
    public var issuedAt: Date?

    public init(issuer: String, number: String, title: String, recipient: String, blocks: [Block], signatory: String, date: String,
        remark: String? = nil, issuedAt: Date? = nil)
    {
        self.issuer = issuer
        self.number = number
        self.title = title
        self.recipient = recipient
        self.blocks = blocks
        self.signatory = signatory
        self.date = date
        self.remark = remark
        self.issuedAt = issuedAt
    }

    // MARK: Layout (GB/T 9704: A4, 3号 body of 28 characters a line, 22 lines a page)

    static let left = 79.0  // 28 mm
    static let textWidth = 442.0  // 156 mm
    static let top = PDFWriter.pageHeight - 105  // 37 mm
    static let bottom = 100.0
    static let body = 16.0  // 3号
    static let lineHeight = 28.9  // 22 lines in 225 mm
    static let titleSize = 22.0  // 2号
    static let headerSize = 30.0

    /// The document as a PDF file; the same value always gives the same bytes.
    public func pdf() -> [UInt8] {
        var layout = Layout()
        // 版头: the issuer in red, the number, a red rule.
        for line in CJKMetrics.wrap(issuer, width: Self.textWidth, size: Self.headerSize) {
            layout.centered(line, size: Self.headerSize, color: .red, advance: Self.headerSize * 1.4)
        }
        layout.skip(Self.lineHeight * 0.6)
        layout.centered(number, size: Self.body, advance: Self.lineHeight * 0.5)
        layout.rule()
        layout.skip(Self.lineHeight * 1.2)
        for line in CJKMetrics.wrap(title, width: Self.textWidth, size: Self.titleSize) {
            layout.centered(line, size: Self.titleSize, bold: true, advance: Self.titleSize * 1.6)
        }
        layout.skip(Self.lineHeight * 0.6)
        layout.lines(CJKMetrics.wrap(recipient + "：", width: Self.textWidth, size: Self.body), indent: 0)
        for (i, block) in blocks.enumerated() {
            // The signature may not stand alone on a page (GB/T 9704 §7.3.5): the last paragraph goes with it.
            if i == blocks.count - 1 { layout.keep(lines: Self.lineCount(block) + Self.signatureLines) }
            switch block {
            case .paragraph(let text):
                layout.paragraph(text, indent: 2 * Self.body)
            case .item(let number, let text, let note):
                layout.paragraph("\(number)．" + text, indent: 2 * Self.body)
                if let note { layout.paragraph(note, indent: 2 * Self.body, size: 14) }
            }
        }
        // 落款: issuer and date to the right, four characters from the edge, with room for the seal above the date.
        layout.skip(Self.lineHeight * 1.5)
        layout.keep(lines: 3)
        for text in [signatory, date] {
            let w = CJKMetrics.width(text, size: Self.body)
            layout.at(text, x: Self.left + Self.textWidth - 4 * Self.body - w, size: Self.body)
        }
        layout.at("（盖章）", x: Self.left + Self.textWidth - 4 * Self.body - CJKMetrics.width("（盖章）", size: 14) - Self.body, size: 14)
        if let remark {
            layout.skip(Self.lineHeight)
            layout.lines(CJKMetrics.wrap(remark, width: Self.textWidth, size: 14), indent: 0, size: 14)
        }
        var writer = PDFWriter(title: title, author: issuer, created: issuedAt)
        for page in layout.finishedPages() { writer.add(page) }
        return writer.data()
    }

    /// Lines the signature block takes below the body (space, issuer, date, seal).
    static let signatureLines = 5

    static func lineCount(_ block: Block) -> Int {
        switch block {
        case .paragraph(let text):
            return CJKMetrics.wrap(text, width: textWidth, size: body, firstIndent: 2 * body).count
        case .item(let number, let text, let note):
            return CJKMetrics.wrap("\(number)．" + text, width: textWidth, size: body, firstIndent: 2 * body).count
                + (note.map { CJKMetrics.wrap($0, width: textWidth, size: 14, firstIndent: 2 * body).count } ?? 0)
        }
    }

    /// A cursor down the pages.
    struct Layout {
        var pages: [PDFPage] = []
        var page = PDFPage()
        var y = OfficialDocument.top

        mutating func newPage() {
            pages.append(page)
            page = PDFPage()
            y = OfficialDocument.top
        }

        /// Moves to a new page unless `lines` more lines fit on this one.
        mutating func keep(lines: Int) {
            if y - Double(lines) * OfficialDocument.lineHeight < OfficialDocument.bottom { newPage() }
        }

        mutating func skip(_ height: Double) { y -= height }

        mutating func centered(_ text: String, size: Double, bold: Bool = false, color: PDFPage.Color = .black, advance: Double) {
            keep(lines: 1)
            let w = CJKMetrics.width(text, size: size)
            page.text(text, x: OfficialDocument.left + (OfficialDocument.textWidth - w) / 2, y: y - size, size: size, bold: bold, color: color)
            y -= advance
        }

        mutating func rule() {
            page.line(from: (OfficialDocument.left, y - 8), to: (OfficialDocument.left + OfficialDocument.textWidth, y - 8), width: 1.5, color: .red)
        }

        mutating func at(_ text: String, x: Double, size: Double) {
            keep(lines: 1)
            page.text(text, x: x, y: y - size, size: size)
            y -= OfficialDocument.lineHeight
        }

        mutating func lines(_ lines: [String], indent: Double, size: Double = OfficialDocument.body) {
            for (i, line) in lines.enumerated() {
                keep(lines: 1)
                page.text(line, x: OfficialDocument.left + (i == 0 ? indent : 0), y: y - size, size: size)
                y -= OfficialDocument.lineHeight * (size == OfficialDocument.body ? 1 : 0.85)
            }
        }

        mutating func paragraph(_ text: String, indent: Double, size: Double = OfficialDocument.body) {
            lines(CJKMetrics.wrap(text, width: OfficialDocument.textWidth, size: size, firstIndent: indent), indent: indent, size: size)
        }

        /// The pages with their numbers (`— 1 —`, centred at the foot, as GB/T 9704 places them).
        mutating func finishedPages() -> [PDFPage] {
            pages.append(page)
            return pages.enumerated().map { i, p in
                var numbered = p
                let label = "— \(i + 1) —"
                numbered.text(label, x: (PDFWriter.pageWidth - CJKMetrics.width(label, size: 14)) / 2, y: 60, size: 14)
                return numbered
            }
        }
    }
}
