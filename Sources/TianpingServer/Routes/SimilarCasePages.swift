import Foundation
import HTTPTypes
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingRetrieval
import TianpingSentencing
import TianpingStore
import TianpingText

/// 类案检索 in the workbench: the search form with its filters, each hit explained (shared charges, articles and
/// circumstances, the matching passages marked, the sentences), one library judgment in full, and the printable
/// 类案检索报告. The parameters are those of `GET /api/v1/judgments/search`; every search is audited as a list read.
struct SimilarCasePages: Sendable {
    let store: TianpingStore
    let templates: Templates
    let library: LibraryIndexHolder

    func register(on routes: SecureRoutes) {
        routes.get("workbench/similar-cases", .permission(.readFindings)) { request, context in
            try await searchPage(request, context)
        }
        routes.get("workbench/similar-cases/report", .permission(.readFindings)) { request, context in
            try await report(request, context)
        }
        // Keeping writes to the case's dossier log: a role that may export dossiers, not a read-only one.
        routes.post("workbench/similar-cases/report/keep", .permission(.exportDossiers)) { request, context in
            try await keep(request, context)
        }
        routes.get("workbench/case-reports/:id", .permission(.readFindings)) { request, context in
            try await keptReport(request, context)
        }
        routes.get("workbench/judgments/:id", .permission(.readFindings)) { request, context in
            try await judgmentPage(request, context)
        }
    }

    // MARK: Search

    struct SearchPage {
        var frame: Frame
        var form: Form
        var levels: [SelectOption]
        var searched: Bool
        var hits: [Hit]
        var hasHits: Bool
        var hitCount: Int
        var libraryCount: Int
        var problem: String
        var hasProblem: Bool
        var reportHref: String
    }

    struct Form {
        var q: String
        var charge: String
        var onlyCharge: String
        var province: String
        var fromYear: String
        var toYear: String
        var caseID: String
    }


    struct Hit {
        var rank: Int
        var href: String
        var heading: String
        var court: String
        var shared: [String]
        var hasShared: Bool
        var sentences: [String]
        var passages: [Passage]
    }

    struct Passage { var fragments: [SimilarityExplanation.Fragment] }

    static func judgmentHref(_ id: String) -> String {
        "/workbench/judgments/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id)
    }

    static func hit(_ h: RetrievedJudgment) -> Hit {
        let e = h.explanation
        let shared = e.sharedDescriptions
        return Hit(rank: h.rank, href: judgmentHref(h.id), heading: h.title ?? h.caseNumber ?? h.id,
            court: [h.court, h.caseNumber].compactMap { $0 }.joined(separator: " "), shared: shared, hasShared: !shared.isEmpty,
            sentences: e.sentences, passages: e.passages.map { Passage(fragments: $0.fragments) })
    }

