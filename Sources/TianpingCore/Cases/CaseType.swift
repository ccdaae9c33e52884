/// The kinds of case the platform supervises.
public enum CaseType: String, Codable, Sendable, CaseIterable {
    case criminal
    case civil
    case administrative
    case enforcement

    public var chineseName: String {
        switch self {
        case .criminal: return "刑事"
        case .civil: return "民事"
        case .administrative: return "行政"
        case .enforcement: return "执行"
        }
    }
}

/// The procedure a court applies, which selects the trial time limit (CPL 208, 220, 225; CivPL 152, 164, 168).
public enum TrialProcedure: String, Codable, Sendable, CaseIterable {
    case ordinary
    case summary
    case fastTrack = "fast_track"
    case smallClaims = "small_claims"
    case special

    public var chineseName: String {
        switch self {
        case .ordinary: return "普通程序"
        case .summary: return "简易程序"
        case .fastTrack: return "速裁程序"
        case .smallClaims: return "小额诉讼程序"
        case .special: return "特别程序"
        }
    }
}
