import TianpingCore

/// The fictional province the generator populates: 天平省, with the GB/T 2260 structure of a real
/// province (code prefix 52, court abbreviation 黔, so that 案号 and region codes validate) but invented
/// cities, counties, agencies and people.
struct ProvinceLayout {
    struct City {
        var code: RegionCode
        var name: String
        /// One-character short name used in document numbers (青石市 → 青).
        var short: String
        var counties: [County]
    }

    struct County {
        var code: RegionCode
        var name: String
        var cityIndex: Int
        /// Four digits after the province prefix, the basic court's code in 案号 (`黔0102`).
        var courtDigits: String { String(code.text.dropFirst(2)) }
    }

    static let provincePrefix = "52"
    static let provinceName = "天平省"
    static let abbreviation = "黔"

    static let cityNames = ["青石", "云岭", "河阳", "松溪", "明川", "白鹭", "金沙", "丹霞", "临江"]
    static let countiesPerCity = [6, 5, 4, 7, 3, 5, 4, 6, 4]
    static let countyStems = [
        "东湖", "西山", "南屏", "北塘", "长宁", "永安", "新华", "平塘", "和平", "清源", "兴隆", "安平", "广福", "龙泉",
        "桃源", "凤山", "石门", "望江", "太平", "万和", "柳溪", "青云", "宝丰", "德胜", "梅岭", "双河", "高桥", "玉屏",
        "竹林", "莲花", "乐安", "富民", "怀远", "靖安", "仁和", "文昌", "崇义", "宁远", "瑞金", "会同", "通道", "江华",
        "嘉禾", "临武", "宜章",
    ]

    let cities: [City]
    var counties: [County] { cities.flatMap(\.counties) }

    init() {
        var stem = 0
        var cities: [City] = []
        for (i, name) in Self.cityNames.enumerated() {
            let cityCode = Self.provincePrefix + FixedDigits.two(i + 1)
            var counties: [County] = []
            for j in 0..<Self.countiesPerCity[i] {
                let suffix = j < 2 ? "区" : "县"
                counties.append(County(code: RegionCode(cityCode + FixedDigits.two(j + 1))!,
                    name: Self.countyStems[stem % Self.countyStems.count] + suffix, cityIndex: i))
                stem += 1
            }
            cities.append(City(code: RegionCode(cityCode + "00")!, name: name + "市", short: String(name.prefix(1)),
                counties: counties))
        }
        self.cities = cities
    }

    static var provinceCode: RegionCode { RegionCode(provincePrefix + "0000")! }

    static func agencyCode(_ region: RegionCode, _ kind: AgencyKind, _ serial: Int = 1) -> String {
        region.text + kind.codeLetters + FixedDigits.two(serial)
    }

    /// Prisons are provincial; cases are assigned to them by city.
    static let prisonCount = 4

    /// Every agency of the province, parents before children.
    func agencies() -> [Agency] {
        let p = Self.provinceCode
        var result: [Agency] = [
            Agency(code: Self.agencyCode(p, .publicSecurity), kind: .publicSecurity, name: "\(Self.provinceName)公安厅",
                region: p, level: .province),
            Agency(code: Self.agencyCode(p, .procuratorate), kind: .procuratorate, name: "\(Self.provinceName)人民检察院",
                region: p, level: .province),
            Agency(code: Self.agencyCode(p, .court), kind: .court, name: "\(Self.provinceName)高级人民法院", region: p,
                level: .province),
            Agency(code: Self.agencyCode(p, .justiceAdministration), kind: .justiceAdministration,
                name: "\(Self.provinceName)司法厅", region: p, level: .province),
        ]
        let prisonNames = ["第一监狱", "第二监狱", "女子监狱", "未成年犯管教所"]
        for i in 0..<Self.prisonCount {
            result.append(Agency(code: Self.agencyCode(p, .prison, i + 1), kind: .prison,
                name: Self.provinceName + prisonNames[i], region: p, level: .province,
                parentCode: Self.agencyCode(p, .justiceAdministration)))
        }
        for city in cities {
            let c = city.code
            result += [
                Agency(code: Self.agencyCode(c, .publicSecurity), kind: .publicSecurity, name: "\(city.name)公安局",
                    region: c, level: .city, parentCode: Self.agencyCode(p, .publicSecurity)),
                Agency(code: Self.agencyCode(c, .procuratorate), kind: .procuratorate, name: "\(city.name)人民检察院",
                    region: c, level: .city, parentCode: Self.agencyCode(p, .procuratorate)),
                Agency(code: Self.agencyCode(c, .court), kind: .court, name: "\(city.name)中级人民法院", region: c,
                    level: .city, parentCode: Self.agencyCode(p, .court)),
                Agency(code: Self.agencyCode(c, .detentionHouse), kind: .detentionHouse, name: "\(city.name)看守所",
                    region: c, level: .city, parentCode: Self.agencyCode(c, .publicSecurity)),
                Agency(code: Self.agencyCode(c, .justiceAdministration), kind: .justiceAdministration,
                    name: "\(city.name)司法局", region: c, level: .city,
                    parentCode: Self.agencyCode(p, .justiceAdministration)),
            ]
            for county in city.counties {
                let k = county.code
                let full = city.name + county.name
                result += [
                    Agency(code: Self.agencyCode(k, .publicSecurity), kind: .publicSecurity, name: "\(full)公安局",
                        region: k, level: .county, parentCode: Self.agencyCode(c, .publicSecurity)),
                    Agency(code: Self.agencyCode(k, .procuratorate), kind: .procuratorate, name: "\(full)人民检察院",
                        region: k, level: .county, parentCode: Self.agencyCode(c, .procuratorate)),
                    Agency(code: Self.agencyCode(k, .court), kind: .court, name: "\(full)人民法院", region: k,
                        level: .county, parentCode: Self.agencyCode(c, .court)),
                    Agency(code: Self.agencyCode(k, .detentionHouse), kind: .detentionHouse, name: "\(full)看守所",
                        region: k, level: .county, parentCode: Self.agencyCode(k, .publicSecurity)),
                    Agency(code: Self.agencyCode(k, .justiceAdministration), kind: .justiceAdministration,
                        name: "\(full)司法局", region: k, level: .county,
                        parentCode: Self.agencyCode(c, .justiceAdministration)),
                    Agency(code: Self.agencyCode(k, .communityCorrection), kind: .communityCorrection,
                        name: "\(full)社区矫正管理局", region: k, level: .county,
                        parentCode: Self.agencyCode(k, .justiceAdministration)),
                ]
            }
        }
        return result
    }
}

/// Officials working in each agency, by id.
struct Staff {
    /// agency code → ids of its case officers / prosecutors / judges.
    var officials: [String: [String]] = [:]

    static let officialsPerAgency: [AgencyKind: Int] = [
        .publicSecurity: 12, .procuratorate: 6, .court: 6, .detentionHouse: 2, .prison: 4, .communityCorrection: 2,
    ]

    static func role(for kind: AgencyKind) -> PersonRole? {
        switch kind {
        case .publicSecurity: return .caseOfficer
        case .procuratorate: return .prosecutor
        case .court: return .judge
        case .detentionHouse, .prison, .communityCorrection: return .correctionOfficer
        case .justiceAdministration, .politicalLegalCommittee: return nil
        }
    }
}

/// Two-digit zero padding for codes.
enum FixedDigits {
    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
