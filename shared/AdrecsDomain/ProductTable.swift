/// A counter table keyed by product key (never 0): open addressing, linear probing, entries
/// with key and value side by side so that an update touches one cache line.
/// Storage is allocated on first insert and doubles at 70% load.
///
/// Value semantics through copy-on-write: a storage buffer shared by two copies is never
/// written (``update(_:_:)`` copies it first), which is why the type can be `Sendable`.
struct ProductTable<Value: BitwiseCopyable & Sendable>: @unchecked Sendable {
    private var storage: ProductTableStorage<Value>?
    /// `storage.entries`, cached so that the hot path reads no other object.
    private var entries: UnsafeMutablePointer<ProductTableStorage<Value>.Entry>?
    private var capacity = 0
    private var shift: UInt64 = 64
    private(set) var count = 0
    private let zero: Value

    init(zero: Value) {
        self.zero = zero
    }

    /// Applies `body` to the value of `key`, inserting `zero` first when the key is new.
    @inline(__always)
    mutating func update(_ key: UInt64, _ body: (inout Value) -> Void) {
        makeUnique()
        updateUnique(key, body)
    }

    /// Gives this copy its own storage when it shares it; ``updateUnique(_:_:)`` requires it.
    @inline(__always)
    mutating func makeUnique() {
        if storage != nil && !isKnownUniquelyReferenced(&storage) {
            let copy = storage.unsafelyUnwrapped.copy()
            storage = copy
            entries = copy.entries
        }
    }

    /// ``update(_:_:)`` for a table known not to share its storage since ``makeUnique()``.
    @inline(__always)
    mutating func updateUnique(_ key: UInt64, _ body: (inout Value) -> Void) {
        if count &* 10 >= capacity &* 7 { grow() }
        let entries = self.entries.unsafelyUnwrapped
        let mask = capacity &- 1
        var slot = Self.slot(for: key, shift: shift)
        while true {
            let existing = entries[slot].key
            if existing == key { break }
            if existing == 0 {
                entries[slot].key = key
                count &+= 1
                break
            }
            slot = (slot &+ 1) & mask
        }
        body(&entries[slot].value)
    }

    /// Reads the home slot of `key` so that its cache line is on its way before the update.
    @inline(__always)
    func touch(_ key: UInt64) -> UInt64 {
        guard let entries else { return 0 }
        return entries[Self.slot(for: key, shift: shift)].key
    }

    /// Calls `body` for every entry, in table order.
    func forEach(_ body: (_ key: UInt64, _ value: Value) -> Void) {
        guard let entries else { return }
        for slot in 0..<capacity where entries[slot].key != 0 {
            body(entries[slot].key, entries[slot].value)
        }
    }

    @inline(__always)
    private static func slot(for key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key &>> 29)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    private mutating func grow() {
        let size = capacity == 0 ? 16 : capacity * 2
        let newShift = UInt64(64 - size.trailingZeroBitCount)
        let newStorage = ProductTableStorage(capacity: size, zero: zero)
        let newEntries = newStorage.entries
        let mask = size - 1
        forEach { key, value in
            var slot = Self.slot(for: key, shift: newShift)
            while newEntries[slot].key != 0 { slot = (slot &+ 1) & mask }
            newEntries[slot] = .init(key: key, value: value)
        }
        storage = newStorage
        entries = newEntries
        capacity = size
        shift = newShift
    }
}
