import Foundation
import SQLKit
import SQLiteKit
import TianpingAccess
import TianpingCore
import TianpingIngest

/// What one search box finds a case by: any agency's number (案号, 立案编号), the unified case id, or a person's name
/// or identity number. Every term is indexed as a short digest — the index is not a second readable copy of personal
/// data, and a masked reader who types the full name or number still finds the case; only whole terms match.
public enum CaseSearchTerm {
    /// Kinds of term, stored with each row (`number`, `name`, `id_number`).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case number
        case name
        case idNumber = "id_number"

        public var chineseName: String {
            switch self {
            case .number: return "案号"
            case .name: return "姓名"
            case .idNumber: return "身份证号"
            }
        }
    }

    /// A 案号 as typed: half-width brackets and parentheses are the same number as the full-width ones, spaces are not
    /// part of it.
    public static func normalisedNumber(_ text: String) -> String {
        var out = ""
        for ch in text where !ch.isWhitespace {
            switch ch {
            case "(": out.append("（")
            case ")": out.append("）")
            case "[", "【": out.append("〔")
            case "]", "】": out.append("〕")
            default: out.append(ch)
            }
        }
        return out
    }

    /// The stored form of a term: the first 16 hex digits of the SHA-256 of its kind and normalised text. Short keys
    /// keep the index small — it is written for every case and person at ingest, and its random inserts were a
    /// quarter of ingest's time with full digests and texts — and 64 bits leave a collision among ten million terms
    /// at odds of about one in three hundred thousand (the scope check still applies to whatever is found).
    public static func stored(_ text: String, kind: Kind) -> String {
        let normalised: String
        switch kind {
        case .number: normalised = "c:" + normalisedNumber(text)
        case .name: normalised = "n:" + text.filter { !$0.isWhitespace }
        case .idNumber: normalised = "i:" + text.trimmingCharacters(in: .whitespaces).uppercased()
        }
        return String(Secrets.digest(normalised).prefix(16))
    }

    /// The kinds a typed text may be: an 18-character identity number, a short Chinese name, or a number.
    static func candidates(for text: String) -> [Kind] {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.count == 18, t.dropLast().allSatisfy(\.isNumber), t.last.map({ $0.isNumber || $0 == "X" || $0 == "x" }) == true {
            return [.idNumber]
        }
        let han = t.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || $0 == "·" || $0 == "•" }
        if han, (2...12).contains(t.count) { return [.name, .number] }
        return [.number]
    }

    /// The number shown for a case: the court's if it has one (the 案号 people quote), else the latest agency's.
    static func displayNumber(_ c: CaseRecord) -> String? {
        c.agencyNumbers.last { (try? CourtCaseNumber.parse($0.number).get()) != nil }?.number ?? c.agencyNumbers.last?.number
    }

    /// The search rows of current records: a case's numbers, a person's name and identity number.
    static func rows(_ records: [(payload: RecordPayload, caseID: String?)]) -> [(term: String, caseID: String, kind: Kind)] {
        var out: [(String, String, Kind)] = []
        for r in records {
            switch r.payload {
            case .case(let c):
                for n in c.agencyNumbers where !n.number.isEmpty { out.append((stored(n.number, kind: .number), c.id, .number)) }
            case .person(let p):
                guard let caseID = r.caseID else { continue }
                let name = p.name.value.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { out.append((stored(name, kind: .name), caseID, .name)) }
                if let id = p.idNumber?.value, !id.isEmpty { out.append((stored(id, kind: .idNumber), caseID, .idNumber)) }
            default: break
            }
        }
        return out
    }
}

/// A case a search found, and what matched.
public struct CaseSearchHit: Sendable, Equatable {
    public var summary: CaseSummary
    public var matchedBy: String
}

extension TianpingStore {
    /// Writes the search rows of a batch (in the batch's transaction); a row already there is kept.
    static func indexForSearch(_ records: [AcceptedRecord], db: any SQLDatabase, sqlite: SQLiteConnection?) async throws {
        try await indexForSearch(records.filter(\.isCurrent).map { ($0.payload, $0.caseID) }, db: db, sqlite: sqlite)
    }