    func searchPage(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let parameters = request.uri.formParameters
        func text(_ key: String) -> String { parameters[Substring(key)].map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        let form = Form(q: text("q"), charge: text("charge"), onlyCharge: text("onlyCharge"), province: text("province"), fromYear: text("fromYear"),
            toYear: text("toYear"), caseID: text("case"))
        var hits: [Hit] = []
        var problem = ""
        var libraryCount = 0
        if !form.q.isEmpty {
            do {
                let response = try await JudgmentLibraryAPI(store: store, library: library)
                    .search(try JudgmentLibraryAPI.query(parameters), limit: try JudgmentLibraryAPI.limit(parameters))
                try await AccessAudit.list(store, request, context, count: response.hits.count)
                libraryCount = response.libraryCount
                hits = response.hits.map(Self.hit)
                if libraryCount == 0 { problem = "文书库为空：请先用 tianping judgments import 导入裁判文书" }
            } catch let failure as APIFailure { problem = failure.message }
        }
        let chosenLevel = text("courtLevel")
        let page = SearchPage(frame: Frame("类案检索", path: "/workbench/similar-cases", principal: principal, csrf: context.csrfToken),
            form: form,
            levels: [SelectOption(value: "", label: "不限", selected: chosenLevel.isEmpty)]
                + CourtLevel.allCases.map { SelectOption(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == chosenLevel) },
            searched: !form.q.isEmpty && problem.isEmpty, hits: hits, hasHits: !hits.isEmpty, hitCount: hits.count, libraryCount: libraryCount, problem: problem,
            hasProblem: !problem.isEmpty, reportHref: "/workbench/similar-cases/report?" + (request.uri.query ?? ""))
        return try templates.render(page, "similar").response(from: request, context: context)
    }

    // MARK: One judgment

    struct JudgmentPage {
        var frame: Frame
        var id: String
        var source: String
        var court: String
        var caseNumber: String
        var charges: String
        var articles: String
        var circumstances: String
        var sentences: [String]
        var paragraphs: [String]
        var withdrawn: Bool
    }

    func judgmentPage(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        guard let found = try await store.libraryJudgment(id: id) else {
            throw APIFailure(.notFound, code: "judgment_not_found", message: "文书库中没有 \(id)")
        }
        try await store.audit(AuditEntry(principal, .readList, at: context.now.secondsSinceEpoch, target: "judgment:\(id)", address: context.address,
            itemCount: 1))
        let r = found.reading
        let page = JudgmentPage(frame: Frame(found.judgment.title ?? r.caseNumber ?? id, path: "/workbench/similar-cases", principal: principal,
                                             csrf: context.csrfToken),
            id: id, source: found.judgment.source, court: r.court ?? "（未读出）", caseNumber: r.caseNumber ?? "（未读出）",
            charges: r.charges.isEmpty ? "（未读出）" : r.charges.joined(separator: "、"),
            articles: r.articles.isEmpty ? "（未读出）" : r.articles.map { "第\($0)条" }.joined(separator: "、"),
            circumstances: r.circumstances.isEmpty ? "（未读出）" : r.circumstances.map(\.rawValue).joined(separator: "、"),
            sentences: SimilarityExplanation.sentences(of: found.judgment, reading: r),
            paragraphs: found.judgment.text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) },
            withdrawn: found.withdrawn)
        return try templates.render(page, "judgment").response(from: request, context: context)
    }

    // MARK: The report

    struct ReportPage {
        var title: String
        var searcher: String
        var agency: String
        var time: String
        var platform: String
        var facts: String
        var charges: String
        var filters: String
        var method: String
        var retained: [Hit]
        var hasRetained: Bool
        var setAside: [String]
        var hasSetAside: Bool
        var analysis: [String]
        var downloadHref: String
        /// The case the report is for, and the form that keeps it in the case's dossier (absent in the kept file).
        var caseLine: String?
        var keepAction: String?
        var csrf: String
    }

    /// The case a report is for (`case`), when given: it must be in the caller's scope.
    func reportCase(_ parameters: Parameters, _ principal: Principal, _ context: TianpingRequestContext) async throws -> String? {
        // A form sends its empty field too (`case=`): the value given is the one that is not empty.
        guard let raw = parameters.getAll("case").last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let caseID = String(raw).trimmingCharacters(in: .whitespaces)
        guard try await store.caseVisible(caseID, scope: principal.scope) else {
            // Probing other regions' cases leaves a trace, as on the case pages.
            try await store.audit(AuditEntry(principal, .outOfScope, at: context.now.secondsSinceEpoch, target: "similar-case-report",
                caseID: caseID, address: context.address, outcome: "denied"))
            throw APIFailure(.notFound, code: "case_not_found", message: "案件 \(caseID) 不存在或不在您的数据权限范围内")
        }
        return caseID
    }

    /// The report for the request's query, audited as a list read; `asFile` leaves out the form that keeps it (and its
    /// CSRF token): the downloaded and the kept file are to be passed on.
    func renderReport(_ request: Request, _ context: TianpingRequestContext, asFile: Bool) async throws -> (html: HTML, caseID: String?) {
        let principal = try context.requirePrincipal()
        let parameters = request.uri.formParameters
        let caseID = try await reportCase(parameters, principal, context)
        let query = try JudgmentLibraryAPI.query(parameters)
        let limit = try JudgmentLibraryAPI.limit(parameters)
        let snapshot = try await library.current(store)
        let found = try await store.retrieveWithReadings(query, in: snapshot, limit: limit)
        let hits = found.map(\.hit)
        let readings = Dictionary(found.map { ($0.hit.id, $0.read) }, uniquingKeysWith: { first, _ in first })
        try await AccessAudit.list(store, request, context, count: hits.count, caseID: caseID)
        // Retained: judgments deciding every charge searched for (all hits when none was given). The others are listed
        // with the reason they were set aside, so that the report shows the whole result, not a chosen part.
        let retained = query.charges.isEmpty ? hits : hits.filter { $0.chargeShare >= 1 }
        let setAside = hits.filter { h in !retained.contains { $0.id == h.id } }.map {
            "\($0.rank). \($0.title ?? $0.caseNumber ?? $0.id)：未认定检索的全部罪名（认定了 \(Int(($0.chargeShare * 100).rounded()))%）"
        }
        // The terms compared are those of judgments deciding exactly the charges searched for: a judgment of more
        // charges gives one term for all of them.
        var comparables: [ComparableJudgment] = []
        for hit in retained where !query.charges.isEmpty {
            guard let found = readings[hit.id], LibraryJudgment.decides(exactly: query.charges, found.reading.charges),
                  let outcome = found.judgment.outcome(for: query.charges, reading: found.reading) else { continue }
            comparables.append(ComparableJudgment(id: hit.id, title: hit.title, caseNumber: hit.caseNumber, court: hit.court, rank: hit.rank,
                                                  charges: found.reading.charges, outcome: outcome))
        }
        let distribution = ComparableSentences(scope: .sameCharges, searched: hits.count, comparables: comparables)
        var analysis = [
            "检索返回 \(hits.count) 份文书，保留 \(retained.count) 份" + (query.charges.isEmpty ? "（未指定罪名，全部保留）" : "（认定了检索的全部罪名）") + "。",
        ]
        if query.charges.isEmpty {
            analysis.append("未指定罪名，不比较刑期。")
        } else if comparables.isEmpty {
            analysis.append("保留的文书中没有认定罪名与检索罪名完全相同且刑罚可读的，不比较刑期。")
        } else {
            analysis.append("其中认定罪名与检索罪名完全相同、刑罚可读的 \(comparables.count) 份：\(distribution.distribution)。")
        }
        let sharedCircumstances = Dictionary(grouping: retained.flatMap(\.explanation.sharedCircumstances), by: { $0 }).mapValues(\.count)
        if !sharedCircumstances.isEmpty {
            analysis.append("与待决案件共同的量刑情节：" + sharedCircumstances.sorted { $0.value > $1.value }.map { "\($0.key.rawValue)（\($0.value) 份）" }
                .joined(separator: "、") + "。")
        }
        analysis.append("以上类案仅供参考（《最高人民法院关于统一法律适用加强类案检索的指导意见（试行）》第九条：指导性案例应当参照，其他类案可以作为参考）；是否参照或参考及其理由，由承办人在下方写明。")
        var filters: [String] = []
        if !query.filters.charges.isEmpty { filters.append("限定罪名：" + query.filters.charges.joined(separator: "、")) }
        if !query.filters.courtLevels.isEmpty { filters.append("法院层级：" + query.filters.courtLevels.map(\.chineseName).sorted().joined(separator: "、")) }
        if !query.filters.provinces.isEmpty { filters.append("地区：" + query.filters.provinces.sorted().joined(separator: "、")) }
        if let years = query.filters.years { filters.append("年份：\(years.lowerBound)–\(years.upperBound)") }
        let counts = try await store.libraryCounts()
        let queryString = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("download=") }.joined(separator: "&")
        let page = ReportPage(title: "类案检索报告", searcher: principal.name, agency: principal.agency,
            time: ChineseDates.minute(seconds: context.now.secondsSinceEpoch),
            platform: "天平执法司法制约监督平台·类案检索（文书库 \(counts.judgments) 篇，修订号 \(counts.revision)）",
            facts: query.text, charges: query.charges.isEmpty ? "（未指定）" : query.charges.joined(separator: "、"),
            filters: filters.isEmpty ? "无" : filters.joined(separator: "；"),
            method: "案情全文字二元组 BM25F 相似度检索（法院查明事实与其余部分分字段计分），先按认定检索罪名的比例排序；每份结果列明共同罪名、法条、情节和匹配段落（docs/retrieval.md）",
            retained: retained.map(Self.hit), hasRetained: !retained.isEmpty, setAside: setAside, hasSetAside: !setAside.isEmpty,
            analysis: analysis, downloadHref: "/workbench/similar-cases/report?" + queryString + "&download=1",
            caseLine: caseID.map { "案件 \($0)" }, keepAction: caseID != nil && !asFile ? "/workbench/similar-cases/report/keep?" + queryString : nil,
            csrf: context.csrfToken ?? "")
        return (try templates.render(page, "similar-report"), caseID)
    }

    func report(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let download = request.uri.formParameters["download"] != nil
        let (html, _) = try await renderReport(request, context, asFile: download)
        if download {
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"similar-case-report.html\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.body)))
        }
        return try html.response(from: request, context: context)
    }

    /// Keeps the report of the query in the case's dossier: the file as rendered now, its SHA-256 in the dossier log.
    func keep(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (html, caseID) = try await renderReport(request, context, asFile: true)
        guard let caseID else {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "请给出案件编号（参数 case），报告才能存入该案卷宗")
        }
        let kept = try await store.keepCaseReport(caseID: caseID, kind: "similar_case_report", title: "类案检索报告", keptBy: principal.name,
            agency: principal.agency, at: context.now.secondsSinceEpoch, contentType: "text/html; charset=utf-8", bytes: Array(html.body.utf8))
        try await store.audit(AuditEntry(principal, .keepReport, at: context.now.secondsSinceEpoch, target: "case-report:\(kept.id)",
            caseID: caseID, address: context.address))
        return Response(status: .seeOther, headers: [.location: "/workbench/case-reports/\(kept.id)"])
    }

    /// A kept report, as it was kept, for a reader whose scope includes its case.
    func keptReport(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let raw = try context.parameters.require("id")
        let kept: KeptCaseReport? = if let id = Int64(raw) { try await store.caseReport(id) } else { nil }
        guard let kept, try await store.caseVisible(kept.caseID, scope: principal.scope), let bytes = try await store.caseReportBytes(kept.id) else {
            try await store.audit(AuditEntry(principal, .outOfScope, at: context.now.secondsSinceEpoch, target: "case-report:\(raw)",
                caseID: kept?.caseID, address: context.address, outcome: kept == nil ? "failed" : "denied"))
            throw APIFailure(.notFound, code: "report_not_found", message: "报告 \(raw) 不存在或不在您的数据权限范围内")
        }
        let id = kept.id
        try await store.audit(AuditEntry(principal, .readCaseFindings, at: context.now.secondsSinceEpoch, target: "case-report:\(id)",
            caseID: kept.caseID, address: context.address))
        var headers = HTTPFields()
        headers[.contentType] = kept.contentType
        headers[.contentDisposition] = "inline; filename=\"similar-case-report-\(id).html\""
        headers[HTTPField.Name("X-Content-SHA256")!] = kept.sha256
        if let leaf = kept.leafIndex { headers[HTTPField.Name("X-Dossier-Leaf")!] = String(leaf) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
