import TianpingExecution

/// The commutation review joins the pipeline as any engine does: its rules in the catalogue, its findings in the loop.
extension CommutationReview: CaseEngine {}
