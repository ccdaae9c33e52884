import Testing
import TianpingCore

/// The masks tightened after the security review (issue 14, items 9, 10 and 12): free text, identity numbers,
/// age bands, addresses cut after the county.
@Suite("Masking after the security review")
struct FreeTextMaskingTests {
    @Test("an identity number keeps at most its region code; the age band replaces the birth date")
    func identityAndAge() {
        #expect(Masking.idNumber("520102199003071236") == "520102************")
        #expect(Masking.idNumber("52010219900307123X") == "520102************")
        #expect(Masking.idNumber("E12345678") == "*********", "no region code: nothing kept")
        let accepted = CalendarDate(year: 2024, month: 5, day: 1)!
        #expect(Masking.ageBand(born: CalendarDate(year: 1990, month: 3, day: 7)!, on: accepted) == "30–39岁")
        #expect(Masking.ageBand(born: CalendarDate(year: 2006, month: 5, day: 2)!, on: accepted) == "未成年", "17 the day before the birthday")
        #expect(Masking.ageBand(born: CalendarDate(year: 2006, month: 5, day: 1)!, on: accepted) == "18–29岁")
        #expect(Masking.ageBand(born: CalendarDate(year: 1950, month: 1, day: 1)!, on: accepted) == "70岁以上")
        #expect(Masking.phone("13800138000") == "138****8000")
        #expect(Masking.phone("86543210") == "******10", "a short number shows only its last two digits")
    }

    @Test("a minor known only from the identity number is a minor")
    func minorFromIdentityNumber() {
        let minor = Person(id: "P1", role: .suspect, name: "钱小二", idNumber: "520102200803070018")
        #expect(minor.birthDate == nil)
        #expect(minor.isMinor(on: CalendarDate(year: 2024, month: 5, day: 1)!))
        #expect(!minor.isMinor(on: CalendarDate(year: 2026, month: 3, day: 7)!))
    }

    @Test("an address is cut after the county-level unit of the administrative hierarchy, never inside an estate")
    func addresses() {
        #expect(Masking.address("贵州省贵阳市云岩区中华北路1号") == "贵州省贵阳市云岩区****")
        #expect(Masking.address("天平省青石市东湖区某街道12号") == "天平省青石市东湖区****")
        // No county in the address: the estate is not taken for a district.
        #expect(Masking.address("天平省青石市幸福小区3栋2单元") == "天平省青石市****")
        #expect(Masking.address("贵阳市幸福小区3栋") == "贵阳市****")
        #expect(Masking.address("幸福小区3栋") == "****")
        #expect(Masking.address("天平省青石市阳光花园东区5栋") == "天平省青石市****")
        #expect(Masking.address("天平省青石市锦绣二区5栋") == "天平省青石市****")
        #expect(Masking.address("天平省青石市经济开发区管委会") == "天平省青石市****")
        #expect(Masking.address("天平省青石市中华北路幸福小区") == "天平省青石市****")
        // Real units whose names look like places are kept.
        #expect(Masking.address("北京市朝阳区建国路1号") == "北京市朝阳区****")
        #expect(Masking.address("山东省济南市市中区经四路1号") == "山东省济南市市中区****")
        #expect(Masking.address("江苏省南京市鼓楼区中山路1号") == "江苏省南京市鼓楼区****")
        #expect(Masking.address("广东省江门市蓬江区某路1号") == "广东省江门市蓬江区****")
        #expect(Masking.address("湖南省怀化市通道侗族自治县某镇") == "湖南省怀化市通道侗族自治县****")
        #expect(Masking.address("贵州省黔东南苗族侗族自治州凯里市某路") == "贵州省黔东南苗族侗族自治州凯里市****")
        #expect(Masking.address("新疆维吾尔自治区乌鲁木齐市天山区某路") == "新疆维吾尔自治区乌鲁木齐市天山区****")
        #expect(Masking.address("内蒙古自治区包头市达尔罕茂明安联合旗某镇") == "内蒙古自治区包头市达尔罕茂明安联合旗****")
    }

    @Test("free text: identity numbers, phones, bank cards, plates and addresses are masked by pattern")
    func patterns() {
        let m = FreeTextMasker.patterns
        #expect(m("已告知，手机13800138000，座机0851-86543210") == "已告知，手机138****8000，座机085*****3210")
        #expect(m("身份证号52010219900307123X。") == "身份证号520102************。")
        #expect(m("电话 138-0013-8000") == "电话 138****8000")
        #expect(m("退赃款汇入6222021234567890123") == "退赃款汇入622202*********0123")
        #expect(m("账户 6222 0212 3456 7890") == "账户 622202******7890")
        #expect(m("驾驶贵A12345逃逸") == "驾驶贵A*****逃逸")
        #expect(m("新能源车贵A·D12345") == "新能源车贵A*****")
        #expect(m("其住幸福小区3栋2单元501室，现在押") == "其住****，现在押")
        #expect(m("家住天平省青石市东湖区中华北路12号的被害人") == "家住天平省青石市东湖区****的被害人")
        #expect(m("联系电话86543210") == "联系电话******10")
        // What identifies nobody is left alone: document and case numbers, dates, amounts, codes, agencies.
        for text in [
            "黔贵公（刑）拘字〔2024〕123号", "（2024）黔0102刑初123号", "2024-05-01 10:00", "盗窃金额3000元", "TP52010220240000001",
            "报送机关520102GA01", "已移送青石市东湖区人民检察院审查起诉", "交由东湖区司法局社区矫正机构执行", "在讯问室讯问", "近亲属",
            "所引依据CPL158不属于法定情形", "延长羁押期限二个月",
        ] {
            #expect(m(text) == text, "\(text)")
        }
    }

    @Test("free text: the case's own persons are replaced exactly; officials' names are protected")
    func knownValues() {
        let m = FreeTextMasker(known: [("王小明", "王某"), ("王小", "王*"), ("王小红", "王小红"), ("520102199003071236", "520102************")])
        #expect(m("已告知被害人王小明，嫌疑人王小，承办法官王小红") == "已告知被害人王某，嫌疑人王*，承办法官王小红")
        #expect(m("王小明520102199003071236") == "王某520102************")
        #expect(FreeTextMasker.none("王小明13800138000") == "王小明13800138000", "an unmasked view shows the text as stored")
    }
}
