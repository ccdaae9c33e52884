import TianpingCore

/// Checks of one record that need nothing but the record itself and the current time.
///
/// Checks that need stored state — does the agency exist, does the case exist and have the right type —
/// are made by ``Ingestor`` against an ``IngestStore``.
public struct RecordValidator: Sendable {
    public let now: Timestamp
    /// Events, documents and judgments dated before this are treated as implausible (CPL in force 1980).
    static let earliestProceduralYear = 1980
    /// A date past this year in an execution record is a placeholder (9999-12-31), not a day.
    static let latestPlausibleYear = 2200
    /// Clock skew tolerated between agency systems and the platform.
    static let futureTolerance: Int64 = 3600

    public init(now: Timestamp) { self.now = now }

    /// The first problem found, or `nil` when the record is sound.
    public func check(_ r: ExchangeRecord) -> Rejection? {
        guard r.version >= 1 else { return Rejection(.invalidValue, "version 应为从 1 开始的正整数，实际为 \(r.version)") }
        guard !r.id.isEmpty, r.id.utf8.count <= 128 else { return Rejection(.invalidValue, "记录 id 不能为空且不超过128字节") }
        guard Agency.isWellFormedCode(r.source) else {
            return Rejection(.invalidAgencyCode, "报送机构代码 source=\"\(r.source)\" 格式错误，应为6位行政区划代码+2位机构类型字母+2位序号，如 520102GA01")
        }
        if let c = r.caseID, !CaseRecord.isWellFormedID(c) {
            return Rejection(.invalidValue, "案件编号 case=\"\(c)\" 格式错误（仅允许字母、数字和连字符，不超过64字符）")
        }
        if r.kind.requiresCase, r.caseID == nil {
            return Rejection(.missingCase, "\(r.kind.chineseName)记录必须填写所属案件编号 case")
        }
        switch r.payload {
        case .agency(let a): return check(a)
        case .case(let c): return check(c, envelopeCase: r.caseID)
        case .person(let p): return check(p, caseID: r.caseID)
        case .event(let e): return check(e)
        case .document(let d): return check(d)
        case .evidence(let e): return checkInstant(e.collectedAt, field: "payload.collectedAt")
        case .judgment(let j): return check(j)
        case .execution(let x): return check(x)
        }
    }

    /// Rejects instants in the future or before the current procedure law.
    func checkInstant(_ t: Timestamp, field: String) -> Rejection? {
        if t.secondsSinceEpoch > now.secondsSinceEpoch + Self.futureTolerance {
            return Rejection(.futureDate, "字段 \(field) 的时间 \(t) 晚于当前时间 \(now)")
        }
        if t.localDate.year < Self.earliestProceduralYear {
            return Rejection(.implausibleDate, "字段 \(field) 的时间 \(t) 早于\(Self.earliestProceduralYear)年，不合常理")
        }
        return nil
    }

    func check(_ a: Agency) -> Rejection? {
        guard Agency.isWellFormedCode(a.code, kind: a.kind) else {
            return Rejection(.invalidAgencyCode, "机构代码 \(a.code) 与机构类型 \(a.kind.chineseName)（\(a.kind.codeLetters)）不符或格式错误")
        }
        guard a.code.hasPrefix(a.region.text) else {
            return Rejection(.inconsistent, "机构代码 \(a.code) 的前6位应为所在行政区划代码 \(a.region)")
        }
        guard a.level == a.region.level else {
            return Rejection(.inconsistent, "机构级别 \(a.level.chineseName) 与行政区划 \(a.region) 的级别 \(a.region.level.chineseName) 不符")
        }
        guard !a.name.isEmpty else { return Rejection(.schema, "机构名称不能为空") }
        if let parent = a.parentCode, !Agency.isWellFormedCode(parent) {
            return Rejection(.invalidAgencyCode, "上级机构代码 \(parent) 格式错误")
        }
        return nil
    }

