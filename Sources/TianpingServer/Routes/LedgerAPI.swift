import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingLedger
import TianpingStore

/// `/api/v1/ledger`: the dossier log's checkpoints, inclusion and consistency proofs, its keys, witness
/// cosignatures; `/api/v1/cases/{id}/dossier`: a case's portable dossier. Everything needed to check the log
/// offline, and nothing that changes it except a witness's verified cosignature.
struct LedgerAPI: Sendable {
    let store: TianpingStore
    let log: DossierLog
    /// Witness keys whose cosignatures the log accepts and serves.
    let witnesses: [NoteVerifier]

    /// The log itself is public (that is what makes it checkable); a dossier holds personal data and is an export.
    func register(on group: SecureRoutes) {
        group.get("ledger/checkpoint", .open) { _, _ in
            guard let latest = try await store.latestCheckpoint() else {
                throw APIFailure(.notFound, code: "no_checkpoint", message: "存证日志尚无已签名的检查点")
            }
            return Self.text(latest.note)
        }
        group.get("ledger/checkpoints/:size", .open) { _, context in
            let size = try context.parameters.require("size", as: Int.self)
            guard let stored = try await store.checkpoint(size: size) else {
                throw APIFailure(.notFound, code: "no_checkpoint", message: "没有树大小为 \(size) 的检查点")
            }
            return Self.text(stored.note)
        }
        group.get("ledger/proof/inclusion", .open) { request, context in try await inclusion(request, context) }
        group.get("ledger/proof/consistency", .open) { request, _ in try await consistency(request) }
        group.get("ledger/keys", .open) { _, _ in
            LedgerKeysView(logKeys: try await store.ledgerKeys(), witnesses: witnesses.map(\.encoded))
        }
        // Authenticated by the witness's own signature, checked against the configured witness keys.
        group.post("ledger/cosignatures", .open) { request, context in try await cosign(request, context) }
        // The bundle carries the records as stored (unmasked: hashes need the exact bytes), so it also needs the
        // unmask permission and a stated reason, both audited. The reason comes in the body (``StatedReason``), not the
        // URL, which proxies and histories keep.
        group.post("cases/:id/dossier", .permission(.exportDossiers)) { request, context in
            let id = try context.parameters.require("id")
            guard context.principal?.can(.unmask) == true else {
                throw APIFailure(.forbidden, code: "forbidden", message: "卷宗包含未脱敏的原始记录，导出还需要查看原文的权限")
            }
            let reason = try await StatedReason.read(request, context,
                refusal: "导出卷宗须在请求体中说明理由（reason，4 到 500 个字），理由将记入访问审计")
            guard try await store.latestCheckpoint() != nil else {
                throw APIFailure(.conflict, code: "no_checkpoint", message: "存证日志尚无已签名的检查点，暂不能导出卷宗（服务会定时签署，或运行 tianping ledger checkpoint）")
            }
            guard let principal = context.principal, try await store.caseVisible(id, scope: principal.scope),
                let bundle = try await log.dossier(caseID: id, exportedAt: context.now.description)
            else {
                throw APIFailure(.notFound, code: "not_found", message: "案件 \(id) 没有已存证的记录，或不在您的数据权限范围内")
            }
            try await store.audit(AuditEntry(principal, .exportDossier, at: context.now.secondsSinceEpoch, caseID: id,
                reason: reason, address: context.address))
            var response = try Self.json(bundle)
            response.headers[.contentDisposition] = "attachment; filename=\"dossier-\(CSV.safeFilename(id)).json\""
            return response
        }
    }

