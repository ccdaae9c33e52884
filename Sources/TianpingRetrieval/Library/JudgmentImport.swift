import Foundation

/// Bulk imports of public judgments as JSON Lines, one judgment per line, in one of the forms documented in
/// `docs/retrieval.md`: the LeCaRD document form, CAIL2018's fact-and-meta form, or the library's own form.
public enum JudgmentImport {
    /// Which form a line is in; `detect` tells by the keys it has.
    public enum Form: String, Sendable, CaseIterable, Codable {
        case library, lecard, cail2018
    }

    public enum LineError: Error, CustomStringConvertible, Equatable {
        case notJSON
        case unknownForm
        case missing(String)
        case emptyText

        public var description: String {
            switch self {
            case .notJSON: "不是 JSON 对象"
            case .unknownForm: "无法识别的格式：需要 LeCaRD 文书（cid, qw）、CAIL2018（fact, meta）或天平文书库格式（id, source, text）"
            case .missing(let field): "缺少字段 \(field)"
            case .emptyText: "文书正文为空"
            }
        }
    }

    /// Reads one line into a library judgment.
    public static func judgment(fromLine line: Data, form: Form? = nil) throws -> LibraryJudgment {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else { throw LineError.notJSON }
        let chosen: Form
        if let form {
            chosen = form
        } else if object["qw"] != nil || object["cid"] != nil {
            chosen = .lecard
        } else if object["fact"] != nil || object["meta"] != nil {
            chosen = .cail2018
        } else if object["text"] != nil {
            chosen = .library
        } else {
            throw LineError.unknownForm
        }
        func string(_ key: String) throws -> String {
            if let value = object[key] as? String { return value }
            if let value = object[key] as? NSNumber { return value.stringValue }
            throw LineError.missing(key)
        }
        let judgment: LibraryJudgment
        switch chosen {
        case .library:
            let data = try JSONSerialization.data(withJSONObject: object)
            do { judgment = try JSONDecoder().decode(LibraryJudgment.self, from: data) } catch { throw LineError.missing("id, source 或 text") }
        case .lecard:
            judgment = LibraryJudgment(id: "lecard:" + (try string("cid")), source: "lecard", title: object["writName"] as? String ?? object["ajName"] as? String,
                text: try string("qw"))
        case .cail2018:
            guard let meta = object["meta"] as? [String: Any] else { throw LineError.missing("meta") }
            let term = meta["term_of_imprisonment"] as? [String: Any]
            let sentence = term.map { term in
                StatedSentence(termMonths: (term["imprisonment"] as? NSNumber)?.intValue, life: (term["life_imprisonment"] as? Bool) ?? false,
                    death: (term["death_penalty"] as? Bool) ?? false, fineYuan: (meta["punish_of_money"] as? NSNumber)?.intValue)
            }
            judgment = LibraryJudgment(id: "cail2018:" + (try string("id")).replacingOccurrences(of: "cail2018-", with: ""), source: "cail2018",
                text: try string("fact"), statedCharges: meta["accusation"] as? [String] ?? [],
                statedArticles: (meta["relevant_articles"] as? [NSNumber])?.map(\.intValue) ?? [], statedSentence: sentence)
        }
        guard !judgment.text.allSatisfy(\.isWhitespace) else { throw LineError.emptyText }
        return judgment
    }
}
