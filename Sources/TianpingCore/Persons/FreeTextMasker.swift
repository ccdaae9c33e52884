/// Masks personal data inside free text — an event's reason or recipient, a document's title or number, an evidence
/// description, a finding's explanation — the way the structured fields are masked (issue 14, item 9).
///
/// Two layers. First the exact values the case itself holds for its persons (names, identity numbers, phones,
/// addresses), each replaced by what a masked view shows for it; officials' names are kept and protected, so a
/// party's name inside an official's is not touched. Then patterns, for what the case does not hold: identity
/// numbers, mobile and landline numbers, bank cards and accounts, vehicle plates, and addresses below the county
/// (a street with a house number, a housing estate, a building and unit). A doubtful span is masked: free text
/// masked too much is still readable, a phone number left in it is a leak.
///
/// Names of people who are not the case's persons (a relative named only in a reason) cannot be recognised by
/// pattern and are not masked; agencies send relations (近亲属), not relatives' names.
public struct FreeTextMasker: Sendable, Hashable {
    /// Exact text and what to show instead, longest first.
    private var known: [Replacement]
    /// Whether anything is masked at all (an audited unmask shows the text as stored).
    public let enabled: Bool

    struct Replacement: Sendable, Hashable {
        var original: [Character]
        var shown: [Character]
    }

    /// A masker that knows no case: patterns only.
    public static let patterns = FreeTextMasker()
    /// A masker that changes nothing (an unmasked view).
    public static let none = FreeTextMasker(enabled: false)

    /// `known` maps exact values to what to show; a value mapped to itself is protected from every layer.
    public init(known: [(original: String, shown: String)] = [], enabled: Bool = true) {
        var seen = Set<String>()
        self.known = known.filter { !$0.original.isEmpty && seen.insert($0.original).inserted }
            .map { Replacement(original: Array($0.original), shown: Array($0.shown)) }
            .sorted { $0.original.count > $1.original.count }
        self.enabled = enabled
    }

    public func callAsFunction(_ text: String) -> String {
        guard enabled, !text.isEmpty else { return text }
        var chars = Array(text)
        var protected = [Bool](repeating: false, count: chars.count)
        (chars, protected) = replaceKnown(chars)
        (chars, protected) = maskNumbers(chars, protected)
        (chars, protected) = maskPlates(chars, protected)
        chars = maskAddresses(chars, protected)
        return String(chars)
    }

    public func callAsFunction(_ text: String?) -> String? { text.map { self($0) } }

    // MARK: - Known values

    /// Replaces known values, longest match first at each position; the output's characters are marked as protected
    /// so that the patterns do not work on what is already shown on purpose.
    func replaceKnown(_ chars: [Character]) -> ([Character], [Bool]) {
        guard !known.isEmpty else { return (chars, [Bool](repeating: false, count: chars.count)) }
        var out: [Character] = []
        var protected: [Bool] = []
        out.reserveCapacity(chars.count)
        var i = 0
        scan: while i < chars.count {
            for r in known where r.original.count <= chars.count - i && chars[i] == r.original[0] {
                if chars[i..<(i + r.original.count)].elementsEqual(r.original) {
                    out += r.shown
                    protected += [Bool](repeating: true, count: r.shown.count)
                    i += r.original.count
                    continue scan
                }
            }
            out.append(chars[i])
            protected.append(false)
            i += 1
        }
        return (out, protected)
    }

    // MARK: - Numbers

