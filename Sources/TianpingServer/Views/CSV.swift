import Foundation
import Hummingbird
import TianpingCore

/// CSV downloads: UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly; RFC 4180 quoting.
enum CSV {
    static func response(_ rows: [[String]], filename: String) -> Response {
        let text = "\u{FEFF}" + rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        return Response(status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An instant as a spreadsheet reads a date and time (`2026-12-04 01:46`, Beijing time), so that the column sorts
    /// and filters as dates — not ISO 8601 with `T` and an offset, which Excel keeps as text.
    static func dateTime(_ seconds: Int64) -> String {
        Timestamp(secondsSinceEpoch: seconds).localDate.description + " " + ChineseDates.clock(seconds)
    }

    /// A spreadsheet cell as CSV text.
    static func text(_ cell: XLSX.Cell) -> String {
        switch cell {
        case .text(let s): return s
        case .number(let n): return XLSX.numberText(n)
        case .dateTime(let seconds): return dateTime(seconds)
        }
    }

    /// A file name part made of ASCII letters, digits and `-` only (a case id may hold anything).
    static func safeFilename(_ value: String) -> String {
        String(value.unicodeScalars.filter { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0)))) || $0 == "-" }.map(Character.init))
    }

    static func quote(_ field: String) -> String {
        // A leading = + - @ would be a formula in a spreadsheet, and so would one after a leading tab or carriage
        // return (which spreadsheets drop): prefix it so the cell stays text (OWASP CSV injection).
        var value = field
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The party list of a case, masked as the caller sees it.
enum PersonsCSV {
    static func rows(_ persons: [PersonView]) -> [[String]] {
        // An age band, not a birth year: with the region code and the sex a year narrows the identity number.
        [["编号", "角色", "姓名", "性别", "年龄段", "身份证号", "电话", "住址", "所属机构"]]
            + persons.map { p in
                [p.id, p.roleName, p.name, p.gender ?? "", p.ageBand ?? "", p.idNumber ?? "", p.phone ?? "",
                    p.address ?? "", p.agency ?? ""]
            }
    }
}
