import Foundation

/// Dedicated threads for jobs that block, growing on demand up to `maxThreads`.
///
/// A concurrent dispatch queue is no substitute on Linux: its work runs on the same few
/// non-overcommitting threads as Swift's cooperative pool, so blocked jobs starve every task.
/// Threads here are started when more jobs wait than threads are idle, and then kept.
final class BlockingThreadPool: @unchecked Sendable {  // all mutable state is guarded by `condition`
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var next = 0
    private var idle = 0
    private var threads = 0
    private let maxThreads: Int
    private let name: String

    init(name: String, maxThreads: Int) {
        self.name = name
        self.maxThreads = maxThreads
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        let spawn = jobs.count - next > idle && threads < maxThreads
        if spawn { threads += 1 }
        condition.signal()
        condition.unlock()
        if spawn {
                Thread { [self] in
                // Linux names a thread from the thread itself (at most 15 bytes show).
                Thread.current.name = name
                work()
            }.start()
        }
    }

    private func work() {
        condition.lock()
        while true {
            while next == jobs.count {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = jobs[next]
            next += 1
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