    /// Identity numbers, phones and bank cards: a run of digits (groups joined by one space or hyphen, as
    /// `138-0013-8000` or `6222 0212 3456 7890`) that does not belong to a longer code with letters (a case id
    /// `TP52010220240000001`, an agency code `520102GA01`).
    func maskNumbers(_ chars: [Character], _ protected: [Bool]) -> ([Character], [Bool]) {
        var out: [Character] = []
        var outProtected: [Bool] = []
        var i = 0
        while i < chars.count {
            guard Self.isDigit(chars[i]), !protected[i], i == 0 || !Self.isASCIIAlphanumeric(chars[i - 1]) || protected[i - 1] else {
                out.append(chars[i])
                outProtected.append(protected[i])
                i += 1
                continue
            }
            var j = i
            var digits: [Character] = []
            var group = 0
            while j < chars.count, !protected[j] {
                if Self.isDigit(chars[j]) {
                    digits.append(chars[j])
                    group += 1
                    j += 1
                } else if chars[j] == " " || chars[j] == "-", group >= 3, j + 1 < chars.count, Self.isDigit(chars[j + 1]), !protected[j + 1] {
                    group = 0
                    j += 1
                } else {
                    break
                }
            }
            if digits.count == 17, j < chars.count, chars[j] == "X" || chars[j] == "x" {
                digits.append("X")
                j += 1
            }
            if j < chars.count, Self.isASCIIAlphanumeric(chars[j]), !protected[j] {
                // Part of a code with letters: copy the whole code unchanged.
                while j < chars.count, Self.isASCIIAlphanumeric(chars[j]) || chars[j] == "-", !protected[j] { j += 1 }
                out += chars[i..<j]
                outProtected += [Bool](repeating: false, count: j - i)
            } else if let masked = Self.maskedNumber(digits, cue: String(chars[max(0, i - 6)..<i])) {
                out += masked
                outProtected += [Bool](repeating: true, count: masked.count)
            } else {
                out += chars[i..<j]
                outProtected += [Bool](repeating: false, count: j - i)
            }
            i = j
        }
        return (out, outProtected)
    }

    static let phoneCues = ["电话", "手机", "座机", "联系", "号码", "热线", "tel", "Tel", "TEL"]

    /// The masked form of a number, or `nil` for a number that identifies nobody (a year, an amount, a serial).
    static func maskedNumber(_ digits: [Character], cue: String) -> String? {
        let d = String(digits)
        let n = digits.count
        if n == 18 || n == 15, RegionCode(String(d.prefix(6))) != nil { return Masking.idNumber(d) }
        if n == 11, digits[0] == "1", "3456789".contains(digits[1]) { return Masking.phone(d) }
        if n == 13, d.hasPrefix("861"), "3456789".contains(digits[3]) { return Masking.phone(d) }
        if digits[0] == "0", (10...12).contains(n) { return Masking.phone(d) }
        if n >= 12 { return Masking.bankCard(d) }
        if (7...8).contains(n), phoneCues.contains(where: { cue.contains($0) }) { return Masking.phone(d) }
        return nil
    }

    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
    static func isASCIIAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    // MARK: - Vehicle plates

    /// Province abbreviations that begin a plate (GA 36).
    static let plateProvinces: Set<Character> = [
        "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕", "吉",
        "闽", "贵", "粤", "青", "藏", "川", "宁", "琼", "使", "领",
    ]

    /// `贵A12345`, `贵A·D12345` (new-energy), `贵A1234学`: the province and the letter kept, the rest hidden.
    func maskPlates(_ chars: [Character], _ protected: [Bool]) -> ([Character], [Bool]) {
        var out: [Character] = []
        var outProtected: [Bool] = []
        var i = 0
        while i < chars.count {
            if !protected[i], Self.plateProvinces.contains(chars[i]), i + 1 < chars.count, Self.isPlateLetter(chars[i + 1]),
                i == 0 || !Self.isASCIIAlphanumeric(chars[i - 1])
            {
                var j = i + 2
                if j < chars.count, "·•.- ".contains(chars[j]) { j += 1 }
                let start = j
                while j < chars.count, Self.isPlateLetter(chars[j]) || Self.isDigit(chars[j]), j - start < 7 { j += 1 }
                let body = chars[start..<j]
                if j < chars.count, "挂学警港澳领".contains(chars[j]), body.count == 4 || body.count == 5 { j += 1 }
                let tail = chars[start..<j]
                let boundary = j == chars.count || !Self.isASCIIAlphanumeric(chars[j])
                if boundary, (5...6).contains(tail.count), body.contains(where: Self.isDigit), !protected[i..<j].contains(true) {
                    let masked = Array(String(chars[i]) + String(chars[i + 1]) + "*****")
                    out += masked
                    outProtected += [Bool](repeating: true, count: masked.count)
                    i = j
                    continue
                }
            }
            out.append(chars[i])
            outProtected.append(protected[i])
            i += 1
        }
        return (out, outProtected)
    }