    /// On SQLite the rows are bound directly (as the records are): sql-kit's `Encodable` bind per value made this
    /// insert a fifth of ingest's time.
    static func indexForSearch(_ records: [(payload: RecordPayload, caseID: String?)], db: any SQLDatabase, sqlite: SQLiteConnection? = nil)
        async throws
    {
        var seen = Set<[String]>()
        // In key order: neighbouring inserts touch the same index pages.
        let rows = CaseSearchTerm.rows(records).sorted { ($0.term, $0.caseID) < ($1.term, $1.caseID) }
            .filter { seen.insert([$0.term, $0.caseID]).inserted }
        for chunk in rows.chunked(rowsPerInsert) {
            if let sqlite {
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * 3)
                for row in chunk { binds += [.text(row.term), .text(row.caseID), .text(row.kind.rawValue)] }
                _ = try await sqlite.query("INSERT INTO case_search (term, case_id, kind) VALUES "
                    + Array(repeating: "(?,?,?)", count: chunk.count).joined(separator: ",") + " ON CONFLICT DO NOTHING", binds)
            } else {
                try await db.insert(into: "case_search").columns("term", "case_id", "kind")
                    .rows(chunk.map { [SQLBind($0.term), SQLBind($0.caseID), SQLBind($0.kind.rawValue)] })
                    .ignoringConflicts(with: ["term", "case_id"]).run()
            }
        }
    }

    /// Cases in `scope` that a typed text names: the unified id, any agency's number, a person's full name or identity
    /// number. At most `limit` hits, newest first.
    public func searchCases(_ text: String, scope: DataScope, limit: Int = 50) async throws -> [CaseSearchHit] {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty, typed.count <= 100 else { return [] }
        var terms: [String: CaseSearchTerm.Kind] = [:]
        for kind in CaseSearchTerm.candidates(for: typed) { terms[CaseSearchTerm.stored(typed, kind: kind)] = kind }
        let db = reader
        // The terms first (their primary key), then the scope on those cases only: restricting the term lookup itself
        // would read every case of a province's scope.
        let byTerm = try await db.select().columns("case_id", "kind").from("case_search")
            .where("term", .in, terms.keys.sorted()).limit(5_000).all()
        var matched: [String: String] = [:]
        for row in byTerm {
            let kind = CaseSearchTerm.Kind(rawValue: try row.decode(column: "kind", as: String.self))
            matched[try row.decode(column: "case_id", as: String.self)] = kind?.chineseName ?? "案号"
        }
        // The text may also be a unified case id (whatever else it matched); the scope below decides what is seen.
        if !typed.contains(where: \.isWhitespace), matched[typed] == nil { matched[typed] = "案件编号" }
        guard !matched.isEmpty else { return [] }
        let rows = try await Self.restrict(db.select().columns("*").from("cases").where("case_id", .in, matched.keys.sorted()),
            to: scope, regionColumn: "region").orderBy("accepted_at", .descending).limit(limit).all()
        return try rows.map { row in
            let summary = try Self.summary(row)
            return CaseSearchHit(summary: summary, matchedBy: matched[summary.id] ?? "")
        }
    }
}

extension TianpingStore {
    /// Migration 12's backfill: the search rows and shown numbers of every current case and person record, read in
    /// key order a page at a time (a million cases hold a few million such records).
    static func backfillCaseSearch(db: any SQLDatabase, pageSize: Int = 5_000) async throws {
        let decoder = JSONDecoder()
        var after: [String]?
        while true {
            var select = db.select().columns("record_id", "source", "kind", "version", "case_id", "body").from("records")
                .where("is_current", .equal, 1).where("kind", .in, [RecordKind.case.rawValue, RecordKind.person.rawValue])
            if let after {
                select = select.where(SQLQueryString("(record_id, source, kind, version) > (\(bind: after[0]), \(bind: after[1]), \(bind: after[2]), \(bind: Int64(after[3]) ?? 0))"))
            }
            let rows = try await select.orderBy("record_id").orderBy("source").orderBy("kind").orderBy("version").limit(pageSize).all()
            guard let last = rows.last else { return }
            var records: [(payload: RecordPayload, caseID: String?)] = []
            var numbers: [(caseID: String, number: String, source: String, version: Int64)] = []
            for row in rows {
                let kind = try row.decode(column: "kind", as: String.self)
                guard kind == RecordKind.case.rawValue || kind == RecordKind.person.rawValue else { continue }
                let record = try decoder.decode(ExchangeRecord.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
                records.append((record.payload, try row.decode(column: "case_id", as: String?.self)))
                if case .case(let c) = record.payload, let n = CaseSearchTerm.displayNumber(c) {
                    numbers.append((c.id, n, try row.decode(column: "source", as: String.self), try row.decode(column: "version", as: Int64.self)))
                }
            }
            try await indexForSearch(records, db: db)
            // The number of the case record the `cases` row was projected from (ingest's choice), not of another
            // agency's current record of the same case.
            for n in numbers {
                try await db.update("cases").set("case_number", to: n.number).where("case_id", .equal, n.caseID)
                    .where("source", .equal, n.source).where("version", .equal, n.version).run()
            }
            after = [try last.decode(column: "record_id", as: String.self), try last.decode(column: "source", as: String.self),
                try last.decode(column: "kind", as: String.self), String(try last.decode(column: "version", as: Int64.self))]
        }
    }
}
