import TianpingAccess
import TianpingCore
import TianpingWorkflow
import Testing

/// Who may act and what a step needs, decided once for the store, the API and the forms.
@Suite("Warning policy")
struct WarningPolicyTests {
    let agency = "520102GA01"

    func principal(_ role: Role, agency: String) -> Principal {
        Principal(kind: .account, id: "u", name: "u", role: role, agency: agency, permissions: role.permissions, scope: .everything)
    }

    @Test("a conclusion, a report and a return need a reason; other steps do not")
    func comments() {
        #expect(WarningPolicy.commentRefusal(.conclude, comment: nil) != nil)
        #expect(WarningPolicy.commentRefusal(.conclude, comment: " 好 ") != nil, "one character is not a reason")
        #expect(WarningPolicy.commentRefusal(.conclude, comment: "已核实") == nil)
        #expect(WarningPolicy.commentRefusal(.returnForReverification, comment: "") != nil)
        #expect(WarningPolicy.commentRefusal(.reportRectified, comment: nil) != nil)
        #expect(WarningPolicy.commentRefusal(.push, comment: nil) == nil)
        #expect(WarningPolicy.commentRefusal(.accept, comment: nil) == nil)
    }

    @Test("supervisors push and close; the responsible agency's staff answer for their own agency only")
    func whoMayAct() {
        let supervisor = principal(.committeeSupervisor, agency: "520000ZF01")
        let own = principal(.internalSupervisor, agency: agency)
        let other = principal(.internalSupervisor, agency: "520102JC01")
        #expect(WarningPolicy.refusal(.push, by: supervisor, warningAgency: agency) == nil)
        #expect(WarningPolicy.refusal(.push, by: own, warningAgency: agency) != nil, "no agency pushes or closes its own warning")
        #expect(WarningPolicy.refusal(.accept, by: own, warningAgency: agency) == nil)
        #expect(WarningPolicy.refusal(.accept, by: other, warningAgency: agency) != nil)
        #expect(WarningPolicy.allowedActions(state: .pushed, conclusion: nil, agency: agency, principal: own) == [.accept])
        #expect(WarningPolicy.allowedActions(state: .pushed, conclusion: nil, agency: agency, principal: supervisor).isEmpty)
        #expect(WarningPolicy.allowedActions(state: .concluded, conclusion: .unsubstantiated, agency: agency, principal: supervisor)
            == [.returnForReverification, .close])
    }
}
