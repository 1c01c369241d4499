#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ETag S3 gives an object completed from parts: the MD5 of the parts' binary MD5s (their
/// ETags), then `-<part count>`. It identifies the object a CompleteMultipartUpload made, when
/// that request's answer was lost.
enum S3MultipartETag {
    /// `"<hex>-<n>"` for part ETags that are MD5s (32 hex digits, quoted or not); `nil` otherwise
    /// (parts encrypted with SSE-KMS or SSE-C have other ETags).
    static func expected(partETags: [String]) -> String? {
        var digests: [UInt8] = []
        digests.reserveCapacity(16 * partETags.count)
        for eTag in partETags {
            let hex = Array(eTag.utf8.filter { $0 != UInt8(ascii: "\"") })
            guard hex.count == 32 else { return nil }
            for index in stride(from: 0, to: 32, by: 2) {
                guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
                digests.append(high << 4 | low)
            }
        }
        let digest = md5(digests)
        let text = digest.map { byte in String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }.joined()
        return "\"\(text)-\(partETags.count)\""
    }

    /// Whether two ETags are equal, ignoring quotes and case.
    static func same(_ a: String, _ b: String) -> Bool {
        func bare(_ eTag: String) -> String { eTag.filter { $0 != "\"" }.lowercased() }
        return bare(a) == bare(b)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// MD5 (RFC 1321) of a short message.
    static func md5(_ message: [UInt8]) -> [UInt8] {
        let shifts: [UInt32] = [
            7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
            5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
            4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
            6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
        ]
        let constants: [UInt32] = (0..<64).map { index in
            UInt32(truncatingIfNeeded: Int64(abs(sin(Double(index + 1))) * 4_294_967_296))
        }
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 0, to: 64, by: 8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            let words: [UInt32] = (0..<16).map { word in
                (0..<4).reduce(UInt32(0)) { value, byte in value | UInt32(padded[chunk + 4 * word + byte]) << (8 * UInt32(byte)) }
            }
            var (a, b, c, d) = state
            for index in 0..<64 {
                var f: UInt32
                let g: Int
                switch index {
                case 0..<16: (f, g) = ((b & c) | (~b & d), index)
                case 16..<32: (f, g) = ((d & b) | (~d & c), (5 * index + 1) % 16)
                case 32..<48: (f, g) = (b ^ c ^ d, (3 * index + 5) % 16)
                default: (f, g) = (c ^ (b | ~d), (7 * index) % 16)
                }
                f = f &+ a &+ constants[index] &+ words[g]
                a = d
                d = c
                c = b
                b = b &+ (f << shifts[index] | f >> (32 - shifts[index]))
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
        }
        return [state.0, state.1, state.2, state.3].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
    }
}
