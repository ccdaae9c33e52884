/// Display masks for personal data, following the SPC rules on publishing judgments (法释〔2016〕19号 Art. 8–10)
/// and the common display conventions, tightened after the security review (issue 14): a masked view must not let
/// its reader narrow a person down by combining what it shows.
///
/// Officials (judges, prosecutors, investigators, clerks) and defence counsel are never masked: hiding
/// them is itself an error.
public enum Masking {
    /// Internal display: the first character kept, the rest `*` (张** ).
    public static func displayName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// Publication: the surname kept and the given name replaced by 某 (SPC Art. 9). Two-character
    /// compound surnames are recognised.
    public static func publicationName(_ name: String) -> String {
        guard let first = name.first else { return name }
        if first.isASCII { return String(first) }
        let surname = compoundSurnames.contains(String(name.prefix(2))) && name.count > 2 ? String(name.prefix(2)) : String(first)
        return surname + "某"
    }

    static let compoundSurnames: Set<String> = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯"]

    /// Identity number: only the six-digit region code kept (520102************). The birth date, the sequence
    /// number (which carries the sex) and the check character are hidden: with the last four shown, the sex and the
    /// birth year in the same view left about 33 candidates. Anything that does not start with a region code is
    /// hidden entirely.
    public static func idNumber(_ value: String) -> String {
        let chars = Array(value)
        let keep = chars.count > 6 && chars.prefix(6).allSatisfy { $0.isASCII && $0.isNumber } ? 6 : 0
        return String(chars.prefix(keep)) + String(repeating: "*", count: chars.count - keep)
    }

