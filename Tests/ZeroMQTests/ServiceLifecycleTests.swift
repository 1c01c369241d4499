import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import ZeroMQ

extension ZeroMQTests {
    @Suite struct ServiceLifecycleTests {
        @Test func pullServiceDrainsUntilGracefulShutdown() async throws {
            let clock = ContinuousClock()
            let context = try ZeroMQContext()
            let pull = try ZeroMQSocket(context: context, type: .pull)
            let endpoint = try pull.bind("tcp://127.0.0.1:*")
            let tally = JobTally()
            let service = PullService(receiver: ZeroMQReceiver(pull), tally: tally)

            let push = try ZeroMQSocket(context: context, type: .push)
            try push.connect(endpoint)
            let sender = ZeroMQSender(push)

            try await testGracefulShutdown { trigger in
                let running = Task { try await service.run() }
                for index in 0..<3 { try await sender.send(Loopback.bytes("{\"key\":\"batch-\(index)\"}")) }
                while await tally.jobCount < 3 {
                    try await Task.sleep(for: .milliseconds(5))
                }
                let shutdownStart = clock.now
                trigger.triggerGracefulShutdown()
                try await running.value
                #expect(shutdownStart.duration(to: clock.now) < .seconds(20))
            }
            #expect(await tally.jobsByWorker[0] == (0..<3).map { "{\"key\":\"batch-\($0)\"}" })
            // run() closed the receiver on its way out.
            #expect(try await service.receiver.receive() == nil)
            await sender.close()
        }
    }
}
