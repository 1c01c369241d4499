#if canImport(Glibc)
import Glibc
#endif

/// Returns freed heap memory to the OS (glibc's `malloc_trim`) after a snapshot load and after a
/// replaced snapshot is released, so RSS follows the live snapshots rather than past peaks. A
/// no-op elsewhere.
enum HeapTrim {
    #if canImport(Glibc)
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    /// Looked up once; glibc's `<malloc.h>` is not part of the Glibc module.
    private static let mallocTrim: MallocTrim? = dlsym(nil, "malloc_trim")
        .map { unsafeBitCast($0, to: MallocTrim.self) }
    #endif

    static func trim() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }
}
