/// A refused administrative action.
public enum AccessError: Error, Sendable, CustomStringConvertible {
    case unknownAgency(String)
    case usernameTaken(String)
    case unknownCase(String)
    case unknownAccount(String)

    public var description: String {
        switch self {
        case .unknownAgency(let code): return "机构 \(code) 不存在（账户必须隶属于已导入的机构）"
        case .usernameTaken(let name): return "用户名 \(name) 已被使用"
        case .unknownCase(let id): return "案件 \(id) 不存在"
        case .unknownAccount(let name): return "账户 \(name) 不存在"
        }
    }
}
