import Crypto
import Foundation
import SQLKit
import TianpingCore
import TianpingIngest
import TianpingRetrieval

/// What one import of judgments did.
public struct LibraryImportSummary: Sendable, Codable, Equatable {
    public var lines = 0
    /// New judgments.
    public var added = 0
    /// Judgments replaced by a higher version.
    public var corrected = 0
    /// The same version with the same content again (an import run twice).
    public var unchanged = 0
    /// A lower version than the one stored: ignored, as ingest ignores superseded records.
    public var older = 0
    /// Lines kept in quarantine with the reason (not JSON, unknown form, no text, a version conflict).
    public var quarantined = 0

    public init() {}
}

/// One change of the library, in the order the index applies them.
public struct LibraryChange: Sendable {
    public var revision: Int
    public var id: String
    /// The judgment and its reading; nil when it was withdrawn.
    public var judgment: LibraryJudgment?
    public var reading: JudgmentReading?
}

extension TianpingStore {
    /// Adds judgments to the similar-case library: each line is read once (`JudgmentReading`) and stored with what was
    /// read. Versions behave as in ingest: a higher version corrects, the same content again changes nothing, a lower
    /// version is ignored, and the same version with different content is a conflict kept in quarantine — as is every
    /// line that is not a judgment. Every stored change takes the next library revision, which the index follows.
    public func importJudgments(_ lines: [(number: Int, bytes: Data)], sourceName: String) async throws -> LibraryImportSummary {
        var summary = LibraryImportSummary()
        summary.lines = lines.count
        var quarantine: [QuarantineEntry] = []
        var judgments: [(line: (number: Int, bytes: Data), judgment: LibraryJudgment)] = []
        for line in lines {
            do {
                judgments.append((line, try JudgmentImport.judgment(fromLine: line.bytes)))
            } catch let error as JudgmentImport.LineError {
                let code: RejectionCode = switch error {
                case .notJSON: .malformedJSON
                case .unknownForm, .missing: .schema
                case .emptyText: .invalidValue
                }
                quarantine.append(Self.quarantineEntry(line, sourceName: sourceName, rejection: Rejection(code, "文书库导入：\(error)")))
            }
        }
        let readings = await JudgmentReading.readAll(judgments.map(\.judgment))
        let items = judgments
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let now = clock.now().secondsSinceEpoch
        let outcome = try await transaction { db -> (LibraryImportSummary, [QuarantineEntry]) in
            var summary = LibraryImportSummary()
            var conflicts: [QuarantineEntry] = []
            var stored: [String: (version: Int, hash: String)] = [:]
            for chunk in items.map(\.judgment.id).chunked(500) {
                for row in try await db.select().columns("id", "version", "content_sha256").from("library_judgments").where("id", .in, Array(chunk)).all() {
                    stored[try row.decode(column: "id", as: String.self)] = (try row.decode(column: "version", as: Int.self),
                        try row.decode(column: "content_sha256", as: String.self))
                }
            }
            var revision = try await Self.libraryRevision(db)
            for (item, reading) in zip(items, readings) {
                let judgment = item.judgment
                let body = try encoder.encode(judgment)
                let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
                if let known = stored[judgment.id] {
                    if judgment.version < known.version { summary.older += 1; continue }
                    if judgment.version == known.version {
                        if hash == known.hash { summary.unchanged += 1 } else {
                            conflicts.append(Self.quarantineEntry(item.line, sourceName: sourceName, rejection: Rejection(.versionConflict,
                                "文书库导入：文书 \(judgment.id) 的第 \(judgment.version) 版已存在且内容不同；更正请提高版本号")))
                        }
                        continue
                    }
                }
                revision += 1
                let values: [any SQLExpression] = [SQLBind(judgment.id), SQLBind(judgment.source), SQLBind(judgment.version),
                    SQLBind(judgment.title), SQLBind(String(decoding: body, as: UTF8.self)), SQLBind(String(decoding: try encoder.encode(reading), as: UTF8.self)),
                    SQLBind(hash), SQLBind(0), SQLBind(revision), SQLBind(now)]
                if stored[judgment.id] == nil {
                    try await db.insert(into: "library_judgments")
                        .columns("id", "source", "version", "title", "body", "reading", "content_sha256", "withdrawn", "revision", "imported_at")
                        .values(values).run()
                    summary.added += 1
                } else {
                    try await db.update("library_judgments").set("source", to: judgment.source).set("version", to: judgment.version)
                        .set("title", to: judgment.title).set("body", to: String(decoding: body, as: UTF8.self))
                        .set("reading", to: String(decoding: try encoder.encode(reading), as: UTF8.self)).set("content_sha256", to: hash)
                        .set("withdrawn", to: 0).set("revision", to: revision).set("imported_at", to: now)
                        .where("id", .equal, judgment.id).run()
                    summary.corrected += 1
                }
                stored[judgment.id] = (judgment.version, hash)
            }
            return (summary, conflicts)
        }
        quarantine += outcome.1
        try await Self.insertQuarantine(quarantine, now: now, db: writer)
        summary.added = outcome.0.added
        summary.corrected = outcome.0.corrected
        summary.unchanged = outcome.0.unchanged
        summary.older = outcome.0.older
        summary.quarantined = quarantine.count
        return summary
    }

    /// Withdraws judgments from the library (a judgment taken down from publication); unknown ids are ignored.
    /// Returns how many were withdrawn.
    @discardableResult
    public func withdrawJudgments(_ ids: [String]) async throws -> Int {
        try await transaction { db in
            var revision = try await Self.libraryRevision(db)
            var count = 0
            for id in ids {
                let live = try await db.select().column("id").from("library_judgments").where("id", .equal, id).where("withdrawn", .equal, 0).first()
                guard live != nil else { continue }
                revision += 1
                try await db.update("library_judgments").set("withdrawn", to: 1).set("revision", to: revision).where("id", .equal, id).run()
                count += 1
            }
            return count
        }
    }

