/// Maps byte strings to dense indices 0, 1, 2... (open addressing, linear probing).
/// The strings live in one arena; lookups allocate nothing.
struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    /// Start offset of string `i` in `arena`; `offsets[i + 1]` is its end.
    private var offsets: [Int] = [0]
    /// `index + 1` per slot, 0 for empty.
    private var slots: [Int32]
    private var hashes: [UInt64]
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        hashes = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count - 1 }

    /// The bytes of string `index`.
    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = offsets[index], end = offsets[index + 1]
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    func bytes(at index: Int) -> [UInt8] {
        Array(arena[offsets[index]..<offsets[index + 1]])
    }

    @inline(__always)
    func index(of bytes: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if hashes[slot] == hash && equals(Int(entry) - 1, bytes) { return Int(entry) - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `bytes`, adding it when new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (index: Int, inserted: Bool) {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if hashes[slot] == hash && equals(Int(entry) - 1, bytes) { return (Int(entry) - 1, false) }
            slot = (slot + 1) & mask
        }
        let index = count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        slots[slot] = Int32(index + 1)
        hashes[slot] = hash
        if count * 2 > slots.count { grow() }
        return (index, true)
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[index], end = offsets[index + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { arena in
            bytes.count == 0 || ByteSearch.equal(arena.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: size)
        var newHashes = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for old in 0..<slots.count where slots[old] != 0 {
            var slot = Int(truncatingIfNeeded: hashes[old]) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = slots[old]
            newHashes[slot] = hashes[old]
        }
        slots = newSlots
        hashes = newHashes
        mask = newMask
    }

    /// A fast 64-bit hash of a byte string: one multiply per 8-byte word (the last word
    /// overlapping the previous one), then a final avalanche.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9FB2_1C65_1E98_DF25
        let count = bytes.count
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        guard let base = bytes.baseAddress else { return mix(hash) }
        if count >= 8 {
            var index = 0
            while index &+ 8 < count {
                hash = (hash ^ UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))) &* multiplier
                index &+= 8
            }
            hash ^= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        } else {
            var tail: UInt64 = 0
            for index in 0..<count {
                tail = tail &<< 8 | UInt64(base.load(fromByteOffset: index, as: UInt8.self))
            }
            hash ^= tail
        }
        return mix(hash)
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 31
        x = x &* 0x94D0_49BB_1331_11EB
        x ^= x >> 29
        return x
    }
}
