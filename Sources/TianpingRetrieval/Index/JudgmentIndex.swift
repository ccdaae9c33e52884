import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The similar-case index on disk: a directory of immutable segment files and a small manifest naming them and the
/// documents each no longer holds. Adding judgments writes one new segment; a correction (a new version) marks the old
/// document removed and adds the new one; a withdrawal marks it removed. The manifest is replaced atomically after the
/// segment file is written, so a crash leaves either the old or the new index, never a mix.
///
/// ```swift
/// var index = try JudgmentIndex(directory: url)
/// try index.apply(adding: judgments.map { IndexedJudgment($0, reading: JudgmentReading($0)) }, withdrawing: [])
/// let hits = index.snapshot.search(SimilarCaseQuery(text: facts, charges: ["盗窃罪"]))
/// ```
public struct JudgmentIndex: Sendable {
    public let directory: URL
    public private(set) var snapshot: IndexSnapshot
    /// The library revision the index has caught up to (the store's change counter), or 0.
    public private(set) var revision: Int
    private var manifest: Manifest

    struct Manifest: Codable, Equatable {
        struct Segment: Codable, Equatable {
            var file: String
            var removed: [Int]
        }

        var format = 1
        var segments: [Segment] = []
        var nextSegment = 1
        var revision = 0
    }

    public enum IndexError: Error, CustomStringConvertible {
        case unreadableManifest(URL, String)
        case lockFailed(String, Int32)

        public var description: String {
            switch self {
            case .unreadableManifest(let url, let why): "类案索引清单 \(url.path) 无法读取：\(why)"
            case .lockFailed(let path, let code): "类案索引锁文件 \(path) 无法加锁（errno \(code)）"
            }
        }
    }

    /// Opens the index in `directory`, creating an empty one when the directory has none.
    public init(directory: URL) throws {
        try self.init(directory: directory, reusing: [:])
    }

