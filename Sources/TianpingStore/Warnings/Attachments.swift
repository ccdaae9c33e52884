import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingWorkflow

/// A file a responsible agency attaches to its verification conclusion or rectification report (调查材料、整改报告).
public struct NewAttachment: Sendable {
    /// Ten MiB: scans of a few signed pages, not a whole dossier (which is exchanged as records).
    public static let maximumBytes = 10 * 1024 * 1024
    /// Formats an agency's office produces; anything else is refused rather than stored unread.
    public static let allowedTypes: Set<String> = [
        "application/pdf", "application/ofd", "image/png", "image/jpeg", "text/plain", "application/zip",
        "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    public var filename: String
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        // A browser may send a full client path; keep its last component only.
        self.filename = String(filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
        self.contentType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        self.data = data
    }

    public var sha256: String { ContentHash.sha256Hex(data) }

    func validate() throws {
        guard !filename.isEmpty, filename.count <= 200, filename.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw WarningError.invalidTransition("附件文件名为空、过长或含控制字符")
        }
        guard !data.isEmpty else { throw WarningError.invalidTransition("附件“\(filename)”为空文件") }
        guard data.count <= Self.maximumBytes else { throw WarningError.invalidTransition("附件“\(filename)”超过 10 MB") }
        guard Self.allowedTypes.contains(contentType) else {
            throw WarningError.invalidTransition("附件“\(filename)”的类型 \(contentType) 不受支持（可上传 PDF、OFD、图片、文本、Word、ZIP）")
        }
    }
}

/// An attachment as stored (its bytes are read separately).
public struct StoredAttachment: Sendable, Codable, Hashable {
    public var id: Int64
    public var warningID: String
    public var transitionID: Int64?
    public var filename: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var at: Int64
}

/// Attachments to a warning's steps: what is stored and how it is read back.
extension TianpingStore {
    /// The attachments of a warning, without their bytes.
    public func attachments(warningID: String) async throws -> [StoredAttachment] {
        try await reader.select().columns("id", "warning_id", "transition_id", "filename", "content_type", "size", "sha256", "uploaded_by", "at")
            .from("warning_attachments").where("warning_id", .equal, warningID).orderBy("id").all().map(Self.attachment(from:))
    }

    /// One attachment with its bytes.
    public func attachment(id: Int64) async throws -> (StoredAttachment, [UInt8])? {
        guard let row = try await reader.select().columns("*").from("warning_attachments").where("id", .equal, id).first() else { return nil }
        return (try Self.attachment(from: row), [UInt8](try row.decode(column: "data", as: Data.self)))
    }

    private static func attachment(from row: any SQLRow) throws -> StoredAttachment {
        StoredAttachment(id: try row.decode(column: "id", as: Int64.self), warningID: try row.decode(column: "warning_id", as: String.self),
            transitionID: try row.decode(column: "transition_id", as: Int64?.self), filename: try row.decode(column: "filename", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self), size: try row.decode(column: "size", as: Int.self),
            sha256: try row.decode(column: "sha256", as: String.self), uploadedBy: try row.decode(column: "uploaded_by", as: String.self),
            at: try row.decode(column: "at", as: Int64.self))
    }
}
