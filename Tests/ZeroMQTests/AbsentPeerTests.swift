import Testing
import ZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ZeroMQTests {
    @Suite struct AbsentPeerTests {
        /// A PUSH connected to a port nobody listens on queues up to its HWM, then times out,
        /// and shutting down afterwards does not hang on the queued messages.
        @Test(arguments: [true, false])
        func sendTimesOutThenShutdownIsQuick(closeExplicitly: Bool) async throws {
            let clock = ContinuousClock()
            let highWaterMark = 5
            let options = ZeroMQSocketOptions(
                linger: .milliseconds(200),
                sendHighWaterMark: highWaterMark,
                sendTimeout: .milliseconds(300)
            )
            var shutdownStart = clock.now
            do {
                let context = try ZeroMQContext()
                let endpoint = try Loopback.unusedTCPEndpoint()
                let push = try ZeroMQSocket(context: context, type: .push, options: options)
                try push.connect(endpoint)
                let sender = ZeroMQSender(push)

                var queued = 0
                var failure: (error: ZeroMQError, after: Duration)?
                while failure == nil && queued <= 100 * highWaterMark {
                    let start = clock.now
                    do {
                        try await sender.send(Loopback.bytes("{\"key\":\"s3://bucket/\(queued)\"}"))
                        queued += 1
                    } catch {
                        failure = (error, start.duration(to: clock.now))
                    }
                }

                let (error, after) = try #require(failure)
                #expect(queued == highWaterMark)
                #expect(error.code == EAGAIN)
                #expect(error.isTimeout)
                #expect(error.operation == "send")
                #expect(error.message == String(cString: strerror(EAGAIN)))
                #expect(error.description.contains("send timed out after 0.3 s: no peer took the message on \(endpoint)"))
                #expect(after >= .milliseconds(250))
                #expect(after < .seconds(20))

                shutdownStart = clock.now
                if closeExplicitly { await sender.close() }
            }
            // Sender, socket and context are released here; zmq_ctx_term has returned.
            #expect(shutdownStart.duration(to: clock.now) < .seconds(20))
        }
    }
}