    /// Opens the index, taking segments already open (by file name) instead of reading them again.
    init(directory: URL, reusing open: [String: IndexSegment]) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let manifestURL = directory.appendingPathComponent("manifest.json")
        if FileManager.default.fileExists(atPath: manifestURL.path) {
            do {
                manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
            } catch {
                throw IndexError.unreadableManifest(manifestURL, "\(error)")
            }
        } else {
            manifest = Manifest()
        }
        let segments = try manifest.segments.map { try open[$0.file] ?? IndexSegment(contentsOf: directory.appendingPathComponent($0.file)) }
        snapshot = IndexSnapshot(segments: segments, removed: manifest.segments.map { Set($0.removed) })
        revision = manifest.revision
    }

    /// Another process (the CLI beside a server) may have changed the index since it was opened: re-reads the
    /// manifest and, when it differs, opens the index again, keeping the segments both name. Call it holding
    /// ``lock(directory:)``, before applying changes, so that no manifest is written naming files a merge deleted.
    public mutating func reloadIfChanged() throws {
        let url = directory.appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let onDisk: Manifest
        do { onDisk = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url)) } catch {
            throw IndexError.unreadableManifest(url, "\(error)")
        }
        guard onDisk != manifest else { return }
        var open: [String: IndexSegment] = [:]
        for (descriptor, segment) in zip(manifest.segments, snapshot.segments) { open[descriptor.file] = segment }
        self = try JudgmentIndex(directory: directory, reusing: open)
    }

    /// An exclusive lock on the index directory (a `lock` file, `flock`), held while changes are applied: the CLI and
    /// servers sharing one index take turns. Released by ``DirectoryLock/release()`` or when the value is dropped.
    public static func lock(directory: URL) throws -> DirectoryLock {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try DirectoryLock(path: directory.appendingPathComponent("lock").path)
    }

    /// Whether the index holds a live version of `id`, and which.
    public func version(of id: String) -> Int? {
        snapshot.locations[id].map { snapshot.segments[$0.segment].entries[$0.document].version }
    }

    /// Adds (or replaces) judgments and withdraws others in one step, then records `revision` as caught up.
    public mutating func apply(adding added: [IndexedJudgment], withdrawing withdrawn: [String], revision newRevision: Int? = nil) throws {
        var removed = snapshot.removed
        for id in withdrawn + added.map(\.entry.id) {
            if let place = snapshot.locations[id] { removed[place.segment].insert(place.document) }
        }
        var segments = snapshot.segments
        var descriptors = manifest.segments
        if !added.isEmpty {
            var writer = SegmentWriter()
            // Within one batch the last version of an id wins.
            var last: [String: Int] = [:]
            for (i, judgment) in added.enumerated() { last[judgment.entry.id] = i }
            for (i, judgment) in added.enumerated() where last[judgment.entry.id] == i { writer.add(judgment) }
            let name = String(format: "segment-%06d.tpis", manifest.nextSegment)
            let data = try writer.encoded()
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
            segments.append(try IndexSegment(contentsOf: directory.appendingPathComponent(name)))
            removed.append([])
            descriptors.append(Manifest.Segment(file: name, removed: []))
            manifest.nextSegment += 1
        }
        for i in descriptors.indices { descriptors[i].removed = removed[i].sorted() }
        manifest.segments = descriptors
        if let newRevision { manifest.revision = newRevision }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"), options: .atomic)
        snapshot = IndexSnapshot(segments: segments, removed: removed)
        revision = manifest.revision
    }

    /// Merges small segments, so that a library fed by many small imports (each catch-up writes one segment) keeps
    /// few of them, and rewrites segments more than half of whose judgments were removed. Once `smallSegments`
    /// segments hold fewer than half of `maxDocuments` live judgments each, they are merged, smallest first, into
    /// segments of at most `maxDocuments`. The cap keeps segments alike in size: a query searches them on every core at
    /// once, and one segment much larger than the rest would make the others wait (measured in BENCHMARKS.md). The
    /// manifest is replaced atomically before the old files are deleted. Returns how many segments were merged or
    /// dropped.
    @discardableResult
    public mutating func mergeIfNeeded(smallSegments: Int = 10, maxDocuments: Int = 100_000) throws -> Int {
        let segments = snapshot.segments
        let live = zip(segments, snapshot.removed).map { $0.0.documentCount - $0.1.count }
        var groups: [[Int]] = segments.indices.filter { snapshot.removed[$0].count * 2 > segments[$0].documentCount && live[$0] >= maxDocuments / 2 }
            .map { [$0] }
        let small = segments.indices.filter { live[$0] < maxDocuments / 2 || snapshot.removed[$0].count * 2 > segments[$0].documentCount }
            .filter { s in !groups.contains { $0.contains(s) } }
            .sorted { live[$0] != live[$1] ? live[$0] < live[$1] : $0 < $1 }
        let purging = small.contains { snapshot.removed[$0].count * 2 > segments[$0].documentCount }
        if small.count >= smallSegments || purging {
            var group: [Int] = []
            var total = 0
            for s in small {
                if total + live[s] > maxDocuments, !group.isEmpty {
                    groups.append(group)
                    group = []
                    total = 0
                }
                group.append(s)
                total += live[s]
            }
            if !group.isEmpty { groups.append(group) }
        }
        // A group of one is worth rewriting only to drop removed judgments.
        groups = groups.filter { $0.count > 1 || !snapshot.removed[$0[0]].isEmpty }
        guard !groups.isEmpty else { return 0 }
        var descriptors: [Manifest.Segment] = []
        var newSegments: [IndexSegment] = []
        var removed: [Set<Int>] = []
        let chosen = Set(groups.joined())
        for s in segments.indices where !chosen.contains(s) {
            descriptors.append(manifest.segments[s])
            newSegments.append(segments[s])
            removed.append(snapshot.removed[s])
        }
        // Segments holding no live judgment any more are dropped without writing anything.
        for group in groups.map({ $0.sorted() }) where group.contains(where: { live[$0] > 0 }) {
            let data = try SegmentWriter.merged(group.map { (segments[$0], snapshot.removed[$0]) })
            let name = String(format: "segment-%06d.tpis", manifest.nextSegment)
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
            descriptors.append(Manifest.Segment(file: name, removed: []))
            newSegments.append(try IndexSegment(contentsOf: directory.appendingPathComponent(name)))
            removed.append([])
            manifest.nextSegment += 1
        }
        let dropped = chosen.map { manifest.segments[$0].file }
        manifest.segments = descriptors
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"), options: .atomic)
        snapshot = IndexSnapshot(segments: newSegments, removed: removed)
        // A search still holding the old snapshot keeps its memory map: deleting the files does not pull them away.
        for file in dropped { try? FileManager.default.removeItem(at: directory.appendingPathComponent(file)) }
        return chosen.count
    }

    /// Bytes of the segment files.
    public var sizeOnDisk: Int {
        manifest.segments.reduce(0) { total, segment in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(segment.file).path)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }
}

/// An exclusive advisory lock on a file (`flock`), held until released.
public final class DirectoryLock: @unchecked Sendable {
    private var descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw JudgmentIndex.IndexError.lockFailed(path, errno) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let code = errno
            close(descriptor)
            throw JudgmentIndex.IndexError.lockFailed(path, code)
        }
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
