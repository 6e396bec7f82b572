import RTCSecurity
import Testing

/// A slow, test-only SRTP reference written from the RFCs (FIPS 197 AES, SP 800-38D GCM, FIPS 180
/// SHA-1, RFC 2104 HMAC, RFC 3711 AES-CM, KDF and packet layout, RFC 7714 IVs and AAD).
///
/// Why: RFC 3711 B.2/B.3 and RFC 7714 sections 16-17 give session keys and salts, but libsrtp
/// always derives its session keys from a master key, so those vectors cannot be fed to it. This
/// reference is checked against every one of those vectors (the "SRTP reference" suite), then
/// libsrtp's packets are compared with the reference's byte for byte (the "SRTP conformance"
/// suite). Not constant-time, not fast: never use it outside tests.
enum SRTPReference {
    // MARK: AES (FIPS 197)

    /// The S-box, computed (multiplicative inverse in GF(2^8), then the affine map) rather than
    /// typed in, so that a typo cannot hide in it.
    static let sbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        for value in 0..<256 {
            // x^254 is the inverse of x in GF(2^8) (and maps 0 to 0).
            var inverse: UInt8 = 1
            for _ in 0..<254 { inverse = SRTPReference.multiply(inverse, UInt8(value)) }
            if value == 0 { inverse = 0 }
            var result = inverse
            for shift in 1...4 { result ^= (inverse << shift) | (inverse >> (8 - shift)) }
            box[value] = result ^ 0x63
        }
        return box
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var product: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            a = (a << 1) ^ (a & 0x80 != 0 ? 0x1B : 0)
            b >>= 1
        }
        return product
    }

    /// Round keys for a 16- or 32-byte key.
    static func expandKey(_ key: [UInt8]) -> [[UInt8]] {
        let nk = key.count / 4
        let rounds = nk + 6
        var words: [[UInt8]] = (0..<nk).map { Array(key[(4 * $0)..<(4 * $0 + 4)]) }
        var rcon: UInt8 = 1
        for index in nk..<(4 * (rounds + 1)) {
            var word = words[index - 1]
            if index % nk == 0 {
                word = [word[1], word[2], word[3], word[0]].map { self.sbox[Int($0)] }
                word[0] ^= rcon
                rcon = self.multiply(rcon, 2)
            } else if nk > 6 && index % nk == 4 {
                word = word.map { self.sbox[Int($0)] }
            }
            words.append(zip(words[index - nk], word).map { $0 ^ $1 })
        }
        return (0...rounds).map { round in (0..<4).flatMap { words[4 * round + $0] } }
    }

    /// AES encryption of one 16-byte block.
    static func encryptBlock(_ block: [UInt8], roundKeys: [[UInt8]]) -> [UInt8] {
        var state = zip(block, roundKeys[0]).map { $0 ^ $1 }
        for round in 1..<roundKeys.count {
            state = state.map { self.sbox[Int($0)] }
            // ShiftRows: state[row + 4 * column] takes the byte `row` columns to its right.
            var shifted = state
            for row in 0..<4 {
                for column in 0..<4 { shifted[row + 4 * column] = state[row + 4 * ((column + row) % 4)] }
            }
            state = shifted
            if round != roundKeys.count - 1 {
                for column in 0..<4 {
                    let a = Array(state[(4 * column)..<(4 * column + 4)])
                    for row in 0..<4 {
                        state[4 * column + row] =
                            self.multiply(a[row], 2) ^ self.multiply(a[(row + 1) % 4], 3) ^ a[(row + 2) % 4]
                            ^ a[(row + 3) % 4]
                    }
                }
            }
            state = zip(state, roundKeys[round]).map { $0 ^ $1 }
        }
        return state
    }

    // MARK: AES-CM (RFC 3711 section 4.1.1)

    /// `count` bytes of AES counter-mode keystream starting at counter block `iv` (16 bytes).
    static func keystream(key: [UInt8], iv: [UInt8], count: Int) -> [UInt8] {
        let roundKeys = self.expandKey(key)
        var counter = iv
        var stream: [UInt8] = []
        while stream.count < count {
            stream += self.encryptBlock(counter, roundKeys: roundKeys)
            // Big-endian increment of the whole block.
            var index = 15
            while index >= 0 {
                counter[index] &+= 1
                if counter[index] != 0 { break }
                index -= 1
            }
        }
        return Array(stream[0..<count])
    }

    // MARK: SHA-1 and HMAC-SHA1 (FIPS 180-4, RFC 2104)

    static func sha1(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var data = message + [0x80]
        while data.count % 64 != 56 { data.append(0) }
        let bits = UInt64(message.count) * 8
        data += (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var w = (0..<16).map { i in
                (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(data[chunk + 4 * i + $1]) }
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w.append(x << 1 | x >> 31)
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h = zip(h, [a, b, c, d, e]).map { $0 &+ $1 }
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? self.sha1(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = self.sha1(block.map { $0 ^ 0x36 } + message)
        return self.sha1(block.map { $0 ^ 0x5C } + inner)
    }

    // MARK: GCM (NIST SP 800-38D)

    /// Multiplication in GF(2^128) with GCM's bit order (SP 800-38D algorithm 1).
    static func gfMultiply(_ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
        var z = [UInt8](repeating: 0, count: 16)
        var v = y
        for i in 0..<128 {
            if x[i / 8] & (0x80 >> (i % 8)) != 0 { z = zip(z, v).map { $0 ^ $1 } }
            let lsb = v[15] & 1
            for index in stride(from: 15, to: 0, by: -1) { v[index] = v[index] >> 1 | v[index - 1] << 7 }
            v[0] >>= 1
            if lsb != 0 { v[0] ^= 0xE1 }
        }
        return z
    }

    static func ghash(h: [UInt8], aad: [UInt8], ciphertext: [UInt8]) -> [UInt8] {
        func padded(_ bytes: [UInt8]) -> [UInt8] {
            bytes + [UInt8](repeating: 0, count: (16 - bytes.count % 16) % 16)
        }
        let lengths = [UInt64(aad.count) * 8, UInt64(ciphertext.count) * 8].flatMap { value in
            (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
        }
        let blocks = padded(aad) + padded(ciphertext) + lengths
        var y = [UInt8](repeating: 0, count: 16)
        for start in stride(from: 0, to: blocks.count, by: 16) {
            y = self.gfMultiply(zip(y, blocks[start..<(start + 16)]).map { $0 ^ $1 }, h)
        }
        return y
    }

    /// GCM with a 96-bit IV and a 16-byte tag: the ciphertext, the tag, H and E(K, J0).
    static func gcm(
        key: [UInt8],
        iv: [UInt8],
        aad: [UInt8],
        plaintext: [UInt8]
    ) -> (ciphertext: [UInt8], tag: [UInt8], h: [UInt8], encryptedJ0: [UInt8]) {
        let roundKeys = self.expandKey(key)
        let h = self.encryptBlock([UInt8](repeating: 0, count: 16), roundKeys: roundKeys)
        let j0 = iv + [0, 0, 0, 1]
        let encryptedJ0 = self.encryptBlock(j0, roundKeys: roundKeys)
        // The payload's counter blocks start at inc32(J0) = IV || 2.
        let stream = self.keystream(key: key, iv: iv + [0, 0, 0, 2], count: plaintext.count)
        let ciphertext = zip(plaintext, stream).map { $0 ^ $1 }
        let tag = zip(self.ghash(h: h, aad: aad, ciphertext: ciphertext), encryptedJ0).map { $0 ^ $1 }
        return (ciphertext, tag, h, encryptedJ0)
    }

    /// GCM decryption: the plaintext, or `nil` when the tag does not verify.
    static func gcmOpen(key: [UInt8], iv: [UInt8], aad: [UInt8], sealed: [UInt8]) -> [UInt8]? {
        guard sealed.count >= 16 else { return nil }
        let ciphertext = Array(sealed.dropLast(16))
        let roundKeys = self.expandKey(key)
        let h = self.encryptBlock([UInt8](repeating: 0, count: 16), roundKeys: roundKeys)
        let encryptedJ0 = self.encryptBlock(iv + [0, 0, 0, 1], roundKeys: roundKeys)
        let tag = zip(self.ghash(h: h, aad: aad, ciphertext: ciphertext), encryptedJ0).map { $0 ^ $1 }
        guard tag == Array(sealed.suffix(16)) else { return nil }
        let stream = self.keystream(key: key, iv: iv + [0, 0, 0, 2], count: ciphertext.count)
        return zip(ciphertext, stream).map { $0 ^ $1 }
    }

    // MARK: SRTP (RFC 3711, RFC 7714)

    /// The RFC 3711 section 4.3 KDF with a key derivation rate of 0: AES-CM over the master key, with
    /// `label` XORed into the (14-byte, zero-padded) master salt at octet 7.
    static func derive(masterKey: [UInt8], masterSalt: [UInt8], label: UInt8, count: Int) -> [UInt8] {
        var x = masterSalt + [UInt8](repeating: 0, count: 14 - masterSalt.count)
        x[7] ^= label
        return self.keystream(key: masterKey, iv: x + [0, 0], count: count)
    }

    struct SessionKeys {
        var cipherKey: [UInt8]
        var authKey: [UInt8]
        var salt: [UInt8]
    }

    /// Session keys for RTP (labels 0, 1, 2) or RTCP (labels 3, 4, 5).
    static func sessionKeys(_ keying: SRTPKeyingMaterial, rtcp: Bool) -> SessionKeys {
        let base: UInt8 = rtcp ? 3 : 0
        let aead = keying.profile.masterSaltLength == 12
        func derive(_ label: UInt8, _ count: Int) -> [UInt8] {
            self.derive(masterKey: keying.masterKey, masterSalt: keying.masterSalt, label: base + label, count: count)
        }
        return SessionKeys(
            cipherKey: derive(0, keying.profile.masterKeyLength),
            authKey: aead ? [] : derive(1, 20),
            salt: derive(2, keying.profile.masterSaltLength)
        )
    }

    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * (bytes - 1 - $0))) }
    }

    /// RFC 3711 section 4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
    static func counterIV(salt: [UInt8], ssrc: UInt32, index: UInt64) -> [UInt8] {
        let block = [0, 0, 0, 0] + self.bigEndian(UInt64(ssrc), bytes: 4) + self.bigEndian(index, bytes: 6) + [0, 0]
        return zip(block, salt + [0, 0]).map { $0 ^ $1 }
    }

    /// RFC 7714 section 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt.
    static func rtpAEADIV(salt: [UInt8], ssrc: UInt32, roc: UInt32, sequence: UInt16) -> [UInt8] {
        let block =
            [0, 0] + self.bigEndian(UInt64(ssrc), bytes: 4) + self.bigEndian(UInt64(roc), bytes: 4)
            + self.bigEndian(UInt64(sequence), bytes: 2)
        return zip(block, salt).map { $0 ^ $1 }
    }

    /// RFC 7714 section 9.1: IV = (00 00 || SSRC || 00 00 || 0 || 31-bit index) XOR salt.
    static func rtcpAEADIV(salt: [UInt8], ssrc: UInt32, index: UInt32) -> [UInt8] {
        let block = [0, 0] + self.bigEndian(UInt64(ssrc), bytes: 4) + [0, 0] + self.bigEndian(UInt64(index), bytes: 4)
        return zip(block, salt).map { $0 ^ $1 }
    }

    static func ssrc(of packet: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(packet[offset + $1]) }
    }

    /// An SRTP packet as RFC 3711 / RFC 7714 define it, for a packet with no CSRC or extension.
    static func protectRTP(_ packet: [UInt8], keying: SRTPKeyingMaterial, roc: UInt32) -> [UInt8] {
        let keys = self.sessionKeys(keying, rtcp: false)
        let header = Array(packet[0..<12])
        let payload = Array(packet[12...])
        let ssrc = self.ssrc(of: packet, at: 8)
        let sequence = UInt16(packet[2]) << 8 | UInt16(packet[3])
        if keying.profile.masterSaltLength == 12 {
            let iv = self.rtpAEADIV(salt: keys.salt, ssrc: ssrc, roc: roc, sequence: sequence)
            let sealed = self.gcm(key: keys.cipherKey, iv: iv, aad: header, plaintext: payload)
            return header + sealed.ciphertext + sealed.tag
        }
        let index = UInt64(roc) << 16 | UInt64(sequence)
        let iv = self.counterIV(salt: keys.salt, ssrc: ssrc, index: index)
        let stream = self.keystream(key: keys.cipherKey, iv: iv, count: payload.count)
        let encrypted = header + zip(payload, stream).map { $0 ^ $1 }
        let tag = self.hmacSHA1(key: keys.authKey, message: encrypted + self.bigEndian(UInt64(roc), bytes: 4))
        return encrypted + tag[0..<keying.profile.rtpAuthTagLength]
    }

    /// An SRTCP packet (encrypted, E = 1) as RFC 3711 / RFC 7714 define it.
    static func protectRTCP(_ packet: [UInt8], keying: SRTPKeyingMaterial, index: UInt32) -> [UInt8] {
        let keys = self.sessionKeys(keying, rtcp: true)
        let header = Array(packet[0..<8])
        let payload = Array(packet[8...])
        let ssrc = self.ssrc(of: packet, at: 4)
        let trailer = self.bigEndian(UInt64(0x8000_0000 | index), bytes: 4)
        if keying.profile.masterSaltLength == 12 {
            let iv = self.rtcpAEADIV(salt: keys.salt, ssrc: ssrc, index: index)
            let sealed = self.gcm(key: keys.cipherKey, iv: iv, aad: header + trailer, plaintext: payload)
            return header + sealed.ciphertext + sealed.tag + trailer
        }
        let iv = self.counterIV(salt: keys.salt, ssrc: ssrc, index: UInt64(index))
        let stream = self.keystream(key: keys.cipherKey, iv: iv, count: payload.count)
        let authenticated = header + zip(payload, stream).map { $0 ^ $1 } + trailer
        return authenticated
            + self.hmacSHA1(key: keys.authKey, message: authenticated)[0..<keying.profile.rtcpAuthTagLength]
    }
}