    static func isPlateLetter(_ c: Character) -> Bool { c.isASCII && c.isUppercase }

    // MARK: - Addresses

    /// Streets or villages followed by a number (中华北路1号, 某街道12号, 幸福村3组).
    static let numberedPlaces: Set<Character> = ["路", "街", "巷", "弄", "道", "村"]
    /// Housing estates and buildings, with or without a number.
    static let estates: [[Character]] = ["小区", "花园", "公寓", "大厦", "家园", "新村", "山庄", "社区", "胡同"].map { Array($0) }
    /// 社区 followed by these is the community-correction system or a service, not an address.
    static let notCommunities: [[Character]] = ["矫正", "服刑", "戒毒", "康复", "工作", "民警", "警务", "服务", "医院", "卫生"].map { Array($0) }
    /// A number followed by these is a building, unit or room.
    static let buildingParts: [[Character]] = ["号楼", "单元", "栋", "幢", "室"].map { Array($0) }
    /// Words a place name does not extend back over (住在幸福小区: the place starts after 在).
    static let leftStops: Set<Character> = [
        "住", "在", "于", "至", "到", "往", "址", "为", "是", "自", "从", "居", "的", "和", "与", "及", "其", "即", "系", "位", "赴", "经", "向", "将",
        "省", "市", "县", "旗", "盟", "州", "*",
    ]

    /// Every span that looks like an address below the county is replaced by `****`: from the place word back to
    /// the administrative part or the word before it, forward to the end of the clause.
    func maskAddresses(_ chars: [Character], _ protected: [Bool]) -> [Character] {
        var hits: [(start: Int, end: Int)] = []
        var i = 0
        while i < chars.count {
            defer { i += 1 }
            guard !protected[i] else { continue }
            let rest = chars[i...]
            if Self.numberedPlaces.contains(chars[i]), i + 1 < chars.count, Self.isDigit(chars[i + 1]) {
                hits.append((i, i + 1))
            } else if let estate = Self.estates.first(where: { rest.starts(with: $0) }) {
                let after = chars[(i + estate.count)...]
                if estate == Array("社区"), Self.notCommunities.contains(where: { after.starts(with: $0) }) { continue }
                hits.append((i, i + estate.count))
            } else if Self.isDigit(chars[i]), i == 0 || !Self.isDigit(chars[i - 1]) {
                var j = i
                while j < chars.count, Self.isDigit(chars[j]) || chars[j] == "-" { j += 1 }
                if Self.buildingParts.contains(where: { chars[j...].starts(with: $0) }) { hits.append((i, j + 1)) }
            }
        }
        guard !hits.isEmpty else { return chars }
        var out: [Character] = []
        var copied = 0
        for hit in hits where hit.start >= copied {
            var left = hit.start
            while left > copied, hit.start - left < 10 {
                let c = chars[left - 1]
                if protected[left - 1] || Self.isBoundary(c) || Self.leftStops.contains(c) { break }
                if c == "区", left >= 2, !"小园社校片街景厂营一二三四五六七八九十期".contains(chars[left - 2]) { break }
                left -= 1
            }
            var right = hit.end
            while right < chars.count, right - left < 40, !Self.isBoundary(chars[right]), chars[right] != "的", !protected[right] { right += 1 }
            out += chars[copied..<left]
            out += Array("****")
            copied = right
        }
        out += chars[copied...]
        return out
    }

    /// Punctuation and white space end a clause, and so an address.
    static func isBoundary(_ c: Character) -> Bool {
        (c.isPunctuation || c.isWhitespace || c.isSymbol) && c != "-" && c != "#" && c != "－"
    }
}