    /// Changes after `revision`, oldest first: what an index that has caught up to `revision` must apply next.
    public func libraryChanges(after revision: Int, limit: Int = 2_000) async throws -> [LibraryChange] {
        let decoder = JSONDecoder()
        return try await reader.select().columns("id", "body", "reading", "withdrawn", "revision").from("library_judgments")
            .where("revision", .greaterThan, revision).orderBy("revision").limit(limit).all().map { row in
                let withdrawn = try row.decode(column: "withdrawn", as: Int.self) != 0
                return LibraryChange(revision: try row.decode(column: "revision", as: Int.self), id: try row.decode(column: "id", as: String.self),
                    judgment: withdrawn ? nil : try decoder.decode(LibraryJudgment.self, from: Data(try row.decode(column: "body", as: String.self).utf8)),
                    reading: withdrawn ? nil : try decoder.decode(JudgmentReading.self, from: Data(try row.decode(column: "reading", as: String.self).utf8)))
            }
    }

    /// One judgment of the library with what was read from it (withdrawn ones too, marked as such).
    public func libraryJudgment(id: String) async throws -> (judgment: LibraryJudgment, reading: JudgmentReading, withdrawn: Bool)? {
        guard let row = try await reader.select().columns("body", "reading", "withdrawn").from("library_judgments").where("id", .equal, id).first()
        else { return nil }
        let decoder = JSONDecoder()
        return (try decoder.decode(LibraryJudgment.self, from: Data(try row.decode(column: "body", as: String.self).utf8)),
            try decoder.decode(JudgmentReading.self, from: Data(try row.decode(column: "reading", as: String.self).utf8)),
            try row.decode(column: "withdrawn", as: Int.self) != 0)
    }

    /// Judgments in the library, withdrawn ones not counted, and the latest revision.
    public func libraryCounts() async throws -> (judgments: Int, revision: Int) {
        let live = try await reader.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("library_judgments")
            .where("withdrawn", .equal, 0).first()?.decode(column: "n", as: Int.self) ?? 0
        return (live, try await Self.libraryRevision(reader))
    }

    static func libraryRevision(_ db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("max", args: SQLColumn("revision")), as: "r").from("library_judgments").first()?
            .decode(column: "r", as: Int?.self) ?? 0
    }

    static func quarantineEntry(_ line: (number: Int, bytes: Data), sourceName: String, rejection: Rejection) -> QuarantineEntry {
        let text = String(data: line.bytes.prefix(65_536), encoding: .utf8)
        return QuarantineEntry(sourceName: sourceName, lineNumber: line.number, rawText: text ?? line.bytes.prefix(4_096).map { String(format: "%02x", $0) }.joined(),
            rawEncoding: text == nil ? "hex" : line.bytes.count > 65_536 ? "truncated-utf8" : "utf8",
            rawSHA256: SHA256.hash(data: line.bytes).map { String(format: "%02x", $0) }.joined(), byteCount: line.bytes.count, rejection: rejection)
    }
}

/// A ranked judgment with what a reader needs to judge it: where it is from and why it was retrieved.
public struct RetrievedJudgment: Sendable, Codable {
    public var rank: Int
    public var id: String
    public var title: String?
    public var court: String?
    public var caseNumber: String?
    public var year: Int?
    public var chargeShare: Double
    public var textScore: Double
    public var explanation: SimilarityExplanation
}

extension TianpingStore {
    /// The `limit` judgments of `snapshot` most similar to `query`, each explained from its stored text and reading
    /// (what `tianping search` prints and the API returns).
    public func retrieve(_ query: SimilarCaseQuery, in snapshot: IndexSnapshot, limit: Int) async throws -> [RetrievedJudgment] {
        try await retrieveWithReadings(query, in: snapshot, limit: limit).map(\.hit)
    }

    /// ``retrieve(_:in:limit:)`` with each hit's stored judgment and reading, read once (the 类案检索报告 also compares
    /// their sentences).
    public func retrieveWithReadings(_ query: SimilarCaseQuery, in snapshot: IndexSnapshot, limit: Int) async throws
        -> [(hit: RetrievedJudgment, read: ReadJudgment)]
    {
        var hits: [(hit: RetrievedJudgment, read: ReadJudgment)] = []
        for (rank, scored) in snapshot.search(query, limit: limit).enumerated() {
            guard let found = try await libraryJudgment(id: scored.entry.id) else { continue }
            hits.append((RetrievedJudgment(rank: rank + 1, id: scored.entry.id, title: found.judgment.title, court: found.reading.court,
                caseNumber: found.reading.caseNumber, year: found.reading.year, chargeShare: scored.chargeShare, textScore: scored.textScore,
                explanation: SimilarityExplanation(query: query, judgment: found.judgment, reading: found.reading)),
                ReadJudgment(judgment: found.judgment, reading: found.reading)))
        }
        return hits
    }

    /// The judgments of `snapshot` most similar to `query`, most similar first, with what was read from them: what
    /// comparing sentences needs (``RetrievedJudgment`` is for showing hits).
    public func similarJudgments(_ query: SimilarCaseQuery, in snapshot: IndexSnapshot, limit: Int) async throws -> [ReadJudgment] {
        var found: [ReadJudgment] = []
        for scored in snapshot.search(query, limit: limit) {
            guard let stored = try await libraryJudgment(id: scored.entry.id) else { continue }
            found.append(ReadJudgment(judgment: stored.judgment, reading: stored.reading))
        }
        return found
    }
}
