/// The entry buffer of a ``ProductTable``: `capacity` (key, value) pairs, key 0 meaning empty.
final class ProductTableStorage<Value: BitwiseCopyable> {
    struct Entry {
        var key: UInt64
        var value: Value
    }

    let entries: UnsafeMutablePointer<Entry>
    let capacity: Int

    init(capacity: Int, zero: Value) {
        self.capacity = capacity
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(key: 0, value: zero), count: capacity)
    }

    private init(copying other: ProductTableStorage) {
        capacity = other.capacity
        entries = .allocate(capacity: capacity)
        entries.initialize(from: other.entries, count: capacity)
    }

    /// A distinct buffer with the same content.
    func copy() -> ProductTableStorage {
        ProductTableStorage(copying: self)
    }

    deinit {
        entries.deallocate()
    }
}
