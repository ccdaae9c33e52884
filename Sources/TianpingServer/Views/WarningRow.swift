import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// One warning as a row of a table (``WarningTable``) or a warning's page; on the page it answers mustache's
/// lookups with a switch (``MustacheParent``) instead of reflection.
struct WarningRow: MustacheParent {
    var id: String
    var urlID: String
    var anchor: String
    var caseID: String
    /// The case's 案号, or its unified id when it has none yet.
    var caseLabel: String
    var agency: String
    var agencyName: String
    var grade: String
    var gradeName: String
    var stateName: String
    var conclusionName: String?
    var findingCount: Int
    var overdueDays: Int?
    var escalations: Int?
    var due: String?
    var dueOverdue: Bool
    var pushable: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "urlID": return urlID
        case "anchor": return anchor
        case "caseID": return caseID
        case "caseLabel": return caseLabel
        case "agency": return agency
        case "agencyName": return agencyName
        case "grade": return grade
        case "gradeName": return gradeName
        case "stateName": return stateName
        case "conclusionName": return conclusionName
        case "findingCount": return findingCount
        case "overdueDays": return overdueDays
        case "escalations": return escalations
        case "due": return due
        case "dueOverdue": return dueOverdue
        case "pushable": return pushable
        default: return nil
        }
    }

    init(_ w: StoredWarning, names: AgencyDirectory.Names, now: Int64, principal: Principal, caseNumbers: [String: String]) {
        id = w.id
        urlID = w.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? w.id
        anchor = String(w.id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0))) }.map(Character.init))
        caseID = w.caseID
        caseLabel = caseNumbers[w.caseID] ?? w.caseID
        agency = w.agency
        agencyName = names.agency(w.agency)
        grade = w.grade.rawValue
        gradeName = w.grade.chineseName
        stateName = w.state.chineseName
        conclusionName = w.conclusion?.chineseName
        findingCount = w.findingIDs.count
        overdueDays = w.overdueDays > 0 ? w.overdueDays : nil
        escalations = w.escalations > 0 ? w.escalations : nil
        due = w.dueAt.map { ChineseDates.minute(seconds: $0) }
        dueOverdue = w.dueAt.map { $0 < now } ?? false
        pushable = w.state == .pendingPush
    }
}