    /// Phone: a mobile or a landline with its area code shows the first three and the last four (138****1234); a
    /// shorter number only its last two, so that a mask never shows most of the digits.
    public static func phone(_ value: String) -> String {
        let chars = Array(value)
        if chars.count >= 11 {
            return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
        }
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 2) + String(chars.suffix(2))
    }

    /// Bank card or account: first 6 and last 4 (622202******1234).
    public static func bankCard(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// Address: kept up to the county-level unit, the rest replaced (贵州省贵阳市云岩区****). The administrative
    /// part is read as the hierarchy 省 → 市 → 县/区 (``administrativePrefixLength(_:)``), so a street, village or
    /// housing estate (幸福小区) is never kept even when the address names no county.
    public static func address(_ value: String) -> String {
        String(Array(value).prefix(administrativePrefixLength(Array(value)))) + "****"
    }

    /// Age band for masked views, instead of a birth date or year: 未成年 under 18, then ten-year bands
    /// (18–29岁, 30–39岁 … 70岁以上). Together with the region code and the sex it leaves about a million identity
    /// numbers (and tens of thousands even for a band of one year), where a birth year left a few hundred.
    public static func ageBand(born birth: CalendarDate, on date: CalendarDate) -> String {
        let age = age(born: birth, on: date)
        switch age {
        case ..<18: return "未成年"
        case 18..<30: return "18–29岁"
        case 70...: return "70岁以上"
        default:
            let low = age / 10 * 10
            return "\(low)–\(low + 9)岁"
        }
    }

    /// Whole years completed on `date` (a birthday on 29 February is reached on 1 March in common years).
    public static func age(born birth: CalendarDate, on date: CalendarDate) -> Int {
        let years = date.year - birth.year
        return (date.month, date.day) < (birth.month, birth.day) ? years - 1 : years
    }

    /// The name a person is shown under, given their role: parties masked, officials and counsel not.
    public static func name(_ name: String, role: PersonRole) -> String {
        switch role {
        case .caseOfficer, .prosecutor, .judge, .correctionOfficer, .defenseLawyer, .litigationAgent: return name
        default: return displayName(name)
        }
    }

    // MARK: - The administrative part of an address

    /// How many leading characters of an address are its administrative units: an optional province (…省,
    /// …自治区, a municipality such as 北京市, …特别行政区), an optional prefecture (…市, …自治州, …地区, …盟) and an
    /// optional county-level unit (…区, …县, …市, …旗, …特区, …林区), each in that order and each at most once.
    ///
    /// A unit name is short and never holds a street or building word, a digit or another unit's suffix, and a
    /// `区` that ends a non-administrative word (小区, 社区, 园区, 开发区 …) is not a district. Anything the parse
    /// is unsure of is left out of the prefix, so it is masked: a doubtful address keeps less, never more.
    public static func administrativePrefixLength(_ chars: [Character], from start: Int = 0) -> Int {
        var i = start
        if let end = province(chars, from: i) { i = end }
        let municipality = i > start && municipalities.contains(String(chars[start..<i]))
        if !municipality, let end = unit(chars, from: i, suffixes: prefectureSuffixes, maxBody: 10, forbidden: ["区", "县", "旗", "省"]) {
            i = end
        }
        if let end = unit(chars, from: i, suffixes: countySuffixes, maxBody: 8, forbidden: ["省", "盟"]) {
            i = end
        }
        return i - start
    }

    static let municipalities: Set<String> = ["北京市", "天津市", "上海市", "重庆市"]
    static let prefectureSuffixes = ["自治州", "地区", "市", "盟"]
    static let countySuffixes = ["自治县", "自治旗", "特区", "林区", "区", "县", "市", "旗"]

    /// Words ending in 区 that are places inside a county, not counties.
    static let nonAdministrativeDistricts = [
        "小区", "社区", "园区", "校区", "街区", "景区", "片区", "厂区", "营区", "院区", "库区", "生活区", "住宅区", "宿舍区", "家属区",
        "开发区", "高新区", "工业区", "商业区", "商务区", "服务区", "保税区", "示范区", "试验区", "实验区", "功能区", "物流区", "产业区",
        "集聚区", "风景区", "旅游区", "度假区", "安置区", "办公区", "教学区", "病区", "监区", "分区", "专区", "东区", "西区", "南区", "北区",
        "中区",
    ]

    /// Districts whose names end like the words above (攀枝花市东区, 济南市市中区, 天津市河东区 …).
    static let districtsLikePlaces: Set<String> = [
        "东区", "西区", "城区", "郊区", "矿区", "市中区", "城中区", "城东区", "城西区", "城北区", "河东区", "河西区", "河北区", "江北区",
        "江南区", "江东区",
    ]

    /// Characters that mark a street, a building, a village or a number: never inside the name of an
    /// administrative unit after its first character (路北区 and 镇宁县 are real; 鼓楼区, 龙湾区, 江门市 and 潍坊市
    /// are why 楼, 湾, 门 and 坊 are not listed).
    static let streetCharacters: Set<Character> = [
        "路", "街", "巷", "弄", "号", "栋", "幢", "室", "村", "组", "镇", "苑", "园", "庭", "院", "场", "寓", "舍", "座", "层", "单", "期",
        "墅", "所", "局", "委", "队", "站", "厅", "馆", "校", "厂", "店",
    ]

    /// The end of a province-level unit at `start`, if there is one.
    static func province(_ chars: [Character], from start: Int) -> Int? {
        let rest = chars[start...]
        for m in municipalities where rest.starts(with: m) { return start + m.count }
        for (suffix, maxBody) in [("特别行政区", 2), ("自治区", 6), ("省", 3)] {
            let s = Array(suffix)
            var i = start + 2
            while i + s.count <= chars.count, i - start <= maxBody {
                if Array(chars[i..<(i + s.count)]) == s {
                    let body = chars[start..<i]
                    guard body.allSatisfy(isUnitCharacter) else { return nil }
                    return i + s.count
                }
                guard isUnitCharacter(chars[i]) else { break }
                i += 1
            }
        }
        return nil
    }

    /// The end of the shortest unit at `start` that ends in one of `suffixes` and passes the checks above.
    static func unit(_ chars: [Character], from start: Int, suffixes: [String], maxBody: Int, forbidden: Set<Character>) -> Int? {
        guard start < chars.count, isUnitCharacter(chars[start]), !forbidden.contains(chars[start]) else { return nil }
        var i = start + 1
        while i < chars.count, i - start <= maxBody + 8 {
            for suffix in suffixes {
                let s = Array(suffix)
                guard i + s.count <= chars.count, Array(chars[i..<(i + s.count)]) == s else { continue }
                let name = String(chars[start..<(i + s.count)])
                // District names are short (石景山区, 克拉玛依区); autonomous units are long (通道侗族自治县).
                let limit = name.contains("自治") ? maxBody + 8 : suffix == "区" ? min(maxBody, 4) : maxBody
                guard i - start <= limit else { return nil }
                if suffix == "区", !districtsLikePlaces.contains(name) {
                    // 幸福小区, 经济开发区, and numbered parts of an estate (二区, 三期区) are not districts.
                    if nonAdministrativeDistricts.contains(where: { name.hasSuffix($0) }) { return nil }
                    if "一二三四五六七八九十期".contains(chars[i - 1]) { return nil }
                }
                return i + s.count
            }
            let c = chars[i]
            guard isUnitCharacter(c), !forbidden.contains(c), !streetCharacters.contains(c) else { return nil }
            i += 1
        }
        return nil
    }

    /// A Han character that may stand in a place name.
    static func isUnitCharacter(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return false }
        return (0x4E00...0x9FFF).contains(scalar.value) && c != "某"
    }
}