    /// Anyone may check that a leaf hash is in the log; only a caller who may see the case gets the entry (which names
    /// the case, the agency and the record), and only such a caller may look a leaf up by record.
    func inclusion(_ request: Request, _ context: TianpingRequestContext) async throws -> InclusionProofView {
        let q = request.uri.queryParameters
        guard let latest = try await store.latestCheckpoint() else {
            throw APIFailure(.notFound, code: "no_checkpoint", message: "存证日志尚无已签名的检查点")
        }
        // An empty log has no leaf to prove (and `1...0` is no range).
        guard latest.checkpoint.size > 0 else {
            throw APIFailure(.notFound, code: "empty_log", message: "存证日志为空，没有可证明的叶子")
        }
        let size = try QueryParameters.int(q["size"], "size", default: latest.checkpoint.size, range: 1...latest.checkpoint.size)
        let leaf: Int
        if q["leaf"] != nil {
            leaf = try QueryParameters.int(q["leaf"], "leaf", default: 0, range: 0...(size - 1))
        } else if let source = q["source"], let kind = q["kind"], let id = q["id"] {
            guard let principal = context.principal, principal.can(.readCases) else {
                throw APIFailure(.unauthorized, code: "unauthenticated", message: "按记录查找存证叶子须登录且有查看案件的权限")
            }
            let version = try QueryParameters.int(q["version"], "version", default: 1, range: 1...Int.max)
            guard let found = try await store.ledgerLeafIndex(source: String(source), kind: String(kind), id: String(id), version: version)
            else { throw APIFailure(.notFound, code: "not_found", message: "该记录版本不在存证日志中") }
            guard found < size else {
                throw APIFailure(.notFound, code: "not_yet_checkpointed", message: "该记录在第 \(found) 号叶子，尚未被树大小 \(size) 的检查点覆盖")
            }
            leaf = found
        } else {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "请给出 leaf，或 source、kind、id、version 以指明记录")
        }
        let proof = try await log.inclusionProof(leaf: leaf, size: size)
        var entry = try await store.ledgerEntry(at: leaf)
        let caseID = entry.flatMap { try? LedgerEntry(text: $0) }?.caseID
        let visible: Bool
        if let principal = context.principal, principal.can(.readCases), let caseID {
            visible = try await store.caseVisible(caseID, scope: principal.scope)
        } else {
            visible = false
        }
        if !visible { entry = nil }
        if q["source"] != nil, !visible {
            throw APIFailure(.notFound, code: "not_found", message: "该记录版本不在存证日志中，或不在您的数据权限范围内")
        }
        return InclusionProofView(leafIndex: leaf, treeSize: size, leafHash: await log.leafHash(leaf).hex,
            entry: entry, proof: proof.map { Data($0.bytes).base64EncodedString() },
            checkpoint: size == latest.checkpoint.size ? latest.note : try await store.checkpoint(size: size)?.note)
    }

    func consistency(_ request: Request) async throws -> ConsistencyProofView {
        let q = request.uri.queryParameters
        let size = try await log.refresh()
        let to = try QueryParameters.int(q["to"], "to", default: size, range: 0...size)
        let from = try QueryParameters.int(q["from"], "from", default: 0, range: 0...to)
        // The empty tree is a prefix of every tree: nothing to prove.
        let proof = from == 0 ? [] : try await log.consistencyProof(from: from, to: to)
        return ConsistencyProofView(from: from, to: to, proof: proof.map { Data($0.bytes).base64EncodedString() })
    }

    func cosign(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let body = try await request.decode(as: CosignatureSubmission.self, context: context)
        // Exactly one signature line: anything else would be served to every client inside the checkpoint.
        let fields = body.cosignature.split(separator: " ", omittingEmptySubsequences: false)
        guard !body.cosignature.contains(where: \.isNewline), fields.count == 3, fields[0] == "—" else {
            throw APIFailure(.unprocessableContent, code: "invalid_cosignature", message: "联署应为一行：— <见证名称> <base64>")
        }
        guard let stored = try await store.checkpoint(size: body.size) else {
            throw APIFailure(.notFound, code: "no_checkpoint", message: "没有树大小为 \(body.size) 的检查点")
        }
        let candidate = (try SignedNote(stored.signedNote)).adding(body.cosignature).note
        guard let witness = witnesses.first(where: { (try? $0.cosignatureTime(candidate)) != nil }) else {
            throw APIFailure(.unprocessableContent, code: "invalid_cosignature",
                message: "联署签名无效，或不是本日志配置信任的见证节点所签（serve --witness-key）")
        }
        try await store.addCosignature(size: body.size, witness: witness.name, line: body.cosignature,
            at: context.now.secondsSinceEpoch)
        return Response(status: .created, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: (try await store.checkpoint(size: body.size))?.note ?? "")))
    }

    static func text(_ value: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: value)))
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

struct CosignatureSubmission: Decodable {
    var size: Int
    /// One signature line, `— <witness name> <base64>`.
    var cosignature: String
}

struct InclusionProofView: ResponseEncodable {
    var leafIndex: Int
    var treeSize: Int
    var leafHash: String
    /// The leaf's entry text, for callers whose scope includes its case; otherwise absent.
    var entry: String?
    var proof: [String]
    var checkpoint: String?
}

struct ConsistencyProofView: ResponseEncodable, Decodable {
    var from: Int
    var to: Int
    var proof: [String]
}

struct LedgerKeysView: ResponseEncodable {
    var logKeys: [LedgerKey]
    var witnesses: [String]
}
