import Foundation
import Hummingbird
import TianpingAccess
import TianpingRetrieval
import TianpingStore
import TianpingText

/// 类案检索 over HTTP: `GET /api/v1/judgments/search` ranks the library's judgments for a case's facts and explains
/// each hit, as `tianping search` does. The index is brought up to the library's revision before each search.
struct JudgmentLibraryAPI {
    let store: TianpingStore
    let library: LibraryIndexHolder

    struct SearchResponse: ResponseEncodable {
        var libraryCount: Int
        var hits: [RetrievedJudgment]
    }

    /// The longest query text accepted (a case's facts, not a dossier).
    static let maximumQueryBytes = 100_000

    func register(on v1: SecureRoutes) {
        v1.get("judgments/search", .permission(.readFindings)) { request, context -> SearchResponse in
            let response = try await search(try Self.query(request.uri.queryParameters), limit: try Self.limit(request.uri.queryParameters))
            try await AccessAudit.list(store, request, context, count: response.hits.count)
            return response
        }
    }

    func search(_ query: SimilarCaseQuery, limit: Int) async throws -> SearchResponse {
        let snapshot = try await library.current(store)
        return SearchResponse(libraryCount: snapshot.liveCount, hits: try await store.retrieve(query, in: snapshot, limit: limit))
    }

    /// `q` (the facts), `charge` and `onlyCharge` (comma-separated), `courtLevel` (supreme, high, intermediate,
    /// basic; comma-separated), `province`, `fromYear`, `toYear`.
    static func query(_ parameters: Parameters) throws -> SimilarCaseQuery {
        let text = parameters["q"].map(String.init) ?? ""
        guard !text.allSatisfy(\.isWhitespace) else {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "请给出案情文本（参数 q）")
        }
        guard text.utf8.count <= maximumQueryBytes else {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "案情文本过长（最多 \(maximumQueryBytes) 字节）：请只给出事实部分")
        }
        func list(_ name: String) -> [String] {
            (parameters[Substring(name)].map(String.init) ?? "").split(whereSeparator: { $0 == "," || $0 == "，" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var levels = Set<CourtLevel>()
        for name in list("courtLevel") {
            guard let level = CourtLevel(rawValue: name) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "courtLevel 应为 supreme、high、intermediate 或 basic：\(name)")
            }
            levels.insert(level)
        }
        func year(_ name: String) throws -> Int? {
            // A form sends its empty fields (`fromYear=`): empty means not set.
            guard let raw = parameters[Substring(name)], !raw.allSatisfy(\.isWhitespace) else { return nil }
            guard let value = Int(raw), (1949...2100).contains(value) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "\(name) 应为年份：\(raw)")
            }
            return value
        }
        let from = try year("fromYear")
        let to = try year("toYear")
        if let from, let to, from > to {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "fromYear 不能晚于 toYear")
        }
        let years: ClosedRange<Int>? = from != nil || to != nil ? (from ?? 1949)...(to ?? 2100) : nil
        return SimilarCaseQuery(text: text, charges: list("charge"),
            filters: SearchFilters(charges: list("onlyCharge"), courtLevels: levels, provinces: Set(list("province")), years: years))
    }

    static func limit(_ parameters: Parameters) throws -> Int {
        guard let raw = parameters["limit"] else { return 10 }
        guard let value = Int(raw), (1...100).contains(value) else {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "limit 应在 1 到 100 之间：\(raw)")
        }
        return value
    }
}

/// The server's one similar-case index, caught up with the store's library before a search (one cheap query when
/// nothing changed). Catch-ups run one at a time: a search arriving during one waits for it and uses its result, so
/// two requests never write the same segment.
actor LibraryIndexHolder {
    let directory: URL
    private var index: JudgmentIndex?
    private var running: Task<JudgmentIndex, any Error>?

    init(directory: URL) { self.directory = directory }

    func current(_ store: TianpingStore) async throws -> IndexSnapshot {
        if let running { return try await running.value.snapshot }
        let start = index
        let directory = directory
        let task = Task {
            var opened = try start ?? JudgmentIndex(directory: directory)
            try await LibraryIndexer.catchUp(store, index: &opened)
            return opened
        }
        running = task
        defer { running = nil }
        let caught = try await task.value
        index = caught
        return caught.snapshot
    }
}
