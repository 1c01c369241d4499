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
    /// The name the OS shows (stack traces, `top -H`): Linux keeps 15 bytes.
    private let threadName: String

    init(name: String, maxThreads: Int) {
        var threadName = name
        while threadName.utf8.count > 15 { threadName.removeLast() }
        self.threadName = threadName
        self.maxThreads = maxThreads
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        jobs.append(job)
        if jobs.count - next > idle && threads < maxThreads {
            threads += 1
            // Started under the lock, which `work()` takes before naming its thread.
            Thread { [self] in work() }.start()
        }
        condition.signal()
    }

    private func work() {
        condition.lock()
        // Only now: on Linux, `Thread.name`'s setter does nothing until `start()` has returned in
        // the creator, and the thread first re-applies the name it inherited from its creator
        // (a dispatch worker's, "oot.default-qos"), so naming any earlier was a race.
        Thread.current.name = threadName
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