@Suite("SRTP reference (RFC 3711 and RFC 7714 vectors)")
struct SRTPReferenceTests {
    struct RFC3711: Decodable {
        struct Vector: Decodable {
            let id: String
            let inputs: [String: Value]
            let expected_keystream_blocks: [Block]?
            let derivations: [Derivation]?
        }
        enum Value: Decodable {
            case text(String)
            case number(Int)
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Int.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
            var text: String {
                if case .text(let value) = self { return value }
                return ""
            }
        }
        struct Block: Decodable {
            let block_index: Int
            let counter: String
            let keystream: String
        }
        struct Derivation: Decodable {
            let label: String
            let output_octets: Int
            let aes_cm_input: String
            let output: String
        }
        let vectors: [Vector]
    }

    struct RFC7714: Decodable {
        struct Vector: Decodable, CustomStringConvertible {
            struct Intermediate: Decodable {
                let H: String
                let K0: String
                let full_gmac_tag: String
            }
            let id: String
            let operation: String
            let packet_kind: String
            let key: String
            let salt: String
            let iv: String
            let aad: String
            let input_packet: String
            let output_packet: String
            let intermediate: Intermediate
            let rollover_counter: UInt32?
            let ssrc: String
            let sequence_number: String?
            let srtcp_index: String?
            let e_flag: Int?
            var description: String { self.id }
        }
        let vectors: [Vector]
    }

