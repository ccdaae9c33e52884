import Foundation
import SQLKit
import TianpingAccess
import TianpingCore

/// Filters for the case list.
public struct CaseQuery: Sendable, Equatable {
    public var type: CaseType?
    /// A region code; a city or province code matches every county inside it.
    public var region: RegionCode?
    /// A charge (`盗窃罪`), matched inside the case's charge list.
    public var charge: String?
    /// Accepted at or after / before these instants.
    public var acceptedFrom: Timestamp?
    public var acceptedBefore: Timestamp?

    public init(type: CaseType? = nil, region: RegionCode? = nil, charge: String? = nil,
        acceptedFrom: Timestamp? = nil, acceptedBefore: Timestamp? = nil)
    {
        self.type = type
        self.region = region
        self.charge = charge
        self.acceptedFrom = acceptedFrom
        self.acceptedBefore = acceptedBefore
    }
}

/// One row of the case list.
public struct CaseSummary: Sendable, Codable, Equatable {
    public var id: String
    /// The 案号 shown for the case: the court's once it has one, else the latest agency's number.
    public var caseNumber: String?
    public var type: CaseType
    public var title: String
    public var charges: [String]
    public var cause: String?
    public var region: String
    public var acceptedAt: Timestamp
    public var procedure: TrialProcedure?
    public var lastEvent: EventKind?
    public var lastEventAt: Timestamp?
}

/// A case with every current record that belongs to it, events in time order.
public struct CaseDossier: Sendable {
    public var summary: CaseSummary
    public var caseRecord: CaseRecord
    /// Every current record of the case, ordered by the instant it concerns.
    public var records: [StoredRecord]
}

/// A record as stored: its identity, version and decoded content.
public struct StoredRecord: Sendable {
    public var record: ExchangeRecord
    public var contentHash: String
    /// Versions stored for this identity (history), including the current one.
    public var versionCount: Int
}

