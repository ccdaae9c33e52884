import TianpingCore

/// Settings of an ingest run.
public struct IngestOptions: Sendable {
    /// Lines per transaction. Larger batches amortise commits; a crash loses at most one batch of work,
    /// which the next run redoes because ingest is idempotent.
    public var batchSize: Int = 10_000
    /// Longest line accepted, in bytes.
    public var maxLineBytes: Int = 16 << 20
    /// The time against which "in the future" is judged.
    public var now: Timestamp
    /// Decoding tasks run in parallel.
    public var parallelism: Int = 2

    public init(now: Timestamp, batchSize: Int = 10_000, maxLineBytes: Int = 16 << 20, parallelism: Int = 2) {
        self.now = now
        self.batchSize = batchSize
        self.maxLineBytes = maxLineBytes
        self.parallelism = max(1, parallelism)
    }
}

/// Progress of a run, reported after each batch.
public struct IngestProgress: Sendable {
    public var lines: Int
    public var bytes: Int
}

/// Validates lines of the exchange format, decides what each one changes, and writes batches.
///
/// Decoding and record-local checks run in parallel; checks against stored state and the version merge
/// run in line order, so that a case defined on line 10 can be referenced on line 11 of the same file.
public final class Ingestor {
    private let store: any IngestStore
    private let options: IngestOptions
    private var agencies: [String: AgencyKind] = [:]
    private var loadedAgencies = false
    /// What the batch being committed accepted, so the next batch can be checked before that commit ends.
    private var inFlightCases: [String: CaseContext] = [:]
    private var inFlightVersions: [RecordKey: [Int: String]] = [:]

    public init(store: any IngestStore, options: IngestOptions) {
        self.store = store
        self.options = options
    }

    /// One line to process and where it came from.
    struct PendingLine {
        var sourceName: String
        var number: Int
        var bytes: [UInt8]
        /// Set when replaying a quarantine entry.
        var quarantineID: Int64?
    }

