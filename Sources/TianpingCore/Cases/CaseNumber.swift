/// A court case number (案号) in the form fixed by the SPC's 2016 rules: `（2023）黔0102刑初123号`.
///
/// Parts: the year in full-width parentheses, the court code (province abbreviation, then two digits for
/// an intermediate court or four for a basic court; none for a high court), the case-type code
/// (刑初, 民终, 执 …) and a serial number followed by 号.
public struct CourtCaseNumber: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    /// The court code, e.g. `黔0102`.
    public let courtCode: String
    /// The province abbreviation (`黔`), `兵` for the Xinjiang Production and Construction Corps, or `最高法`.
    public let provinceAbbreviation: String
    /// The case-type code, e.g. `刑初`.
    public let typeCode: String
    public let serial: Int

    /// Province abbreviations used in court codes, keyed to their GB/T 2260 province prefix.
    public static let provinceAbbreviations: [String: String] = [
        "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "内": "15", "辽": "21", "吉": "22", "黑": "23",
        "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
        "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "黔": "52",
        "云": "53", "滇": "53", "藏": "54", "陕": "61", "甘": "62", "青": "63", "宁": "64", "新": "65", "兵": "66",
    ]

    /// Case-type codes in use (刑事, 民事, 行政, 执行, 国家赔偿 and related), longest first for matching.
    public static let typeCodes: [String] = [
        "刑初", "刑终", "刑再", "刑更", "刑核", "刑监", "刑申", "刑抗", "刑辖", "刑赔", "刑他", "刑医", "刑没", "刑止",
        "民初", "民终", "民再", "民申", "民监", "民抗", "民特", "民催", "民督", "民辖", "民破", "民他", "民诉前调",
        "行初", "行终", "行再", "行申", "行监", "行抗", "行审", "行辖", "行赔", "行他",
        "执恢", "执保", "执异", "执复", "执监", "执协", "执他", "执",
        "财保", "司救", "司惩", "认台", "请台", "赔", "委赔",
    ].sorted { $0.count > $1.count }

    /// Which kind of case a type code belongs to.
    public var caseType: CaseType? {
        switch typeCode.first {
        case "刑": return .criminal
        case "民": return .civil
        case "行": return .administrative
        case "执": return .enforcement
        default: return nil
        }
    }

    /// Whether the number is a first-instance (初), second-instance (终) or other case.
    public var instance: Int? {
        if typeCode.hasSuffix("初") { return 1 }
        if typeCode.hasSuffix("终") { return 2 }
        return nil
    }

    public var description: String { "（\(year)）\(courtCode)\(typeCode)\(serial)号" }

    /// Why a text is not a valid 案号.
    public struct Problem: Error, Equatable, Sendable {
        public let message: String
    }

    /// Parses a 案号; half-width parentheses are accepted and normalised to full width.
    public static func parse(_ raw: String) -> Result<CourtCaseNumber, Problem> {
        var text = Substring(raw)
        while let f = text.first, f == " " || f == "\u{3000}" { text = text.dropFirst() }
        while let l = text.last, l == " " || l == "\u{3000}" { text = text.dropLast() }
        func fail(_ m: String) -> Result<CourtCaseNumber, Problem> { .failure(Problem(message: "案号“\(raw)”无效：\(m)")) }
        guard let open = text.first, open == "（" || open == "(" else { return fail("应以（年份）开头") }
        text = text.dropFirst()
        let yearDigits = text.prefix(4)
        guard yearDigits.count == 4, let year = Int(yearDigits), (1949...2100).contains(year) else {
            return fail("年份应为四位数字")
        }
        text = text.dropFirst(4)
        guard let close = text.first, close == "）" || close == ")" else { return fail("年份后应为右括号") }
        text = text.dropFirst()
        let abbreviation: String
        if text.hasPrefix("最高法") {
            abbreviation = "最高法"
            text = text.dropFirst(3)
        } else if let first = text.first, provinceAbbreviations[String(first)] != nil {
            abbreviation = String(first)
            text = text.dropFirst()
        } else {
            return fail("缺少省份简称（如“黔”）")
        }
        let courtDigits = text.prefix { $0.isASCII && $0.isNumber }
        guard [0, 2, 4].contains(courtDigits.count) else { return fail("法院代字后的数字应为0、2或4位") }
        if abbreviation == "最高法", !courtDigits.isEmpty { return fail("最高人民法院代字后不应有数字") }
        text = text.dropFirst(courtDigits.count)
        guard let typeCode = typeCodes.first(where: { text.hasPrefix($0) }) else { return fail("类型代字无法识别") }
        text = text.dropFirst(typeCode.count)
        let serialDigits = text.prefix { $0.isASCII && $0.isNumber }
        guard !serialDigits.isEmpty, serialDigits.count <= 7, let serial = Int(serialDigits), serial > 0 else {
            return fail("案件编号应为正整数")
        }
        text = text.dropFirst(serialDigits.count)
        guard text == "号" else { return fail("应以“号”结尾") }
        return .success(CourtCaseNumber(
            year: year, courtCode: abbreviation + courtDigits, provinceAbbreviation: abbreviation,
            typeCode: typeCode, serial: serial))
    }
}

/// The number an agency gives a case in its own system (公安 立案编号, 检察 案号, 法院 案号).
///
/// Court numbers must parse as ``CourtCaseNumber``. Police and procuratorate numbers vary by system and are
/// checked only for the shared shape `…〔2023〕123号` (year in 〔〕, a serial, 号).
public struct AgencyCaseNumber: Hashable, Sendable, Codable {
    public var agency: String
    public var number: String

    public init(agency: String, number: String) {
        self.agency = agency
        self.number = number
    }

    /// Checks the shape of a police or procuratorate number: a prefix, `〔yyyy〕`, digits, `号`.
    public static func isWellFormedNonCourtNumber(_ number: String) -> Bool {
        guard let open = number.firstIndex(where: { $0 == "〔" || $0 == "[" }),
            let close = number.firstIndex(where: { $0 == "〕" || $0 == "]" }), open < close
        else { return false }
        let year = number[number.index(after: open)..<close]
        guard year.count == 4, Int(year) != nil, number.hasSuffix("号") else { return false }
        let serial = number[number.index(after: close)...].dropLast()
        return !serial.isEmpty && serial.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
