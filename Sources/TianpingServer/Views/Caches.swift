import Foundation
import Logging
import TianpingAccess
import TianpingCore
import TianpingStore

/// Agency and city names for pages, read from the store and kept for a minute (agencies change rarely; a page
/// must not read the whole agency table on every request).
actor AgencyDirectory {
    struct Names: Sendable {
        var agencies: [String: String]
        var cities: [String: String]
        /// The province, cities and counties by code, named from their procuratorates (`青石市人民检察院` → `青石市`), in
        /// code order.
        var regions: [(code: String, name: String, level: AdministrativeLevel)] = []

        func agency(_ code: String) -> String { agencies[code] ?? code }
        /// A city's name from its agencies' names (`青石市人民检察院` → `青石市`), else its code.
        func city(_ code: String) -> String { cities[code] ?? code }
        /// A region's name (province, city or county), else its code.
        func region(_ code: String) -> String { regions.first { $0.code == code }?.name ?? cities[code] ?? code }

        /// What a data scope covers, in words: `天平省全省的案件`, `青石市的案件`, else the scope's own description.
        func scope(_ scope: DataScope) -> String {
            guard case .region(let prefix) = scope else { return scope.chineseDescription }
            let code = prefix + String(repeating: "0", count: max(0, 6 - prefix.count))
            guard let name = regions.first(where: { $0.code == code })?.name else { return scope.chineseDescription }
            return prefix.count == 2 ? "\(name)全省的案件" : "\(name)的案件"
        }

        /// The agency a supervisor typed: its code, its full name, or a part of its name that only one agency has.
        func agencyCode(_ typed: String) -> Result<String, AgencyLookupFailure> {
            let t = typed.trimmingCharacters(in: .whitespaces)
            if agencies[t] != nil { return .success(t) }
            if let exact = agencies.first(where: { $0.value == t }) { return .success(exact.key) }
            let partial = agencies.filter { $0.value.contains(t) }.sorted { $0.key < $1.key }
            if partial.count == 1 { return .success(partial[0].key) }
            return .failure(partial.isEmpty ? .none(t) : .several(t, partial.prefix(5).map(\.value)))
        }
    }

    enum AgencyLookupFailure: Error {
        case none(String)
        case several(String, [String])

        var message: String {
            switch self {
            case .none(let t): return "没有名称或代码为“\(t)”的机关"
            case .several(let t, let names): return "“\(t)”对应多个机关（\(names.joined(separator: "、"))……），请输入完整名称"
            }
        }
    }

    private let store: TianpingStore
    private var cached: (names: Names, at: ContinuousClock.Instant)?

    init(store: TianpingStore) { self.store = store }

    func names() async throws -> Names {
        if let cached, ContinuousClock.now - cached.at < .seconds(60) { return cached.names }
        let agencies = try await store.agencies()
        var cities: [String: String] = [:]
        var regions: [(code: String, name: String, level: AdministrativeLevel)] = []
        for a in agencies where a.kind == .procuratorate {
            guard let range = a.name.range(of: "人民检察院") else { continue }
            let name = String(a.name[..<range.lowerBound])
            if a.level == .city { cities[a.region.text] = name }
            if !regions.contains(where: { $0.code == a.region.text }) { regions.append((a.region.text, name, a.level)) }
        }
        regions.sort { $0.code < $1.code }
        let names = Names(agencies: Dictionary(agencies.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }), cities: cities,
            regions: regions)
        cached = (names, .now)
        return names
    }
}