    static func rfc7714() throws -> [RFC7714.Vector] {
        try SecurityVectors.load("rfc7714.json", as: RFC7714.self).vectors
    }

    static func uint(_ hex: String) throws -> UInt64 {
        try SecurityVectors.bytes(hex).reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test("The reference's S-box and SHA-1 are sound (FIPS 197 S-box entries, RFC 2202 HMAC-SHA1 case 1)")
    func primitives() {
        #expect(SRTPReference.sbox[0x00] == 0x63)
        #expect(SRTPReference.sbox[0x53] == 0xED)
        #expect(SRTPReference.sbox[0xFF] == 0x16)
        #expect(Set(SRTPReference.sbox).count == 256)
        #expect(
            SecurityVectors.hex(SRTPReference.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d"
        )
        let mac = SRTPReference.hmacSHA1(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
        #expect(SecurityVectors.hex(mac) == "b617318655057264e28bc0b6fb378c8ef146be00")
    }

    @Test("RFC 3711 B.2: AES-CM keystream blocks 0-2 and 65279-65281")
    func aesCMKeystream() throws {
        let vectors = try SecurityVectors.load("rfc3711.json", as: RFC3711.self).vectors
        let vector = try #require(vectors.first { $0.id == "rfc3711-B.2-aes-cm-keystream" })
        let key = try SecurityVectors.bytes(try #require(vector.inputs["session_key"]).text)
        let salt = try SecurityVectors.bytes(try #require(vector.inputs["session_salt_already_shifted"]).text)
        let blocks = try #require(vector.expected_keystream_blocks)
        #expect(blocks.count == 6)
        // SSRC, ROC and SEQ are zero: the IV is the shifted salt (RFC 3711 section 4.1.1).
        #expect(SRTPReference.counterIV(salt: Array(salt[0..<14]), ssrc: 0, index: 0) == salt)
        for block in blocks {
            // Block i's counter is the IV plus i (the IV's low 16 bits are zero).
            let counter = try SecurityVectors.bytes(block.counter)
            #expect(Array(counter[0..<14]) == Array(salt[0..<14]))
            #expect(Int(counter[14]) << 8 | Int(counter[15]) == block.block_index)
            let stream = SRTPReference.keystream(key: key, iv: counter, count: 16)
            #expect(SecurityVectors.hex(stream) == block.keystream, "block \(block.block_index)")
        }
    }

    @Test("RFC 3711 B.3: the KDF gives the cipher key, salt and auth key")
    func keyDerivation() throws {
        let vectors = try SecurityVectors.load("rfc3711.json", as: RFC3711.self).vectors
        let vector = try #require(vectors.first { $0.id == "rfc3711-B.3-key-derivation" })
        let masterKey = try SecurityVectors.bytes(try #require(vector.inputs["master_key"]).text)
        let masterSalt = try SecurityVectors.bytes(try #require(vector.inputs["master_salt"]).text)
        let derivations = try #require(vector.derivations)
        #expect(derivations.count == 3)
        for derivation in derivations {
            let label = try SecurityVectors.bytes(derivation.label)[0]
            let output = SRTPReference.derive(
                masterKey: masterKey,
                masterSalt: masterSalt,
                label: label,
                count: derivation.output_octets
            )
            #expect(SecurityVectors.hex(output) == derivation.output, "label \(label)")
        }
    }

    @Test("RFC 7714 sections 16-17: IV, AAD, H, tag and output of every vector", arguments: try Self.rfc7714())
    func aeadVector(_ vector: RFC7714.Vector) throws {
        let key = try SecurityVectors.bytes(vector.key)
        let salt = try SecurityVectors.bytes(vector.salt)
        let input = try SecurityVectors.bytes(vector.input_packet)
        let ssrc = UInt32(try Self.uint(vector.ssrc))
        let rtcp = vector.packet_kind == "rtcp"

        // The IV from the RFC's formula (sections 8.1 and 9.1).
        let iv: [UInt8]
        if rtcp {
            iv = SRTPReference.rtcpAEADIV(
                salt: salt,
                ssrc: ssrc,
                index: UInt32(try Self.uint(try #require(vector.srtcp_index)))
            )
        } else {
            let sequence = UInt16(try Self.uint(try #require(vector.sequence_number)))
            iv = SRTPReference.rtpAEADIV(
                salt: salt,
                ssrc: ssrc,
                roc: try #require(vector.rollover_counter),
                sequence: sequence
            )
        }
        #expect(SecurityVectors.hex(iv) == vector.iv)

        // Split the plaintext packet and build the AAD as the RFC lays it out.
        let plaintextPacket =
            vector.operation == "protect" || vector.operation == "tag_only"
            ? input : try SecurityVectors.bytes(vector.output_packet)
        let headerLength = rtcp ? 8 : 12
        let authenticatedOnly = vector.operation == "tag_only" || vector.operation == "verify_tag"
        let index = rtcp ? SRTPReference.bigEndian(try Self.uint(try #require(vector.srtcp_index)), bytes: 4) : []
        let trailer: [UInt8] =
            rtcp ? (authenticatedOnly ? index : [index[0] | 0x80] + index[1...]) : []
        let aad = (authenticatedOnly ? plaintextPacket : Array(plaintextPacket[0..<headerLength])) + trailer
        #expect(SecurityVectors.hex(aad) == vector.aad)

        let payload = authenticatedOnly ? [] : Array(plaintextPacket[headerLength...])
        let sealed = SRTPReference.gcm(key: key, iv: iv, aad: aad, plaintext: payload)
        #expect(SecurityVectors.hex(sealed.h) == vector.intermediate.H)
        #expect(SecurityVectors.hex(sealed.encryptedJ0) == vector.intermediate.K0)
        #expect(SecurityVectors.hex(sealed.tag) == vector.intermediate.full_gmac_tag)
        let protected =
            (authenticatedOnly ? plaintextPacket : Array(plaintextPacket[0..<headerLength])) + sealed.ciphertext
            + sealed.tag + trailer

        switch vector.operation {
        case "protect", "tag_only":
            #expect(SecurityVectors.hex(protected) == vector.output_packet)
        case "unprotect", "verify_tag":
            #expect(protected == input)
            // Open the given packet: the tag verifies and gives the plaintext...
            let body = Array(
                input[(authenticatedOnly ? plaintextPacket.count : headerLength)..<(input.count - trailer.count)]
            )
            let opened = SRTPReference.gcmOpen(key: key, iv: iv, aad: aad, sealed: body)
            #expect(opened == payload)
            // ...and one flipped bit does not.
            var forged = body
            forged[forged.count - 1] ^= 1
            #expect(SRTPReference.gcmOpen(key: key, iv: iv, aad: aad, sealed: forged) == nil)
        default:
            Issue.record("unknown operation \(vector.operation)")
        }
    }
}
