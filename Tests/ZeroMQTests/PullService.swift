import ServiceLifecycle
import ZeroMQ

/// The shape of an adrecs stage: a `Service` that drains a PULL socket until graceful shutdown.
struct PullService: Service {
    let receiver: ZeroMQReceiver
    let tally: JobTally

    func run() async throws {
        for try await message in receiver.messages.cancelOnGracefulShutdown() {
            await tally.record(worker: 0, text: Loopback.text(message.payload))
        }
        await receiver.close()
    }
}
