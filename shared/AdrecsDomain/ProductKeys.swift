/// Turns product ids into `UInt64` keys whose order is the ids' bytewise order where both pack.
///
/// An id of 1...8 bytes without a NUL byte packs big-endian, zero-padded (its top byte is never
/// 0). Longer ids (or ids with NUL) are interned and get `index + 1`, whose top byte is 0.
struct ProductKeys: Sendable {
    private var long = ByteInterner()

    @inline(__always)
    mutating func key(for bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        if count <= 8, let base = bytes.baseAddress {
            var packed: UInt64 = 0
            var index = 0
            var sawZero = false
            while index < count {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                sawZero = sawZero || byte == 0
                packed = packed &<< 8 | UInt64(byte)
                index &+= 1
            }
            if !sawZero { return packed &<< (UInt64(8 - count) &* 8) }
        }
        return UInt64(long.intern(bytes).index + 1)
    }

    /// ``key(for:)`` for an id followed by at least 8 - `bytes.count` readable bytes (an id in a
    /// valid log line, which the date follows), reading one unaligned word instead of a loop.
    @inline(__always)
    mutating func key(forIdInLine bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        guard count >= 1, count <= 8, let base = bytes.baseAddress else { return key(for: bytes) }
        let mask = UInt64.max &<< (UInt64(8 &- count) &* 8)
        let packed = UInt64(bigEndian: base.loadUnaligned(as: UInt64.self)) & mask
        // Padding bytes set to 0xFF so that only a NUL inside the id counts.
        let probe = packed | ~mask
        let hasZeroByte = (probe &- 0x0101_0101_0101_0101) & ~probe & 0x8080_8080_8080_8080 != 0
        return hasZeroByte ? key(for: bytes) : packed
    }

    @inline(__always)
    static func isPacked(_ key: UInt64) -> Bool { key &>> 56 != 0 }

    /// The id's bytes.
    func bytes(of key: UInt64) -> [UInt8] {
        guard Self.isPacked(key) else { return long.bytes(at: Int(key) - 1) }
        var result: [UInt8] = []
        result.reserveCapacity(8)
        var rest = key
        while rest != 0 {
            result.append(UInt8(truncatingIfNeeded: rest &>> 56))
            rest &<<= 8
        }
        return result
    }

    func string(of key: UInt64) -> String {
        String(decoding: bytes(of: key), as: UTF8.self)
    }

    /// Bytewise order of the ids behind two keys.
    @inline(__always)
    func isLess(_ lhs: UInt64, _ rhs: UInt64) -> Bool {
        if Self.isPacked(lhs) && Self.isPacked(rhs) { return lhs < rhs }
        return bytes(of: lhs).lexicographicallyPrecedes(bytes(of: rhs))
    }
}
