import Testing
import ZeroMQ

extension ZeroMQTests {
    @Suite struct ReceiverShutdownTests {
        @Test(arguments: ShutdownTrigger.allCases)
        func messageLoopEndsCleanlyAndQuickly(trigger: ShutdownTrigger) async throws {
            let clock = ContinuousClock()
            var stoppedAt = clock.now
            var loopEnd: (received: Int, endedAt: ContinuousClock.Instant)?
            do {
                let context = try ZeroMQContext()
                let pull = try ZeroMQSocket(context: context, type: .pull)
                let endpoint = try pull.bind("tcp://127.0.0.1:*")
                let receiver = ZeroMQReceiver(pull, pollInterval: .milliseconds(100))
                let push = try ZeroMQSocket(context: context, type: .push)
                try push.connect(endpoint)
                let sender = ZeroMQSender(push)

                let loop = Task {
                    var received = 0
                    for try await _ in receiver.messages { received += 1 }
                    return (received, clock.now)
                }
                try await sender.send(Loopback.bytes("before stop"))
                // Let the loop take the message and block waiting for the next one.
                try await Task.sleep(for: .milliseconds(300))

                stoppedAt = clock.now
                switch trigger {
                case .taskCancellation: loop.cancel()
                case .receiverClose: await receiver.close()
                case .contextShutdown: context.shutdown()
                }
                loopEnd = try await loop.value
                await sender.close()
            }
            // The context and every socket are released here: zmq_ctx_term has returned.
            let end = try #require(loopEnd)
            #expect(end.received == 1)
            #expect(end.endedAt >= stoppedAt)
            #expect(stoppedAt.duration(to: end.endedAt) < .seconds(20))
            #expect(stoppedAt.duration(to: clock.now) < .seconds(20))
        }

        @Test func receiveAfterCloseReturnsNil() async throws {
            let context = try ZeroMQContext()
            let pull = try ZeroMQSocket(context: context, type: .pull)
            try pull.bind("inproc://closed-receiver")
            let receiver = ZeroMQReceiver(pull)
            await receiver.close()
            let message = try await receiver.receive()
            #expect(message == nil)
            var iterator = receiver.messages.makeAsyncIterator()
            #expect(try await iterator.next() == nil)
        }

        @Test func sendAfterContextShutdownFailsWithETERM() async throws {
            let context = try ZeroMQContext()
            let push = try ZeroMQSocket(context: context, type: .push)
            try push.bind("tcp://127.0.0.1:*")
            let sender = ZeroMQSender(push)
            context.shutdown()
            let error = await #expect(throws: ZeroMQError.self) { try await sender.send(Loopback.bytes("late")) }
            #expect(error?.isContextTerminated == true)
            #expect(error?.description.contains("the context was shut down") == true)
            let socketError = #expect(throws: ZeroMQError.self) { try ZeroMQSocket(context: context, type: .pull) }
            #expect(socketError?.isContextTerminated == true)
        }
    }
}
