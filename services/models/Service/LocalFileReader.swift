#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a local file sequentially in fixed-size chunks into one reused buffer.
struct LocalFileReader: ~Copyable {
    let path: String
    private let descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer

    init(path: String, chunkSize: Int) throws(ModelsError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Self.error("open", path) }
        self.path = path
        self.descriptor = descriptor
        self.buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Calls `body` with each chunk until end of file; returns the bytes read.
    mutating func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Void) throws(ModelsError) -> Int {
        var total = 0
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error("read", path)
            }
            if count == 0 { return total }
            total += count
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    static func error(_ operation: String, _ path: String) -> ModelsError {
        let code = errno
        return .io(operation: operation, path: path, code: code, message: String(cString: strerror(code)))
    }

    /// Whether a regular file or other entry exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
