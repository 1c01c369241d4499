/// Helpers that lend Swift strings to libpq as arrays of C strings.
enum CStringArray {
    /// Calls `body` with one C string per element (`nil` stays `nil`), valid during the call only.
    static func with<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var storage: [CChar] = []
        var offsets: [Int?] = []
        for string in strings {
            guard let string else {
                offsets.append(nil)
                continue
            }
            offsets.append(storage.count)
            storage.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
            storage.append(0)
        }
        return storage.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base = buffer.baseAddress else { return nil }
                return base + offset
            }
            return body(pointers)
        }
    }
}
