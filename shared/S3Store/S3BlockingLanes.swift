import AdrecsConcurrency
import Synchronization

/// Runs blocking curl transfers on a set of serial ``BlockingExecutor`` lanes, one transfer
/// per lane at a time, overflowing to a concurrent executor when every lane is busy.
///
/// On Linux a concurrent dispatch queue starts about one thread per CPU and adds a thread
/// only about once a second while its workers block, so concurrent transfers (or streams
/// parked on a slow consumer) would queue for seconds. Serial queues get a thread at once.
final class S3BlockingLanes: Sendable {
    private let lanes: [BlockingExecutor]
    private let busy: Mutex<[Bool]>
    /// Takes work when all lanes are busy, and runs the async glue of streamed downloads.
    let overflow: BlockingExecutor

    init(count: Int, label: String) {
        lanes = (0..<max(1, count)).map { BlockingExecutor(label: "\(label).\($0)", concurrent: false) }
        busy = Mutex([Bool](repeating: false, count: max(1, count)))
        overflow = BlockingExecutor(label: "\(label).overflow", concurrent: true)
    }

    /// Runs `body` on an idle lane, or on the overflow executor if none is idle.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        let lane = busy.withLock { busy -> Int? in
            guard let index = busy.firstIndex(of: false) else { return nil }
            busy[index] = true
            return index
        }
        guard let lane else { return try await overflow.run(body) }
        defer { busy.withLock { $0[lane] = false } }
        return try await lanes[lane].run(body)
    }
}