    func check(_ c: CaseRecord, envelopeCase: String?) -> Rejection? {
        guard envelopeCase == c.id else {
            return Rejection(.inconsistent, "案件记录的 payload.id=\"\(c.id)\" 与信封中的 case=\"\(envelopeCase ?? "")\" 不一致")
        }
        if let p = checkInstant(c.acceptedAt, field: "payload.acceptedAt") { return p }
        if c.type == .criminal, c.charges.isEmpty {
            return Rejection(.missingAttribute, "刑事案件须填写罪名 payload.charges")
        }
        if let unknown = c.flags.first(where: { !CaseRecord.knownFlags.contains($0) }) {
            return Rejection(.invalidValue, "未知的案件标记 \(unknown)")
        }
        for n in c.agencyNumbers {
            guard Agency.isWellFormedCode(n.agency) else {
                return Rejection(.invalidAgencyCode, "案号所属机构代码 \(n.agency) 格式错误")
            }
            if Agency.isWellFormedCode(n.agency, kind: .court) {
                switch CourtCaseNumber.parse(n.number) {
                case .failure(let problem): return Rejection(.invalidCaseNumber, problem.message)
                case .success(let number):
                    if let t = number.caseType, t != c.type, t != .enforcement {
                        return Rejection(.invalidCaseNumber, "案号 \(n.number) 的类型代字“\(number.typeCode)”属于\(t.chineseName)案件，与案件类型“\(c.type.chineseName)”不符")
                    }
                    if let p = CourtCaseNumber.provinceAbbreviations[number.provinceAbbreviation],
                        !n.agency.hasPrefix(p)
                    {
                        return Rejection(.invalidCaseNumber, "案号 \(n.number) 的省份简称与法院 \(n.agency) 所在省份不符")
                    }
                }
            } else if !AgencyCaseNumber.isWellFormedNonCourtNumber(n.number) {
                return Rejection(.invalidCaseNumber, "机构案件编号“\(n.number)”格式错误，应形如“黔贵公（刑）立字〔2024〕123号”")
            }
        }
        return nil
    }

    func check(_ p: Person, caseID: String?) -> Rejection? {
        if !p.role.isOfficial, caseID == nil {
            return Rejection(.missingCase, "\(p.role.chineseName)是案件当事人，人员记录必须填写所属案件编号 case")
        }
        guard !p.name.value.isEmpty else { return Rejection(.schema, "人员姓名不能为空") }
        if let birth = p.birthDate {
            if birth > now.localDate { return Rejection(.futureDate, "出生日期 \(birth) 晚于当前日期") }
            if birth.year < 1900 { return Rejection(.implausibleDate, "出生日期 \(birth) 早于1900年，不合常理") }
        }
        if let raw = p.idNumber?.value {
            switch ResidentIdentityNumber.parse(raw) {
            case .failure(let problem): return Rejection(.invalidIDNumber, problem.message)
            case .success(let number):
                if let birth = p.birthDate, birth != number.birthDate {
                    return Rejection(.inconsistent, "出生日期 \(birth) 与身份证号中的出生日期不一致")
                }
                if let g = p.gender, g != .unknown, g != number.gender {
                    return Rejection(.inconsistent, "性别“\(g.chineseName)”与身份证号顺序码的性别不一致")
                }
                if number.birthDate > now.localDate {
                    return Rejection(.futureDate, "身份证号中的出生日期晚于当前日期")
                }
            }
        }
        if p.role.isOfficial, let agency = p.agency, !Agency.isWellFormedCode(agency) {
            return Rejection(.invalidAgencyCode, "工作人员所属机构代码 \(agency) 格式错误")
        }
        return nil
    }

    func check(_ e: CaseEvent) -> Rejection? {
        if let p = checkInstant(e.occurredAt, field: "payload.occurredAt") { return p }
        guard Agency.isWellFormedCode(e.agency) else {
            return Rejection(.invalidAgencyCode, "办理机构代码 \(e.agency) 格式错误")
        }
        if let p = checkApprover(e) { return p }
        switch e.kind {
        case .custodyExtended:
            if e.attributes.approverLevel == nil, e.attributes.approverAgency == nil {
                return Rejection(.missingAttribute, "“延长侦查羁押期限”须注明批准机关 attributes.approverAgency（《刑事诉讼法》第一百五十六条至第一百五十九条）")
            }
            if e.attributes.extensionMonths == nil {
                return Rejection(.missingAttribute, "“延长侦查羁押期限”须注明延长月数 attributes.extensionMonths")
            }
        case .trialPeriodExtended, .prosecutionReviewExtended, .enforcementExtended, .arrestRequestDeadlineExtended:
            if e.attributes.extensionMonths == nil, e.attributes.extensionDays == nil {
                return Rejection(.missingAttribute, "“\(e.kind.chineseName)”须注明延长期限 attributes.extensionMonths 或 extensionDays")
            }
        case .procedureSwitched:
            if e.attributes.procedure == nil {
                return Rejection(.missingAttribute, "“程序转换”须注明转换后的程序 attributes.procedure")
            }
        default: break
        }
        if let m = e.attributes.extensionMonths, !(1...12).contains(m) {
            return Rejection(.implausibleValue, "延长月数 \(m) 不合常理")
        }
        if let d = e.attributes.extensionDays, !(1...366).contains(d) {
            return Rejection(.implausibleValue, "延长天数 \(d) 不合常理")
        }
        return nil
    }

