import Foundation
import TianpingRetrieval

/// Keeps the on-disk similar-case index in step with the store's judgment library: it applies the library's changes
/// after the revision the index records, a batch (one segment) at a time, so a judgment added, corrected or withdrawn
/// is found, updated or gone in the next query after a catch-up. Run before a search and after an import.
public enum LibraryIndexer {
    /// Where the index of a store lives: beside an SQLite file (`FILE.library-index`), else `./tianping-library-index`.
    public static func defaultDirectory(for location: StoreLocation) -> URL {
        if case .sqlite(let path) = location { return URL(fileURLWithPath: path + ".library-index") }
        return URL(fileURLWithPath: "tianping-library-index")
    }

    /// Applies every change the index has not seen. Returns how many changes were applied.
    @discardableResult
    public static func catchUp(_ store: TianpingStore, index: inout JudgmentIndex, batch: Int = 5_000) async throws -> Int {
        // Another process may share the index (the CLI beside a server): take turns, and start from what is on disk.
        let lock = try JudgmentIndex.lock(directory: index.directory)
        defer { lock.release() }
        try index.reloadIfChanged()
        var applied = 0
        while true {
            let changes = try await store.libraryChanges(after: index.revision, limit: batch)
            guard let last = changes.last else { return applied }
            var added: [IndexedJudgment] = []
            var withdrawn: [String] = []
            for change in changes {
                if let judgment = change.judgment, let reading = change.reading {
                    added.append(IndexedJudgment(judgment, reading: reading))
                } else {
                    withdrawn.append(change.id)
                }
            }
            try index.apply(adding: added, withdrawing: withdrawn, revision: last.revision)
            try index.mergeIfNeeded()
            applied += changes.count
        }
    }
}
