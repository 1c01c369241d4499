#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed-capacity byte buffer for upload parts, reused from part to part.
///
/// Mapped directly with `mmap`, so its pages go back to the system when it is released:
/// glibc's malloc raises its mmap threshold after freeing a multi-MiB block and would then
/// keep later part buffers in its arenas, growing the process's RSS.
final class S3PartBuffer: @unchecked Sendable {
    // Safety: one upload owns each buffer. The uploading task fills it, then exactly one
    // transfer reads it while that task awaits the transfer's result; the buffer is only
    // refilled after that result came back, so it is never accessed from two threads at once.
    let capacity: Int
    private let base: UnsafeMutableRawPointer
    private let isMapped: Bool
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        let mapped = mmap(nil, self.capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) {
            base = mapped
            isMapped = true
        } else {
            base = .allocate(byteCount: self.capacity, alignment: 16)
            isMapped = false
        }
    }

    deinit {
        if isMapped { munmap(base, capacity) } else { base.deallocate() }
    }

    var remainingCapacity: Int { capacity - count }

    /// The filled bytes; valid until the next mutation.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Appends `source`, which must fit.
    func append(_ source: UnsafeRawBufferPointer) {
        precondition(source.count <= remainingCapacity, "S3PartBuffer overflow")
        guard let address = source.baseAddress, source.count > 0 else { return }
        (base + count).copyMemory(from: address, byteCount: source.count)
        count += source.count
    }

    /// Empties the buffer, keeping its pages for the next part.
    func removeAll() { count = 0 }
}
