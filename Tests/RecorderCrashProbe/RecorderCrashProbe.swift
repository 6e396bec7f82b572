// A process for the recorder's crash test (SECURITY.md, "recording on crash"): it records a
// 440 Hz tone through RoomRecorder and RecordingWriter in real time, so that a test can kill it
// with SIGKILL mid-recording and check what is left on disk.
//
// Usage: RecorderCrashProbe DIRECTORY SECONDS
//
// The tone is encoded at 8 kbit/s (mono, VOIP), in 20 ms packets.
//
// It prints, unbuffered, one line per event on standard output:
//   file PATH                  once the recording file exists
//   encoded PACKETS            after each 20 ms packet is handed to the recorder
//   flushed FLUSHES PACKETS    after each forced flush (once per second)
//   stopped PACKETS            after a graceful stop at the end of SECONDS (at most 30)
// and exits 0, or 1 with a message on standard error.
import Glibc
import MediaRelay
import RTCAudio

@main
enum RecorderCrashProbe {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let seconds = Double(arguments[2]), seconds > 0, seconds <= 30 else {
            fail("usage: RecorderCrashProbe DIRECTORY SECONDS (0 < SECONDS <= 30)")
        }
        do {
            try self.record(directory: arguments[1], seconds: seconds)
        } catch {
            fail("\(error)")
        }
    }

    static func record(directory: String, seconds: Double) throws {
        let writer = try RecordingWriter()
        // 8 kbit/s: about 20 bytes a packet, so libogg fills a page only every 4 s or so and what
        // reaches the disk before that comes from the recorder's forced flushes.
        let encoder = try OpusEncoder(configuration: .init(bitrate: 8_000))
        let recorder = RoomRecorder(writer: writer, configuration: .init(encoder: encoder, version: "crash-probe"))
        let file = try recorder.start(room: "crash-probe", startTime: .now(), directory: directory)
        say("file \(file.path)")

        let frames = Int(seconds * 50)
        var pcm = [Int16](repeating: 0, count: Opus.samplesPer20ms)
        var packet = [UInt8](repeating: 0, count: Opus.maxPacketSize)
        var phase = 0.0
        let step = 2 * Double.pi * 440 / Double(Opus.sampleRate)
        var deadline = RelayTime.monotonicNow()
        var flushes = 0
        for _ in 0..<frames {
            for index in pcm.indices {
                pcm[index] = Int16(sin(phase) * 10_000)
                phase += step
            }
            phase = fmod(phase, 2 * Double.pi)
            var output = packet.mutableSpan
            let length = try encoder.encode(pcm.span, into: &output)
            recorder.append(packet: packet.span.extracting(0..<length))
            say("encoded \(recorder.statistics.packets)")
            if let failure = recorder.tick(now: RelayTime.monotonicNow()) {
                fail("\(failure)")
            }
            if recorder.statistics.flushes != flushes {
                flushes = recorder.statistics.flushes
                say("flushed \(flushes) \(recorder.statistics.packets)")
            }
            // Paced on absolute deadlines, so the recording runs at real time whatever each
            // frame costs.
            deadline = deadline.adding(milliseconds: 20)
            var wake = timespec(
                tv_sec: Int(deadline.nanoseconds / 1_000_000_000),
                tv_nsec: Int(deadline.nanoseconds % 1_000_000_000)
            )
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, nil) == EINTR {}
        }
        recorder.stop()
        writer.stop()
        say("stopped \(recorder.statistics.packets)")
    }

    // One line on standard output, written at once (stdout is a pipe: stdio would buffer it).
    static func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        // Bounded: every pass writes at least one byte or returns.
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return write(1, base + offset, buffer.count - offset)
            }
            guard written > 0 else { return }
            offset += written
        }
    }

    static func fail(_ message: String) -> Never {
        let bytes = Array(("RecorderCrashProbe: " + message + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(1)
    }
}
