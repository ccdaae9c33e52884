import TianpingAccess

extension Principal {
    /// Whether the caller may see counts of quarantined exchange lines. A quarantined line never became a case, so
    /// no case scope covers it and its codes and counts describe every agency's submissions: only a scope of the
    /// whole province (or everything) sees them, and administrators, who look after ingest.
    var seesQuarantine: Bool {
        if role == .systemAdministrator { return true }
        switch scope {
        case .everything: return true
        case .region(let prefix): return prefix.count <= 2
        case .agency, .assigned, .nothing: return false
        }
    }
}
