import Foundation
import TianpingCore

/// A versioned set of rules shipped as JSON (`Resources/procedure-rules.json`).
///
/// The pack is data, not code: each rule states its legal basis, grade and scope, and a province adjusts
/// values inside the national ranges with a ``ProvinceConfiguration`` instead of editing the pack.
public struct RulePack: Sendable, Codable {
    /// Stable identifier of the pack (`procedure`).
    public var id: String
    /// Version of the pack; findings record it so that a changed rule can be told from a changed case.
    public var version: String
    public var title: String
    /// The reference documents the rules were taken from.
    public var sources: [String]
    public var rules: [Rule]

    /// The procedural rule pack shipped with the package.
    public static func bundled() throws -> RulePack {
        guard let url = Bundle.module.url(forResource: "procedure-rules", withExtension: "json", subdirectory: "Resources") else {
            throw RulePackError.invalid("缺少内置规则包 procedure-rules.json")
        }
        return try RulePack(json: try Data(contentsOf: url))
    }

    /// Decodes and validates a pack.
    public init(json: Data) throws {
        do {
            self = try JSONDecoder().decode(RulePack.self, from: json)
        } catch let error as DecodingError {
            throw RulePackError.invalid("规则包格式错误：\(Self.describe(error))")
        }
        try validate()
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// Checks what the decoder cannot: unique ids, one form per rule, grade-C rules disabled unless confirmed.
    func validate(confirmed: Set<String> = []) throws {
        var seen = Set<String>()
        for rule in rules {
            guard seen.insert(rule.id).inserted else { throw RulePackError.invalid("规则编号重复：\(rule.id)") }
            guard rule.formCount == 1 else {
                throw RulePackError.invalid("规则 \(rule.id) 必须恰有一种形式（deadline/precedence/count/documents/approval/signal）")
            }
            guard !rule.legalBasis.isEmpty else { throw RulePackError.invalid("规则 \(rule.id) 缺少法律依据") }
            if rule.grade == .c && rule.enabled && !confirmed.contains(rule.id) {
                throw RulePackError.invalid("规则 \(rule.id) 为C级（未经核实），须经人工确认后方可启用")
            }
        }
    }

    /// The pack with a province's adjustments applied; values outside the national ranges are refused.
    public func applying(_ configuration: ProvinceConfiguration) throws -> RulePack {
        var pack = self
        var confirmed = Set<String>()
        for (id, change) in configuration.rules ?? [:] {
            guard let index = pack.rules.firstIndex(where: { $0.id == id }) else {
                throw RulePackError.invalid("配置引用了不存在的规则：\(id)")
            }
            var rule = pack.rules[index]
            if let enabled = change.enabled {
                if enabled && rule.grade == .c {
                    guard let who = change.confirmedBy, !who.isEmpty else {
                        throw RulePackError.invalid("启用C级规则 \(id) 须注明确认人（confirmedBy）")
                    }
                    confirmed.insert(id)
                }
                rule.enabled = enabled
            }
            if let limit = change.limit {
                guard let range = rule.adjustable?.limit, var deadline = rule.deadline else {
                    throw RulePackError.invalid("规则 \(id) 的期限不可由省级配置调整")
                }
                guard range.min <= limit, limit <= range.max else {
                    throw RulePackError.invalid("规则 \(id) 的期限 \(limit) 超出法定范围 \(range.min)–\(range.max)")
                }
                deadline.limit = limit
                rule.deadline = deadline
            }
            for (name, value) in change.parameters ?? [:] {
                guard let range = rule.adjustable?.parameters?[name], var signal = rule.signal else {
                    throw RulePackError.invalid("规则 \(id) 的参数 \(name) 不可调整")
                }
                guard range.min <= value, value <= range.max else {
                    throw RulePackError.invalid("规则 \(id) 的参数 \(name)=\(value) 超出范围 \(range.min)–\(range.max)")
                }
                signal.parameters = (signal.parameters ?? [:]).merging([name: value]) { $1 }
                rule.signal = signal
            }
            pack.rules[index] = rule
        }
        try pack.validate(confirmed: confirmed)
        return pack
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)) 缺少字段 \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context))：\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A province's adjustments to the national rule pack.
public struct ProvinceConfiguration: Sendable, Codable {
    public var province: String?
    public var clockThresholds: ClockThresholds?
    public var rules: [String: RuleOverride]?

    public init(province: String? = nil, clockThresholds: ClockThresholds? = nil, rules: [String: RuleOverride]? = nil) {
        self.province = province
        self.clockThresholds = clockThresholds
        self.rules = rules
    }

    public init(json: Data) throws {
        do {
            self = try JSONDecoder().decode(ProvinceConfiguration.self, from: json)
        } catch let error as DecodingError {
            throw RulePackError.invalid("省级配置格式错误：\(RulePack.describe(error))")
        }
    }
}

public struct RuleOverride: Sendable, Codable {
    public var enabled: Bool?
    /// Who confirmed a grade-C value (required to enable one).
    public var confirmedBy: String?
    public var limit: Period?
    public var parameters: [String: Int]?

    public init(enabled: Bool? = nil, confirmedBy: String? = nil, limit: Period? = nil, parameters: [String: Int]? = nil) {
        self.enabled = enabled
        self.confirmedBy = confirmedBy
        self.limit = limit
        self.parameters = parameters
    }
}

public enum RulePackError: Error, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