    /// Ingests every line a reader yields. Each batch commits on its own.
    public func ingest(_ reader: LineReader, sourceName: String,
        progress: ((IngestProgress) -> Void)? = nil) async throws -> IngestSummary
    {
        try await loadAgencies()
        var summary = IngestSummary()
        var pending: [PendingLine] = []
        var batch = IngestBatch()
        pending.reserveCapacity(options.batchSize)
        // One batch commits while the next is decoded and checked; at most one commit is in flight, and
        // the run waits for it before returning, so a batch is reported only once it is durable.
        var committing: Task<Void, any Error>?
        let store = self.store
        func flush() async throws {
            try await process(pending, into: &batch, summary: &summary)
            try await committing?.value
            committing = nil
            if !batch.isEmpty {
                let ready = batch
                committing = Task { try await store.commit(ready) }
            }
            rememberInFlight(batch)
            pending.removeAll(keepingCapacity: true)
            batch = IngestBatch()
            progress?(IngestProgress(lines: summary.lines, bytes: reader.bytesRead))
        }
        defer { committing?.cancel() }
        while let line = reader.next() {
            summary.lines += 1
            switch line {
            case .text(let number, let bytes):
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                    summary.blankLines += 1
                    continue
                }
                pending.append(PendingLine(sourceName: sourceName, number: number, bytes: bytes))
            case .oversized(let number, let byteCount, let prefix, let sha):
                let rejection = Rejection(.lineTooLong,
                    "第\(number)行长 \(byteCount) 字节，超过上限 \(options.maxLineBytes) 字节；仅保留开头部分与完整内容的 SHA-256，原文请从报送文件中按行号取回")
                batch.quarantine.append(QuarantineEntry(sourceName: sourceName, lineNumber: number,
                    rawText: String(decoding: prefix, as: UTF8.self), rawEncoding: "truncated-utf8", rawSHA256: sha,
                    byteCount: byteCount, rejection: rejection))
                summary.add("unreadable", .quarantined)
            }
            if pending.count >= options.batchSize { try await flush() }
        }
        try await flush()
        try await committing?.value
        committing = nil
        inFlightCases = [:]
        inFlightVersions = [:]
        summary.bytes = reader.bytesRead
        return summary
    }

    /// Keeps what a batch accepted until its commit is known to be done (the next flush awaits it).
    private func rememberInFlight(_ batch: IngestBatch) {
        inFlightCases = [:]
        inFlightVersions = [:]
        for r in batch.records {
            inFlightVersions[r.key, default: [:]][r.version] = r.contentHash
            if r.isCurrent, case .case(let c) = r.payload {
                inFlightCases[c.id] = CaseContext(type: c.type, acceptedAt: c.acceptedAt)
            }
        }
    }

    /// Re-validates quarantined lines (after the data they were missing arrived, or after correction).
    public func replay(_ entries: [(id: Int64, entry: QuarantineEntry)]) async throws -> IngestSummary {
        try await loadAgencies()
        var summary = IngestSummary()
        for chunk in stride(from: 0, to: entries.count, by: options.batchSize) {
            let slice = entries[chunk..<min(entries.count, chunk + options.batchSize)]
            var lines: [PendingLine] = []
            var batch = IngestBatch()
            for (id, entry) in slice {
                guard entry.rawEncoding == "utf8" else {
                    batch.requarantined.append((id, Rejection(entry.code, entry.message)))
                    summary.add("unreadable", .quarantined)
                    continue
                }
                lines.append(PendingLine(sourceName: entry.sourceName, number: entry.lineNumber,
                    bytes: Array(entry.rawText.utf8), quarantineID: id))
            }
            summary.lines += slice.count
            try await process(lines, into: &batch, summary: &summary)
            if !batch.isEmpty { try await store.commit(batch) }
        }
        return summary
    }

    private func loadAgencies() async throws {
        guard !loadedAgencies else { return }
        agencies = try await store.agencyKinds()
        loadedAgencies = true
    }

    // MARK: - Batch processing

    private func process(_ lines: [PendingLine], into batch: inout IngestBatch, summary: inout IngestSummary)
        async throws
    {
        guard !lines.isEmpty else { return }
        defer { Self.settleVersions(&batch.records) }
        let decoded = await decodeInParallel(lines)

        // Everything the batch refers to, fetched in two queries.
        var caseIDs = Set<String>()
        var keys = Set<RecordKey>()
        for result in decoded {
            guard case .success(let d) = result else { continue }
            keys.insert(d.record.key)
            if let c = d.record.caseID { caseIDs.insert(c) }
        }
        var storedCases = try await store.caseContexts(for: Array(caseIDs))
        var versions = try await store.storedVersions(for: Array(keys))
        for (id, context) in inFlightCases where caseIDs.contains(id) { storedCases[id] = context }
        for (key, known) in inFlightVersions where keys.contains(key) {
            versions[key, default: [:]].merge(known) { stored, _ in stored }
        }
        var batchCases: [String: CaseContext] = [:]
        let storedBefore = Set(versions.keys)

        for (line, result) in zip(lines, decoded) {
            let outcome: Result<(DecodedRecord, IngestOutcome), Rejection>
            switch result {
            case .failure(let rejection): outcome = .failure(rejection)
            case .success(let d):
                if let rejection = checkContext(d.record, cases: { batchCases[$0] ?? storedCases[$0] }) {
                    outcome = .failure(rejection)
                } else {
                    outcome = merge(d, versions: &versions)
                }
            }
            switch outcome {
            case .failure(let rejection):
                let record = try? result.get().record
                summary.add(record?.kind.rawValue ?? "unreadable", .quarantined)
                if let id = line.quarantineID {
                    batch.requarantined.append((id, rejection))
                } else {
                    batch.quarantine.append(Self.quarantineEntry(for: line, rejection: rejection, record: record))
                }
            case .success(let (d, result)):
                summary.add(d.record.kind.rawValue, result)
                if let id = line.quarantineID { batch.resolvedQuarantineIDs.append(id) }
                guard result != .unchanged else { continue }
                let current = result != .historical
                batch.records.append(AcceptedRecord(
                    key: d.record.key, version: d.record.version, caseID: d.record.caseID,
                    contentHash: d.contentHash, canonicalJSON: d.canonicalJSON,
                    occurredAt: Self.instant(of: d.record.payload), isCurrent: current,
                    retiresStoredVersions: result == .superseded && storedBefore.contains(d.record.key),
                    payload: d.record.payload))
                if current {
                    switch d.record.payload {
                    case .agency(let a): agencies[a.code] = a.kind
                    case .case(let c): batchCases[c.id] = CaseContext(type: c.type, acceptedAt: c.acceptedAt)
                    default: break
                    }
                }
            }
        }
    }

    /// Within one batch only the highest version of a record stays current, so that earlier versions are
    /// written as history directly instead of being updated afterwards.
    static func settleVersions(_ records: inout [AcceptedRecord]) {
        var highest: [RecordKey: Int] = [:]
        for r in records where r.isCurrent { highest[r.key] = max(highest[r.key] ?? 0, r.version) }
        for i in records.indices where records[i].isCurrent && records[i].version < highest[records[i].key]! {
            records[i].isCurrent = false
        }
    }

    private func decodeInParallel(_ lines: [PendingLine]) async -> [Result<DecodedRecord, Rejection>] {
        let now = options.now
        let workers = min(options.parallelism, max(1, lines.count / 256))
        if workers <= 1 {
            let decoder = RecordDecoder(now: now)
            return lines.map { decoder.decode($0.bytes) }
        }
        let chunkSize = (lines.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [Result<DecodedRecord, Rejection>]).self) { group in
            for w in 0..<workers {
                let chunk = lines[min(lines.count, w * chunkSize)..<min(lines.count, (w + 1) * chunkSize)].map(\.bytes)
                group.addTask {
                    let decoder = RecordDecoder(now: now)
                    return (w, chunk.map { decoder.decode($0) })
                }
            }
            var parts = [[Result<DecodedRecord, Rejection>]](repeating: [], count: workers)
            for await (w, part) in group { parts[w] = part }
            return parts.flatMap { $0 }
        }
    }

    /// Checks that need stored state: agencies and cases that exist, types that fit, a plausible timeline.
    func checkContext(_ r: ExchangeRecord, cases: (String) -> CaseContext?) -> Rejection? {
        if case .agency(let a) = r.payload {
            if r.source != a.code, agencies[r.source] == nil {
                return Rejection(.unknownAgency, "报送机构 \(r.source) 未登记；机构记录应由其本身或已登记的机构报送")
            }
            if let parent = a.parentCode, agencies[parent] == nil, parent != a.code {
                return Rejection(.unknownAgency, "上级机构 \(parent) 未登记，请先报送上级机构")
            }
            return nil
        }
        guard agencies[r.source] != nil else {
            return Rejection(.unknownAgency, "报送机构 \(r.source) 未登记，请先报送该机构的机构记录")
        }
        func known(_ code: String, _ role: String) -> Rejection? {
            agencies[code] == nil ? Rejection(.unknownAgency, "\(role) \(code) 未登记") : nil
        }
        var context: CaseContext?
        if let caseID = r.caseID, r.kind != .case {
            guard let c = cases(caseID) else {
                return Rejection(.unknownCase, "案件 \(caseID) 不存在：请先报送案件记录，或待案件记录到达后执行 tianping quarantine replay")
            }
            context = c
        }
        let slack: Int64 = 86_400
        func timeline(_ t: Timestamp, _ what: String) -> Rejection? {
            guard let c = context, t.secondsSinceEpoch < c.acceptedAt.secondsSinceEpoch - slack else { return nil }
            return Rejection(.timeline, "\(what)时间 \(t) 早于案件受理时间 \(c.acceptedAt)，时间线不合理")
        }
        switch r.payload {
        case .agency: return nil
        case .case(let c):
            for n in c.agencyNumbers { if let p = known(n.agency, "案号所属机构") { return p } }
            return nil
        case .person(let p):
            if p.role.isOfficial, let a = p.agency, Agency.isWellFormedCode(a) { return known(a, "工作人员所属机构") }
            if let c = context, let birth = p.birthDate, birth > c.acceptedAt.localDate {
                return Rejection(.timeline, "\(p.role.chineseName)的出生日期 \(birth) 晚于案件受理日期 \(c.acceptedAt.localDate)，时间线不合理")
            }
            return nil
        case .event(let e):
            if let p = known(e.agency, "办理机构") { return p }
            if let allowed = e.kind.actingAgencyKinds, let kind = agencies[e.agency], !allowed.contains(kind) {
                let names = allowed.map(\.chineseName).sorted().joined(separator: "、")
                return Rejection(.wrongAgencyKind, "“\(e.kind.chineseName)”应由\(names)办理，而 \(e.agency) 是\(kind.chineseName)")
            }
            if let c = context, !e.kind.applicableCaseTypes.contains(c.type) {
                return Rejection(.wrongCaseType, "“\(e.kind.chineseName)”不适用于\(c.type.chineseName)案件 \(r.caseID ?? "")")
            }
            return timeline(e.occurredAt, "“\(e.kind.chineseName)”")
        case .document(let d):
            if let p = known(d.issuer, "制作机构") { return p }
            return timeline(d.issuedAt, "文书制作")
        case .evidence(let e):
            return known(e.collectedBy, "收集机构")
        case .judgment(let j):
            if let p = known(j.court, "审判法院") { return p }
            if let c = context, c.type != .criminal {
                return Rejection(.wrongCaseType, "裁判（刑罚）记录只适用于刑事案件，案件 \(r.caseID ?? "") 是\(c.type.chineseName)案件")
            }
            return timeline(j.decidedAt, "裁判")
        case .execution(let x):
            if let p = known(x.facility, "执行机关") { return p }
            if let c = context, c.type != .criminal {
                return Rejection(.wrongCaseType, "刑罚执行记录只适用于刑事案件")
            }
            return nil
        }
    }

    /// Decides what a sound record changes, given the versions already stored or accepted in this batch.
    private func merge(_ d: DecodedRecord, versions: inout [RecordKey: [Int: String]])
        -> Result<(DecodedRecord, IngestOutcome), Rejection>
    {
        let key = d.record.key
        let known = versions[key] ?? [:]
        if let hash = known[d.record.version] {
            if hash == d.contentHash { return .success((d, .unchanged)) }
            return .failure(Rejection(.versionConflict,
                "记录 \(key) 的第 \(d.record.version) 版已存在且内容不同；更正数据应使用更高的 version 报送"))
        }
        let outcome: IngestOutcome
        if known.isEmpty {
            outcome = .accepted
        } else if d.record.version > known.keys.max()! {
            outcome = .superseded
        } else {
            outcome = .historical
        }
        versions[key, default: [:]][d.record.version] = d.contentHash
        return .success((d, outcome))
    }

    static func instant(of payload: RecordPayload) -> Timestamp? {
        switch payload {
        case .case(let c): return c.acceptedAt
        case .event(let e): return e.occurredAt
        case .document(let d): return d.issuedAt
        case .evidence(let e): return e.collectedAt
        case .judgment(let j): return j.decidedAt
        case .agency, .person, .execution: return nil
        }
    }

    static func quarantineEntry(for line: PendingLine, rejection: Rejection, record: ExchangeRecord?) -> QuarantineEntry {
        let text = String(validating: line.bytes, as: UTF8.self)
        return QuarantineEntry(
            sourceName: line.sourceName, lineNumber: line.number,
            rawText: text ?? line.bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(),
            rawEncoding: text == nil ? "hex" : "utf8", rawSHA256: ContentHash.sha256Hex(line.bytes),
            byteCount: line.bytes.count, rejection: rejection, record: record)
    }
}

