/// Why a ``RelayCoreHarness`` could not set up or drive its in-memory relay.
public struct RelayCoreHarnessError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
