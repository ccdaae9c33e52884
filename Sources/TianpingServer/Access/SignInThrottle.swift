/// Failed sign-ins per address: more than ``limit`` in ``window`` seconds and the address must wait.
public actor SignInThrottle {
    let limit: Int
    let window: Int64
    private var failures: [String: [Int64]] = [:]

    public init(limit: Int = 10, window: Int64 = 600) {
        self.limit = limit
        self.window = window
    }

    /// Reserves an attempt before the password is checked, so that a burst of parallel attempts all count.
    func allow(_ address: String, now: Int64) -> Bool {
        let recent = (failures[address] ?? []).filter { $0 > now - window }
        guard recent.count < limit else {
            failures[address] = recent
            return false
        }
        failures[address] = recent + [now]
        return true
    }

    /// A successful sign-in gives its reserved attempt back.
    func succeeded(_ address: String) {
        if var recent = failures[address], !recent.isEmpty {
            recent.removeLast()
            failures[address] = recent
        }
    }
}
