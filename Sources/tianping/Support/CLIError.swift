/// A failure the command reports to its user in Chinese, with no stack or type name.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
