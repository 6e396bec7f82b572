import Foundation
import LoadGeneratorCore

/// The live progress: on a terminal one line rewritten every second (connected, packets per
/// second in and out, sender lateness, p50/p99 of the last window); otherwise a plain line every
/// five seconds, for CI logs.
struct Progress: Sendable {
    let engine: LoadEngine
    let isTerminal: Bool
    let expected: Int

    func run(until end: ContinuousClock.Instant) async {
        let start = ContinuousClock.now
        var previous = self.engine.totals
        var previousInstant = ContinuousClock.now
        var tick = 0
        while ContinuousClock.now < end {
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                break
            }
            tick += 1
            let totals = self.engine.totals
            let now = ContinuousClock.now
            let seconds = max((now - previousInstant) / .seconds(1), 0.001)
            let sentRate = Double(totals.packetsSent - previous.packetsSent) / seconds
            let receivedRate = Double(totals.packetsReceived - previous.packetsReceived) / seconds
            let elapsed = (now - start) / .seconds(1)
            let line = String(
                format:
                    "%6.1fs connected %d/%d connecting %d failed %d | out %.0f pps in %.0f pps | p50 %.2f ms p99 %.2f ms | late max %.1f ms",
                elapsed,
                totals.connected,
                self.expected,
                totals.connecting,
                totals.failed,
                sentRate,
                receivedRate,
                Double(totals.windowLatencyP50) / 1000,
                Double(totals.windowLatencyP99) / 1000,
                Double(totals.windowMaximumLateness) / 1000
            )
            if self.isTerminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            } else if tick % 5 == 0 {
                print(line)
            }
            previous = totals
            previousInstant = now
        }
        if self.isTerminal {
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }
}
