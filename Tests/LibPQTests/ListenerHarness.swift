import AdrecsTestSupport
import LibPQ

/// Iterates a ``PGListener`` in a task of its own and records what arrives, for tests to await.
final class ListenerHarness: Sendable {
    let inbox = Inbox()
    let task: Task<Void, Never>

    init(_ listener: PGListener) {
        let inbox = self.inbox
        task = Task {
            do {
                for try await notification in listener { await inbox.append(notification) }
                await inbox.finish(nil)
            } catch {
                await inbox.finish(error as? PGError ?? PGError(.listen, message: "\(error)"))
            }
        }
    }

    /// What the listener delivered so far, and how it ended.
    actor Inbox {
        private(set) var received: [PGNotification] = []
        private(set) var ended = false
        private(set) var failure: PGError?

        func append(_ notification: PGNotification) { received.append(notification) }

        func finish(_ error: PGError?) {
            ended = true
            failure = error
        }
    }

    /// Waits until `predicate` holds for the received notifications, failing after `timeout`.
    func waitFor(
        _ what: String, timeout: Duration = .seconds(30),
        _ predicate: @Sendable ([PGNotification]) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if predicate(await inbox.received) { return }
            if await inbox.ended { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let received = await inbox.received
        let failure = await inbox.failure
        throw TestSetupError("timed out waiting for \(what); received \(received), failure: \(failure.map { "\($0)" } ?? "none")")
    }

    /// Waits until the sequence ends, failing after `timeout`.
    func waitForEnd(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await inbox.ended { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSetupError("timed out waiting for the listener to end")
    }

    func resyncCount(_ channel: String) async -> Int {
        await inbox.received.filter { $0.isResync && $0.channel == channel }.count
    }
}
