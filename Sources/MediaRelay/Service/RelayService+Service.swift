public import ServiceLifecycle

extension RelayService: Service {
    /// Runs until graceful shutdown (a `ServiceGroup` signal) or cancellation of the calling
    /// task, publishing metrics every ``Configuration/metricsInterval``; then stops the workers
    /// (``stop()``), publishes the final counts and returns. The workers run from `init` on:
    /// this bounds their life and reports on them.
    public func run() async {
        let interval = self.configuration.metricsInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.publishMetrics()
                try? await Task.sleep(for: interval)
            }
        }
        self.stop()
        self.publishMetrics()
    }
}
