extension Array {
    /// Runs `body` with a mutable span over the array's elements.
    ///
    /// A span cannot outlive the access it borrows from, so a span over a class's stored array
    /// cannot be kept in a local; this scopes it instead.
    mutating func withMutableSpan<Result>(_ body: (inout MutableSpan<Element>) -> Result) -> Result {
        var span = self.mutableSpan
        return body(&span)
    }
}