    /// The approving body must be a real agency code, and a level label must agree with the agency it names: the
    /// level of an approval is the approving agency's own (its region's level, which the registry keeps equal to the
    /// agency's level), so a county procuratorate named with the label "city" is refused. A label without a named
    /// approver is accepted and ignored (an older sender may forward a higher organ's approval): the engine then
    /// takes the sender as the approver and its finding says the record does not show who approved.
    func checkApprover(_ e: CaseEvent) -> Rejection? {
        let a = e.attributes
        guard let named = a.approverAgency else { return nil }
        guard Agency.isWellFormedCode(named) || Agency.isCentralCode(named) else {
            return Rejection(.invalidAgencyCode, "批准机关代码 attributes.approverAgency=\(named) 格式错误")
        }
        guard let label = a.approverLevel else { return nil }
        if Agency.isCentralCode(named) {
            return Rejection(.approverMismatch, "批准机关级别 attributes.approverLevel=\(label.chineseName) 与批准机关 \(named) 不符：中央机关没有省、市、县级别，应省略该字段")
        }
        guard let level = RegionCode(String(named.prefix(6)))?.level, level == label else {
            let actual = RegionCode(String(named.prefix(6)))?.level.chineseName ?? "未知"
            return Rejection(.approverMismatch, "批准机关级别 attributes.approverLevel=\(label.chineseName) 与批准机关 \(named) 的级别（\(actual)）不符；批准机关级别以批准机关代码为准")
        }
        return nil
    }

    func check(_ d: LegalDocument) -> Rejection? {
        if let p = checkInstant(d.issuedAt, field: "payload.issuedAt") { return p }
        guard LegalDocument.isWellFormedHash(d.contentHash) else {
            return Rejection(.invalidValue, "文书内容哈希 contentHash 应为64位小写十六进制 SHA-256")
        }
        if let text = d.text, ContentHash.sha256Hex(text) != d.contentHash {
            return Rejection(.contentHashMismatch, "文书正文的 SHA-256 与 contentHash 不一致，文书可能在传输中被改动")
        }
        guard Agency.isWellFormedCode(d.issuer) else {
            return Rejection(.invalidAgencyCode, "制作机构代码 \(d.issuer) 格式错误")
        }
        return nil
    }

    func check(_ j: Judgment) -> Rejection? {
        if let p = checkInstant(j.decidedAt, field: "payload.decidedAt") { return p }
        guard j.instance == 1 || j.instance == 2 else {
            return Rejection(.invalidValue, "审级 instance 应为 1（一审）或 2（二审）")
        }
        if case .failure(let problem) = CourtCaseNumber.parse(j.caseNumber) {
            return Rejection(.invalidCaseNumber, problem.message)
        }
        if let range = j.principalPenalty.termRangeInMonths {
            guard let term = j.termMonths else {
                return Rejection(.missingAttribute, "\(j.principalPenalty.chineseName)须填写刑期 termMonths")
            }
            guard range.contains(term) else {
                return Rejection(.implausibleValue, "\(j.principalPenalty.chineseName)刑期 \(term) 个月超出法定范围（《刑法》第三十八条、第四十二条、第四十五条、第六十九条）")
            }
        }
        if let probation = j.probationMonths {
            // 刑法 72–73: probation only for 拘役 or 有期徒刑 ≤ 3 years; period ≥ the term, 拘役 2–12 months,
            // 有期徒刑 12–60 months.
            guard let term = j.termMonths,
                j.principalPenalty == .criminalDetention || (j.principalPenalty == .fixedTermImprisonment && term <= 36)
            else {
                return Rejection(.implausibleValue, "缓刑只适用于拘役或三年以下有期徒刑（《刑法》第七十二条）")
            }
            let bounds = j.principalPenalty == .criminalDetention ? 2...12 : 12...60
            guard probation >= term, bounds.contains(probation) else {
                return Rejection(.implausibleValue, "缓刑考验期 \(probation) 个月不符合《刑法》第七十三条（不能少于原判刑期，拘役为二个月以上一年以下，有期徒刑为一年以上五年以下）")
            }
        }
        if let fine = j.fineYuan, fine < 0 { return Rejection(.implausibleValue, "罚金不能为负数") }
        return nil
    }

