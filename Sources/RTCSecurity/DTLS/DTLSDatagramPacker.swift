/// Cuts what OpenSSL wrote into a memory BIO into datagrams of whole DTLS records.
///
/// A memory BIO is a byte stream: every record OpenSSL writes in one call (a whole flight, for
/// example ServerHello, Certificate, ServerKeyExchange, CertificateRequest and ServerHelloDone) is
/// appended to the same buffer, and the datagram boundaries OpenSSL had in mind are lost
/// (`BIO_new_bio_dgram_pair`, which keeps them, needs OpenSSL 3.2). DTLS records are
/// self-delimiting, though: a 13-byte header (type, version, epoch, sequence number) ending in a
/// 16-bit length (RFC 6347 section 4.1). OpenSSL sizes every handshake record to fit the MTU
/// (`SSL_set_mtu`), so splitting the stream at record boundaries and packing consecutive records
/// greedily into datagrams of at most `mtu` bytes yields datagrams a peer reads exactly as if
/// OpenSSL had sent them itself (RFC 6347 section 4.1.1 allows several records per datagram).
enum DTLSDatagramPacker {
    /// The DTLS 1.0/1.2 record header: type (1), version (2), epoch (2), sequence (6), length (2).
    static let recordHeaderLength = 13

    /// Appends `stream`'s records to `datagrams`, packed in order into datagrams of at most `mtu`
    /// bytes each.
    ///
    /// A record larger than `mtu` (OpenSSL never writes one for the handshake) is sent alone
    /// rather than dropped. Bytes that do not parse as a whole record (which OpenSSL never writes
    /// either) are sent as one last datagram, unchanged, so nothing OpenSSL produced is lost.
    static func pack(_ stream: [UInt8], mtu: Int, into datagrams: inout [[UInt8]]) {
        var current: [UInt8] = []
        var offset = 0
        while offset < stream.count {
            let remaining = stream.count - offset
            guard remaining >= Self.recordHeaderLength else { break }
            let length = Int(stream[offset + 11]) << 8 | Int(stream[offset + 12])
            let recordLength = Self.recordHeaderLength + length
            guard recordLength <= remaining else { break }
            if !current.isEmpty, current.count + recordLength > mtu {
                datagrams.append(current)
                current = []
            }
            current.append(contentsOf: stream[offset..<(offset + recordLength)])
            offset += recordLength
        }
        if !current.isEmpty {
            datagrams.append(current)
        }
        if offset < stream.count {
            datagrams.append(Array(stream[offset...]))
        }
    }
}