/// The overview per data scope. Its grouped scans take a noticeable time on a million cases, and the supervision
/// picture does not change by the second: an entry older than ``lifetime`` is still served (the page shows when it
/// was computed) while one refresh runs in the background; only the first request of a scope waits, and concurrent
/// first requests share one computation. A step taken through this server drops every entry.
actor OverviewCache {
    struct Entry: Sendable {
        var overview: WorkbenchOverview
        var computedAt: Int64
        /// Distinct for every computation (two in the same second included), so that what is drawn from it can be
        /// kept by it.
        var id = UUID()
    }

    private let store: TianpingStore
    private let lifetime: Int64
    private var entries: [DataScope: Entry] = [:]
    private var running: [DataScope: (generation: Int, task: Task<Entry, any Error>)] = [:]
    /// Bumped by ``invalidate()``: a computation that began before a step is not kept.
    private var generation = 0

    init(store: TianpingStore, lifetime: Int64 = 30) {
        self.store = store
        self.lifetime = lifetime
    }

    func overview(scope: DataScope, now: Int64) async throws -> Entry {
        if let entry = entries[scope] {
            if now - entry.computedAt >= lifetime, running[scope] == nil { _ = refresh(scope, now: now) }
            return entry
        }
        // Join a computation only if it began after the last step.
        if let current = running[scope], current.generation == generation { return try await current.task.value }
        return try await refresh(scope, now: now).value
    }

    private func refresh(_ scope: DataScope, now: Int64) -> Task<Entry, any Error> {
        let store = self.store
        let task = Task { Entry(overview: try await store.overview(scope: scope, now: now), computedAt: now) }
        let started = generation
        running[scope] = (started, task)
        Task {
            let result = await task.result
            self.finished(scope, result, generation: started)
        }
        return task
    }

    private func finished(_ scope: DataScope, _ result: Result<Entry, any Error>, generation started: Int) {
        if running[scope]?.generation == started { running[scope] = nil }
        switch result {
        case .success(let entry): if started == generation { entries[scope] = entry }
        case .failure(let error): Logger(label: "tianping.workbench").error("overview refresh failed: \(String(reflecting: error))")
        }
    }

    func invalidate() {
        entries.removeAll()
        generation += 1
    }
}

/// How many warnings a list filter matches, per scope, kept for ``lifetime`` seconds and dropped after a step taken
/// through this server: counting a province's warnings costs more than reading a page of them. The count shown can
/// therefore lag an ingest by up to ``lifetime``; the rows themselves are always read fresh.
actor ListCountCache {
    private struct Key: Hashable {
        var scope: DataScope
        var query: WarningListQuery
    }

    private let store: TianpingStore
    private let lifetime: Int64
    private var counts: [Key: (count: Int, at: Int64)] = [:]

    init(store: TianpingStore, lifetime: Int64 = 30) {
        self.store = store
        self.lifetime = lifetime
    }

    func count(_ query: WarningListQuery, scope: DataScope, now: Int64) async throws -> Int {
        // Overdue-only depends on the moment: not kept.
        let key = Key(scope: scope, query: query)
        if !query.overdueOnly, let hit = counts[key], now - hit.at < lifetime { return hit.count }
        let count = try await store.warningCount(query, scope: scope, now: now)
        if counts.count > 10_000 { counts.removeAll() }
        counts[key] = (count, now)
        return count
    }

    func invalidate() { counts.removeAll() }
}

/// The figures the workbench keeps briefly; a step taken through this server drops them all.
struct WorkbenchCaches: Sendable {
    let overviews: OverviewCache
    let counts: ListCountCache
    let renderedOverviews = RenderedOverviews()

    init(store: TianpingStore) {
        overviews = OverviewCache(store: store)
        counts = ListCountCache(store: store)
    }

    func invalidate() async {
        await overviews.invalidate()
        await counts.invalidate()
    }
}

/// The overview's charts and tables as rendered for one scope from one computation: they change only when the
/// figures do, so every request in between reuses them (drawing nine charts per request doubled the page's cost).
actor RenderedOverviews {
    struct Fragments: Sendable {
        var cards: [Workbench.OverviewPage.Card]
        var charts: [Workbench.OverviewPage.Chart]
        var caseLateTable: String
        var warningTable: String
        var listed: Int
    }

    private var entries: [DataScope: (computation: UUID, fragments: Fragments)] = [:]

    func fragments(scope: DataScope, computation: UUID, render: @Sendable () async throws -> Fragments) async throws -> Fragments {
        if let entry = entries[scope], entry.computation == computation { return entry.fragments }
        let fragments = try await render()
        entries[scope] = (computation, fragments)
        return fragments
    }
}
