/// The Swift handlers of one easy handle. The handle passes this object, unretained, as the
/// `userdata` of every C callback; the handle keeps it alive for its own lifetime.
final class CurlCallbacks {
    var write: ((UnsafeRawBufferPointer) -> CurlWriteResult)?
    var read: ((UnsafeMutableRawBufferPointer) -> CurlReadResult)?
    var header: ((UnsafeRawBufferPointer) -> Void)?
    var progress: (() -> Bool)?
    var seek: ((Int64) -> Bool)?

    func clear() {
        write = nil
        read = nil
        header = nil
        progress = nil
        seek = nil
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ context: UnsafeMutableRawPointer?) -> CurlCallbacks {
        Unmanaged<CurlCallbacks>.fromOpaque(context!).takeUnretainedValue()
    }
}