    func check(_ x: ExecutionRecord) -> Rejection? {
        if x.termStart.year < Self.earliestProceduralYear {
            return Rejection(.implausibleDate, "刑期起算日 \(x.termStart) 不合常理")
        }
        if let end = x.termEnd, end < x.termStart {
            return Rejection(.timeline, "刑期止日 \(end) 早于起算日 \(x.termStart)")
        }
        if let delivered = x.deliveredOn, delivered < x.termStart {
            return Rejection(.timeline, "交付执行之日 \(delivered) 早于刑期起算日 \(x.termStart)")
        }
        let days: [(String, CalendarDate?)] = [("刑期起算日", x.termStart), ("交付执行之日", x.deliveredOn)]
            + x.commutations.flatMap { c -> [(String, CalendarDate?)] in [("减刑报请日", c.proposedOn), ("减刑送达日", c.servedOn)] }
            + [("假释报请日", x.parole?.proposedOn), ("假释送达日", x.parole?.servedOn)]
        for (label, day) in days {
            if let day, day.year > Self.latestPlausibleYear { return Rejection(.implausibleDate, "\(label) \(day) 不合常理（晚于\(Self.latestPlausibleYear)年）") }
        }
        let numbers = x.commutations.map(\.rulingNumber) + (x.parole.map { [$0.rulingNumber] } ?? [])
        if numbers.contains(where: { $0.allSatisfy(\.isWhitespace) }) { return Rejection(.schema, "减刑、假释裁定书号不能为空") }
        if Set(numbers).count != numbers.count { return Rejection(.inconsistent, "同一执行记录中裁定书号重复：\(numbers.joined(separator: "、"))") }
        for c in x.categories ?? [] where PrisonerCategory(rawValue: c) == nil {
            return Rejection(.invalidValue, "罪犯类别 \(c) 不是已知类别（\(PrisonerCategory.allCases.map(\.rawValue).joined(separator: "、"))）")
        }
        var previous: Commutation?
        for (i, c) in x.commutations.enumerated() {
            let n = "第\(i + 1)次减刑（\(c.rulingNumber)）"
            let ruled = c.ruledAt.localDate
            if let p = checkInstant(c.ruledAt, field: "payload.commutations[\(i)].ruledAt") { return p }
            if let cut = c.reductionMonths, cut < 1 { return Rejection(.invalidValue, "\(n)减去的月数应至少为 1：\(cut)") }
            if let delivered = x.deliveredOn, ruled < delivered || (c.proposedOn.map { $0 < delivered } ?? false) {
                return Rejection(.timeline, "\(n)的报请或裁定早于交付执行之日 \(delivered)")
            }
            if (c.reductionMonths == nil) == (c.reducedToMonths == nil) {
                return Rejection(.schema, "\(n)应给出减去的月数（reductionMonths）或无期徒刑减为的刑期（reducedToMonths）之一")
            }
            if let to = c.reducedToMonths, !(120...300).contains(to) {
                return Rejection(.invalidValue, "\(n)减为的有期徒刑应在 120 至 300 个月之间：\(to)")
            }
            if ruled < x.termStart { return Rejection(.timeline, "\(n)的裁定日 \(ruled) 早于刑期起算日 \(x.termStart)") }
            if let proposed = c.proposedOn, proposed > ruled { return Rejection(.timeline, "\(n)的报请日 \(proposed) 晚于裁定日 \(ruled)") }
            if let served = c.servedOn, served < ruled { return Rejection(.timeline, "\(n)的送达日 \(served) 早于裁定日 \(ruled)") }
            if let p = previous {
                if c.ruledAt < p.ruledAt { return Rejection(.timeline, "\(n)的裁定日早于上一次减刑，减刑应按裁定先后排列") }
                if let served = p.servedOn, ruled < served { return Rejection(.timeline, "\(n)的裁定日 \(ruled) 早于上一次减刑裁定送达（\(served)）") }
                if let proposed = c.proposedOn, let served = p.servedOn, proposed < served {
                    return Rejection(.timeline, "\(n)的报请日 \(proposed) 早于上一次减刑裁定送达（\(served)）")
                }
            }
            previous = c
        }
        if let p = x.parole {
            let ruled = p.ruledAt.localDate
            if let problem = checkInstant(p.ruledAt, field: "payload.parole.ruledAt") { return problem }
            if ruled < x.termStart { return Rejection(.timeline, "假释裁定（\(p.rulingNumber)）日 \(ruled) 早于刑期起算日 \(x.termStart)") }
            if let proposed = p.proposedOn, proposed > ruled { return Rejection(.timeline, "假释的报请日 \(proposed) 晚于裁定日 \(ruled)") }
            if let served = p.servedOn, served < ruled { return Rejection(.timeline, "假释裁定的送达日 \(served) 早于裁定日 \(ruled)") }
            if let last = previous, p.ruledAt < last.ruledAt { return Rejection(.timeline, "假释裁定早于最后一次减刑裁定（\(last.rulingNumber)）") }
        }
        return nil
    }
}
