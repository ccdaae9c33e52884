import Foundation
import Testing

@testable import TianpingDocuments

@Suite struct PDFWriterTests {
    static let notice = OfficialDocument(
        issuer: "天平省委政法委", number: "天平省委政法委督〔2026〕12号", title: "督办通知书", recipient: "青石市公安局",
        blocks: [
            .paragraph("经执法司法制约监督平台数据比对，你单位承办的（2026）黔0102刑初15号案件存在下列风险，现予督办："),
            .item(number: 1, text: "拘留后提请批准逮捕超期：拘留后 9 日提请批准逮捕，超过法定期限。", note: "依据：《刑事诉讼法》第九十一条"),
            .paragraph("请于2026年12月14日前签收并开展核查。"),
        ],
        signatory: "天平省委政法委", date: "2026年12月7日", remark: "经办人：张三", issuedAt: Date(timeIntervalSince1970: 1_796_000_000))

    /// The file's cross-reference table must point at each object, or readers fall back to repairing the file.
    @Test func crossReferenceOffsetsPointAtTheirObjects() throws {
        let bytes = Self.notice.pdf()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.7\n"))
        #expect(text.hasSuffix("%%EOF\n"))
        let startxref = try #require(text.range(of: "startxref\n", options: .backwards))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        let table = bytes[xrefOffset...]
        let tableText = String(decoding: table, as: UTF8.self)
        #expect(tableText.hasPrefix("xref\n0 "))
        let lines = tableText.split(separator: "\n").dropFirst(2)
        var checked = 0
        for (number, line) in lines.enumerated() where line.hasSuffix(" n ") || line.hasSuffix(" n") {
            let offset = try #require(Int(line.prefix(10)))
            let header = Array("\(number) 0 obj".utf8)
            #expect(Array(bytes[offset..<offset + header.count]) == header, "object \(number) at \(offset)")
            checked += 1
        }
        #expect(checked >= 9)
    }

    /// Chinese text is written as UCS-2 codes (hex) that the ToUnicode map covers, so it can be found and copied.
    @Test func textIsWrittenAsUCS2WithAToUnicodeRange() {
        let text = String(decoding: Self.notice.pdf(), as: UTF8.self)
        // 督 is U+7763; 办 U+529E.
        #expect(text.contains("7763529E"))
        #expect(text.contains("<7700> <77FF> <7700>"))
        #expect(text.contains("<5200> <52FF> <5200>"))
        #expect(text.contains("/Encoding /UniGB-UCS2-H"))
    }

    @Test func sameDocumentSameBytes() {
        #expect(Self.notice.pdf() == Self.notice.pdf())
        var other = Self.notice
        other.date = "2026年12月8日"
        #expect(other.pdf() != Self.notice.pdf())
    }

    @Test func longDocumentsRunOntoNumberedPages() {
        var long = Self.notice
        long.blocks = (1...60).map { .item(number: $0, text: String(repeating: "超期羁押风险提示", count: 6), note: "依据：第九十一条") }
        let text = String(decoding: long.pdf(), as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page ").count - 1
        #expect(pages > 3)
        #expect(text.contains("/Count \(pages)"))
    }

    @Test func wrappingKeepsWidthsAndPunctuationRules() {
        let size = 16.0
        let lines = CJKMetrics.wrap(String(repeating: "案", count: 27) + "件，编号ABC123", width: 28 * size, size: size)
        #expect(lines.count == 2)
        // The comma may not begin a line: it hangs at the end of the first.
        #expect(lines[0].hasSuffix("件，"))
        #expect(lines[1] == "编号ABC123")
        // An opening bracket may not end a line: it moves down with what it opens.
        let bracket = CJKMetrics.wrap(String(repeating: "字", count: 26) + "的（2022）黔", width: 28 * size, size: size)
        #expect(bracket == [String(repeating: "字", count: 26) + "的", "（2022）黔"])
        // The first line's indent is taken once: 26 characters after a two-character indent.
        let indented = CJKMetrics.wrap(String(repeating: "字", count: 30), width: 28 * size, size: size, firstIndent: 2 * size)
        #expect(indented.map(\.count) == [26, 4])
        // An ASCII word that fits is never split.
        let words = CJKMetrics.wrap(String(repeating: "字", count: 26) + "TP5201022024001", width: 28 * size, size: size)
        #expect(words == [String(repeating: "字", count: 26), "TP5201022024001"])
        // A word longer than a line is split by characters.
        let code = String(repeating: "X", count: 80)
        #expect(CJKMetrics.wrap(code, width: 28 * size, size: size).allSatisfy { CJKMetrics.width($0, size: size) <= 28 * size })
        #expect(CJKMetrics.width("ab中", size: 10) == 20)
        #expect(CJKMetrics.wrap("", width: 100, size: 10) == [""])
    }

    @Test func charactersOutsideUCS2AreReplacedNotDropped() {
        #expect(CJKMetrics.drawableUnits("a𠀀\n") == [0x61, 0xFF1F, 0x20])
    }
}
