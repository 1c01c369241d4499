import Testing
import ZeroMQ

extension ZeroMQTests {
    @Suite struct PushPullTests {
        @Test func messagesArriveInOrderWithFramesIntact() async throws {
            let context = try ZeroMQContext()
            let pull = try ZeroMQSocket(context: context, type: .pull)
            let endpoint = try pull.bind("tcp://127.0.0.1:*")
            let port = try #require(endpoint.split(separator: ":").last.flatMap { Int($0) })
            #expect(endpoint == "tcp://127.0.0.1:\(port)" && port > 0)
            let receiver = ZeroMQReceiver(pull)

            let push = try ZeroMQSocket(context: context, type: .push)
            try push.connect(endpoint)
            let sender = ZeroMQSender(push)

            let binary = (0...255).map { UInt8($0) }
            let sent = (0..<500).map { index in
                ZeroMQMessage(frames: [
                    Loopback.bytes("{\"key\":\"s3://bucket/day/\(index).json\"}"),
                    [],
                    Array(binary.prefix(index % 257)),
                ])
            }
            async let sending: Void = {
                for message in sent { try await sender.send(message) }
            }()

            var received: [ZeroMQMessage] = []
            for try await message in receiver.messages {
                received.append(message)
                if received.count == sent.count { break }
            }
            try await sending

            #expect(received == sent)
            try #require(received.count == sent.count)
            #expect(received[300].frames.count == 3)
            #expect(received[300].payload == Array(binary.prefix(300 % 257)))
            await sender.close()
            await receiver.close()
        }

        /// The socket-level calls, with zero timeouts so that nothing blocks the test's thread.
        @Test func socketLevelSendAndReceiveWithoutWaiting() throws {
            let context = try ZeroMQContext()
            let noWait = ZeroMQSocketOptions(sendTimeout: .zero, receiveTimeout: .zero)
            let pull = try ZeroMQSocket(context: context, type: .pull, options: noWait)
            let endpoint = try pull.bind("inproc://socket-level")
            #expect(endpoint == "inproc://socket-level")
            let push = try ZeroMQSocket(context: context, type: .push, options: noWait)
            try push.connect(endpoint)

            try push.send(Loopback.bytes("one"))
            try push.send(frames: [Loopback.bytes("two"), Loopback.bytes("parts")])
            try push.send(ZeroMQMessage(frames: [[], [0]]))

            #expect(try pull.receive().frames == [Loopback.bytes("one")])
            #expect(try pull.receive(waitingAtMost: .zero)?.frames == [Loopback.bytes("two"), Loopback.bytes("parts")])
            #expect(try pull.receive().frames == [[], [0]])
            #expect(try pull.receive(waitingAtMost: .zero) == nil)
            let error = #expect(throws: ZeroMQError.self) { try pull.receive() }
            #expect(error?.isTimeout == true)
            #expect(error?.description.contains("receive timed out after 0.0 s on inproc://socket-level") == true)

            let empty = #expect(throws: ZeroMQError.self) { try push.send(frames: []) }
            #expect(empty?.operation == "send")
            let wrongWay = #expect(throws: ZeroMQError.self) { try pull.send(Loopback.bytes("no")) }
            #expect(wrongWay?.description.contains("PULL") == true)

            push.close()
            #expect(push.isClosed)
            let closed = #expect(throws: ZeroMQError.self) { try push.send(Loopback.bytes("late")) }
            #expect(closed?.isSocketClosed == true)
        }

        @Test func severalWorkersShareTheMessagesExactlyOnce() async throws {
            let context = try ZeroMQContext()
            let push = try ZeroMQSocket(context: context, type: .push)
            let endpoint = try push.bind("tcp://127.0.0.1:*")
            let sender = ZeroMQSender(push)

            let workerCount = 3
            let receivers = try (0..<workerCount).map { _ in
                let pull = try ZeroMQSocket(context: context, type: .pull)
                try pull.connect(endpoint)
                return ZeroMQReceiver(pull)
            }
            let tally = JobTally()
            let jobs = (0..<90).map { "job-\($0)" }

            try await withThrowingTaskGroup { group in
                for (worker, receiver) in receivers.enumerated() {
                    group.addTask {
                        for try await message in receiver.messages {
                            await tally.record(worker: worker, text: Loopback.text(message.payload))
                        }
                    }
                }
                // PUSH round-robins over connected peers only: warm up until every worker is connected.
                while await tally.workersWithWarmups < workerCount {
                    try await sender.send(Loopback.bytes("warmup"))
                    try await Task.sleep(for: .milliseconds(5))
                }
                for job in jobs { try await sender.send(Loopback.bytes(job)) }
                while await tally.jobCount < jobs.count {
                    try await Task.sleep(for: .milliseconds(5))
                }
                // Give any duplicate a chance to show up before the workers stop.
                try await Task.sleep(for: .milliseconds(200))
                group.cancelAll()
            }

            let jobsByWorker = await tally.jobsByWorker
            let allJobs = jobsByWorker.values.flatMap { $0 }
            #expect(allJobs.sorted() == jobs.sorted())
            #expect(Set(allJobs).count == allJobs.count)
            for worker in 0..<workerCount {
                #expect(jobsByWorker[worker, default: []].isEmpty == false, "worker \(worker) got no job")
            }
            for receiver in receivers { await receiver.close() }
            await sender.close()
        }
    }
}
