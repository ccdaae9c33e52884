import TianpingCore

/// Stable codes for every reason a line is quarantined. Codes never change meaning; new ones are added.
public enum RejectionCode: String, Codable, Sendable, CaseIterable {
    case malformedJSON = "E_JSON_MALFORMED"
    case encodingGBK = "E_ENCODING_GBK"
    case encodingInvalid = "E_ENCODING_INVALID"
    case lineTooLong = "E_LINE_TOO_LONG"
    case schema = "E_SCHEMA"
    case invalidValue = "E_INVALID_VALUE"
    case invalidDate = "E_INVALID_DATE"
    case unknownKind = "E_UNKNOWN_KIND"
    case unknownAgency = "E_UNKNOWN_AGENCY"
    case invalidAgencyCode = "E_INVALID_AGENCY_CODE"
    case wrongAgencyKind = "E_WRONG_AGENCY_KIND"
    case unknownCase = "E_UNKNOWN_CASE"
    case missingCase = "E_MISSING_CASE"
    case wrongCaseType = "E_WRONG_CASE_TYPE"
    case futureDate = "E_FUTURE_DATE"
    case implausibleDate = "E_IMPLAUSIBLE_DATE"
    case timeline = "E_TIMELINE"
    case versionConflict = "E_VERSION_CONFLICT"
    case invalidIDNumber = "E_INVALID_ID_NUMBER"
    case invalidCaseNumber = "E_INVALID_CASE_NUMBER"
    case inconsistent = "E_INCONSISTENT"
    case contentHashMismatch = "E_CONTENT_HASH"
    case implausibleValue = "E_IMPLAUSIBLE_VALUE"
    case missingAttribute = "E_MISSING_ATTRIBUTE"
    case approverMismatch = "E_APPROVER_MISMATCH"

    /// A one-line Chinese title for listings.
    public var title: String {
        switch self {
        case .malformedJSON: return "JSON 格式错误"
        case .encodingGBK: return "文件为 GBK 编码"
        case .encodingInvalid: return "不是有效的 UTF-8 文本"
        case .lineTooLong: return "单行过长"
        case .schema: return "不符合数据交换格式"
        case .invalidValue: return "字段取值无效"
        case .invalidDate: return "日期时间无效"
        case .unknownKind: return "未知记录类型"
        case .unknownAgency: return "未知机构"
        case .invalidAgencyCode: return "机构代码格式错误"
        case .wrongAgencyKind: return "机构类型与事件不符"
        case .unknownCase: return "引用的案件不存在"
        case .missingCase: return "缺少案件编号"
        case .wrongCaseType: return "事件与案件类型不符"
        case .futureDate: return "时间晚于当前时间"
        case .implausibleDate: return "日期不合常理"
        case .timeline: return "时间线不合理"
        case .versionConflict: return "同一版本内容不一致"
        case .invalidIDNumber: return "身份证号无效"
        case .invalidCaseNumber: return "案号无效"
        case .inconsistent: return "字段之间互相矛盾"
        case .contentHashMismatch: return "文书内容哈希不符"
        case .implausibleValue: return "取值不合常理"
        case .missingAttribute: return "缺少必需属性"
        case .approverMismatch: return "批准机关级别与批准机关不符"
        }
    }
}

/// Why one line was not accepted: a stable code and a Chinese explanation a data clerk can act on.
public struct Rejection: Error, Hashable, Sendable, Codable {
    public var code: RejectionCode
    public var message: String

    public init(_ code: RejectionCode, _ message: String) {
        self.code = code
        self.message = message
    }
}
