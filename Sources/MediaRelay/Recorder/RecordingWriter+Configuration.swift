extension RecordingWriter {
    /// How a ``RecordingWriter`` writes: how often it syncs, how far the disk may fall behind,
    /// the permissions of what it creates.
    public struct Configuration: Sendable, Hashable {
        /// The longest time, in nanoseconds, bytes stay written but not synced (`fsync`): default
        /// 1 s. With the recorder's own 1 s flush interval, a SIGKILL loses at most 1 s of audio
        /// (written bytes are in the page cache) and a power loss at most about 2 s.
        public var syncInterval: UInt64
        /// The most bytes one file may have queued for the writer thread (default 512 KiB, about
        /// two minutes of 32 kbit/s audio); batches that would exceed it are dropped and counted.
        /// Memory held per file is at most about twice this (the queue, and the batch being
        /// written).
        public var maximumPendingBytes: Int
        /// The permissions of a directory the writer creates (default `0o750`).
        public var directoryMode: UInt32
        /// The permissions of a recording file (default `0o640`).
        public var fileMode: UInt32
        /// The writer thread's name (15 bytes at most are kept).
        public var threadName: String

        /// The defaults above.
        public init(
            syncInterval: UInt64 = 1_000_000_000,
            maximumPendingBytes: Int = 512 * 1024,
            directoryMode: UInt32 = 0o750,
            fileMode: UInt32 = 0o640,
            threadName: String = "parley-record"
        ) {
            self.syncInterval = syncInterval
            self.maximumPendingBytes = maximumPendingBytes
            self.directoryMode = directoryMode
            self.fileMode = fileMode
            self.threadName = threadName
        }

        /// A sentence naming the first invalid setting, or nil.
        func validate() -> String? {
            if self.syncInterval == 0 || self.syncInterval > 60_000_000_000 {
                return "syncInterval must be 1 ns to 60 s"
            }
            if self.maximumPendingBytes < 64 * 1024 {
                return "maximumPendingBytes must be at least 64 KiB (a page is up to 64 KiB)"
            }
            if self.directoryMode & ~0o777 != 0 || self.fileMode & ~0o777 != 0 {
                return "directoryMode and fileMode are permission bits (0o000 to 0o777)"
            }
            return nil
        }
    }
}
