/// A counter table keyed by product key (never 0), open addressing with linear probing.
/// Storage is allocated on first insert and grows at 70% load.
struct ProductTable<Value: BitwiseCopyable & Sendable>: Sendable {
    private(set) var keys: [UInt64] = []
    private(set) var values: [Value] = []
    private(set) var count = 0
    private var shift: UInt64 = 64
    private let zero: Value

    init(zero: Value) {
        self.zero = zero
    }

    /// Applies `body` to the value of `key`, inserting `zero` first when the key is new.
    @inline(__always)
    mutating func update(_ key: UInt64, _ body: (inout Value) -> Void) {
        if count &* 10 >= keys.count &* 7 { grow() }
        let mask = keys.count &- 1
        var slot = Self.slot(for: key, shift: shift)
        while true {
            let existing = keys[slot]
            if existing == key { break }
            if existing == 0 {
                keys[slot] = key
                values[slot] = zero
                count &+= 1
                break
            }
            slot = (slot &+ 1) & mask
        }
        body(&values[slot])
    }

    /// Calls `body` for every entry, in table order.
    func forEach(_ body: (_ key: UInt64, _ value: Value) -> Void) {
        for slot in keys.indices where keys[slot] != 0 {
            body(keys[slot], values[slot])
        }
    }

    @inline(__always)
    private static func slot(for key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key &>> 29)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    private mutating func grow() {
        let size = keys.isEmpty ? 16 : keys.count * 2
        let newShift = UInt64(64 - size.trailingZeroBitCount)
        var newKeys = [UInt64](repeating: 0, count: size)
        var newValues = [Value](repeating: zero, count: size)
        let mask = size - 1
        for old in keys.indices where keys[old] != 0 {
            var slot = Self.slot(for: keys[old], shift: newShift)
            while newKeys[slot] != 0 { slot = (slot &+ 1) & mask }
            newKeys[slot] = keys[old]
            newValues[slot] = values[old]
        }
        keys = newKeys
        values = newValues
        shift = newShift
    }
}