extension TianpingStore {
    /// A page of cases, newest first.
    public func cases(_ query: CaseQuery, page: Int, pageSize: Int, scope: DataScope = .everything) async throws -> Page<CaseSummary> {
        let page = max(1, page)
        let pageSize = min(max(1, pageSize), 500)
        func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var s = select
            if let t = query.type { s = s.where("case_type", .equal, t.rawValue) }
            if let r = query.region {
                switch r.level {
                case .county: s = s.where("region", .equal, r.text)
                case .city: s = s.where("city", .equal, r.text)
                case .province: s = s.where("region", .like, String(r.text.prefix(2)) + "%")
                }
            }
            if let c = query.charge, !c.isEmpty {
                // Whole charge names only: "|盗窃罪|" inside "|盗窃罪|诈骗罪|".
                let pattern = "%" + Self.chargeSeparator + Self.escapeLike(c) + Self.chargeSeparator + "%"
                s = s.where("charges", .like, pattern)
            }
            if let f = query.acceptedFrom { s = s.where("accepted_at", .greaterThanOrEqual, f.secondsSinceEpoch) }
            if let b = query.acceptedBefore { s = s.where("accepted_at", .lessThan, b.secondsSinceEpoch) }
            return Self.restrict(s, to: scope, regionColumn: "region")
        }
        let db = reader
        let total = try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("cases")).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await filtered(db.select().columns("*").from("cases"))
            .orderBy("accepted_at", .descending).orderBy("case_id", .ascending)
            .limit(pageSize).offset((page - 1) * pageSize).all()
        return Page(items: try rows.map(Self.summary), page: page, pageSize: pageSize, total: total)
    }

    static func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }

    static func summary(_ row: any SQLRow) throws -> CaseSummary {
        let charges = try row.decode(column: "charges", as: String.self)
        return CaseSummary(
            id: try row.decode(column: "case_id", as: String.self),
            caseNumber: try row.decode(column: "case_number", as: String?.self),
            type: CaseType(rawValue: try row.decode(column: "case_type", as: String.self)) ?? .criminal,
            title: try row.decode(column: "title", as: String.self),
            charges: charges.split(separator: Character(chargeSeparator)).map(String.init),
            cause: try row.decode(column: "cause", as: String?.self),
            region: try row.decode(column: "region", as: String.self),
            acceptedAt: Timestamp(secondsSinceEpoch: try row.decode(column: "accepted_at", as: Int64.self)),
            procedure: try row.decode(column: "procedure", as: String?.self).flatMap(TrialProcedure.init(rawValue:)),
            lastEvent: try row.decode(column: "last_event_kind", as: String?.self).flatMap(EventKind.init(rawValue:)),
            lastEventAt: try row.decode(column: "last_event_at", as: Int64?.self).map { Timestamp(secondsSinceEpoch: $0) })
    }

    /// Everything the platform holds on one case, or `nil` if the case is unknown or outside `scope`.
    public func dossier(caseID: String, scope: DataScope = .everything) async throws -> CaseDossier? {
        let db = reader
        guard let row = try await Self.restrict(db.select().columns("*").from("cases").where("case_id", .equal, caseID),
            to: scope, regionColumn: "region").first()
        else { return nil }
        let summary = try Self.summary(row)
        let rows = try await db.select().columns("record_id", "source", "kind", "version", "content_hash", "body", "is_current")
            .from("records").where("case_id", .equal, caseID)
            .orderBy("occurred_at", .ascending).orderBy("record_id", .ascending).all()
        let decoder = JSONDecoder()
        var versions: [String: Int] = [:]
        var current: [(ExchangeRecord, String)] = []
        for row in rows {
            let identity = try row.decode(column: "source", as: String.self) + "/" + row.decode(column: "kind", as: String.self)
                + "/" + row.decode(column: "record_id", as: String.self)
            versions[identity, default: 0] += 1
            guard try row.decode(column: "is_current", as: Int.self) == 1 else { continue }
            let body = try row.decode(column: "body", as: String.self)
            current.append((try decoder.decode(ExchangeRecord.self, from: Data(body.utf8)),
                try row.decode(column: "content_hash", as: String.self)))
        }
        var caseRecord: CaseRecord?
        var records: [StoredRecord] = []
        for (record, hash) in current {
            if case .case(let c) = record.payload { caseRecord = c }
            records.append(StoredRecord(record: record, contentHash: hash,
                versionCount: versions["\(record.source)/\(record.kind.rawValue)/\(record.id)"] ?? 1))
        }
        guard let caseRecord else { return nil }
        return CaseDossier(summary: summary, caseRecord: caseRecord, records: records)
    }

    /// Every agency, ordered by code.
    public func agencies() async throws -> [Agency] {
        try await reader.select().columns("*").from("agencies").orderBy("code").all().compactMap { row in
            guard let kind = AgencyKind(rawValue: try row.decode(column: "kind", as: String.self)),
                let region = RegionCode(try row.decode(column: "region", as: String.self)),
                let level = AdministrativeLevel(rawValue: try row.decode(column: "level", as: String.self))
            else { return nil }
            return Agency(code: try row.decode(column: "code", as: String.self), kind: kind,
                name: try row.decode(column: "name", as: String.self), region: region, level: level,
                parentCode: try row.decode(column: "parent_code", as: String?.self))
        }
    }
}

extension TianpingStore {
    /// Whether a case exists.
    public func caseExists(id: String) async throws -> Bool {
        try await reader.select().column("case_id").from("cases").where("case_id", .equal, id).first() != nil
    }
}

extension TianpingStore {
    /// The person records of officials named by events: an event names its officer by the id its agency gives the
    /// person, so the lookup is by that agency (the record's source) and id; current versions only.
    public func officials(_ named: [(agency: String, id: String)]) async throws -> [Person] {
        var result: [Person] = []
        let decoder = JSONDecoder()
        let wanted = Set(named.map { $0.agency + "\u{1F}" + $0.id })
        for chunk in Array(Set(named.map(\.id))).sorted().chunked(500) {
            let rows = try await reader.select().columns("source", "body").from("records").where("record_id", .in, Array(chunk))
                .where("kind", .equal, RecordKind.person.rawValue).where("is_current", .equal, 1).all()
            for row in rows {
                let record = try decoder.decode(ExchangeRecord.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
                guard case .person(let p) = record.payload, p.role.isOfficial,
                    wanted.contains(try row.decode(column: "source", as: String.self) + "\u{1F}" + p.id)
                else { continue }
                result.append(p)
            }
        }
        return result.sorted { $0.id < $1.id }
    }
}
