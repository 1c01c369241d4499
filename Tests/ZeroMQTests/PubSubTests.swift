import Testing
import ZeroMQ

extension ZeroMQTests {
    @Suite struct PubSubTests {
        @Test func subscribersGetOnlyTheirTopics() async throws {
            let context = try ZeroMQContext()
            let pub = try ZeroMQSocket(context: context, type: .pub)
            let endpoint = try pub.bind("tcp://127.0.0.1:*")
            let publisher = ZeroMQSender(pub)

            let weatherSocket = try ZeroMQSocket(context: context, type: .sub)
            try weatherSocket.subscribe("weather.")
            try weatherSocket.connect(endpoint)
            let weather = ZeroMQReceiver(weatherSocket)

            let sportsSocket = try ZeroMQSocket(context: context, type: .sub)
            try sportsSocket.subscribe(Loopback.bytes("sports."))
            try sportsSocket.connect(endpoint)
            let sports = ZeroMQReceiver(sportsSocket)

            // Subscriptions reach the publisher asynchronously: publish both topics until both
            // subscribers have had enough.
            let publishing = Task {
                var index = 0
                while !Task.isCancelled {
                    try await publisher.send(frames: [Loopback.bytes("sports.\(index)"), Loopback.bytes("score")])
                    try await publisher.send(frames: [Loopback.bytes("weather.\(index)"), Loopback.bytes("rain")])
                    index += 1
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            async let weatherTopics = Self.firstTopics(10, from: weather)
            async let sportsTopics = Self.firstTopics(10, from: sports)
            let (weatherSeen, sportsSeen) = try await (weatherTopics, sportsTopics)
            publishing.cancel()
            try await publishing.value

            #expect(weatherSeen.count == 10 && sportsSeen.count == 10)
            #expect(weatherSeen.allSatisfy { $0.topic.hasPrefix("weather.") && $0.payload == "rain" })
            #expect(sportsSeen.allSatisfy { $0.topic.hasPrefix("sports.") && $0.payload == "score" })
            let weatherIndexes = weatherSeen.compactMap { Int($0.topic.dropFirst("weather.".count)) }
            #expect(weatherIndexes == weatherIndexes.sorted() && Set(weatherIndexes).count == 10)

            await weather.close()
            await sports.close()
            await publisher.close()
        }

        private static func firstTopics(_ count: Int, from receiver: ZeroMQReceiver) async throws -> [(topic: String, payload: String)] {
            var seen: [(topic: String, payload: String)] = []
            for try await message in receiver.messages {
                seen.append((Loopback.text(message.frames[0]), Loopback.text(message.payload)))
                if seen.count == count { break }
            }
            return seen
        }
    }
}
