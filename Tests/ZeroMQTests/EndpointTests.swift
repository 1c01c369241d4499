import Testing
@testable import ZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ZeroMQTests {
    @Suite struct EndpointTests {
        @Test(arguments: ["tcp://nonsense", "tcp://127.0.0.1", "nonsense://somewhere", "ipc://"])
        func badConnectEndpointGivesAClearError(endpoint: String) throws {
            let context = try ZeroMQContext()
            let push = try ZeroMQSocket(context: context, type: .push)
            let error = #expect(throws: ZeroMQError.self) { try push.connect(endpoint) }
            #expect(error?.operation == "connect")
            #expect([EINVAL, EPROTONOSUPPORT].contains(error?.code ?? 0))
            #expect(error?.description.contains("cannot connect PUSH socket to \(endpoint)") == true)
            #expect(error?.file == "ZeroMQ/ZeroMQSocket.swift")
            #expect(push.endpoints.isEmpty)
        }

        @Test(arguments: ["tcp://nonsense:1", "tcp://127.0.0.1", "nonsense://somewhere", "tcp://192.0.2.1:*"])
        func badBindEndpointGivesAClearError(endpoint: String) throws {
            let context = try ZeroMQContext()
            let pull = try ZeroMQSocket(context: context, type: .pull)
            let error = #expect(throws: ZeroMQError.self) { try pull.bind(endpoint) }
            #expect(error?.operation == "bind")
            #expect(error?.description.contains("cannot bind PULL socket to \(endpoint)") == true)
            #expect(error.map { !$0.message.isEmpty } == true)
        }

        @Test func bindingATakenPortFails() throws {
            let context = try ZeroMQContext()
            let first = try ZeroMQSocket(context: context, type: .pull)
            let endpoint = try first.bind("tcp://127.0.0.1:*")
            let second = try ZeroMQSocket(context: context, type: .pull)
            let error = #expect(throws: ZeroMQError.self) { try second.bind(endpoint) }
            #expect(error?.code == EADDRINUSE)
        }

        @Test(arguments: ["tcp", "inproc", "ipc"])
        func transportsCarryMessages(transport: String) async throws {
            let context = try ZeroMQContext()
            let pull = try ZeroMQSocket(context: context, type: .pull)
            let requested = switch transport {
            case "tcp": "tcp://127.0.0.1:*"
            case "inproc": "inproc://transport-test"
            default: "ipc:///tmp/adrecs-zmq-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
            }
            let endpoint = try pull.bind(requested)
            #expect(endpoint.hasPrefix("\(transport)://"))
            #expect(try pull.lastEndpoint() == endpoint)
            #expect(pull.endpoints == [endpoint])
            let receiver = ZeroMQReceiver(pull)
            let push = try ZeroMQSocket(context: context, type: .push)
            try push.connect(endpoint)
            let sender = ZeroMQSender(push)
            try await sender.send(Loopback.bytes(transport))
            let message = try await receiver.receive()
            #expect(message?.frames == [Loopback.bytes(transport)])
            await receiver.close()
            await sender.close()
            if transport == "ipc" { unlink(String(endpoint.dropFirst("ipc://".count))) }
        }

        @Test func optionsAreAppliedAndNeverInfinite() throws {
            let context = try ZeroMQContext()
            let defaults = try ZeroMQSocket(context: context, type: .push)
            #expect(try defaults.currentOptions() == ZeroMQSocketOptions())
            #expect(try defaults.currentOptions().linger == .seconds(1))

            let custom = ZeroMQSocketOptions(
                linger: .milliseconds(250),
                sendHighWaterMark: 7,
                receiveHighWaterMark: 9,
                sendTimeout: .milliseconds(1500),
                receiveTimeout: .milliseconds(120)
            )
            #expect(try ZeroMQSocket(context: context, type: .pull, options: custom).currentOptions() == custom)

            let negative = ZeroMQSocketOptions(linger: .seconds(-1), sendHighWaterMark: -3, sendTimeout: .milliseconds(-1), receiveTimeout: .seconds(-5))
            let clamped = try ZeroMQSocket(context: context, type: .push, options: negative).currentOptions()
            #expect(clamped == ZeroMQSocketOptions(linger: .zero, sendHighWaterMark: 0, sendTimeout: .zero, receiveTimeout: .zero))
        }

        /// Only the precondition may fail the child process: a setup error exits with success.
        @Test func receiverRefusesASendingSocket() async {
            await #expect(processExitsWith: .failure) {
                guard let context = try? ZeroMQContext(),
                      let push = try? ZeroMQSocket(context: context, type: .push) else { exit(0) }
                _ = ZeroMQReceiver(push)
            }
        }

        @Test func senderRefusesAReceivingSocket() async {
            await #expect(processExitsWith: .failure) {
                guard let context = try? ZeroMQContext(),
                      let pull = try? ZeroMQSocket(context: context, type: .pull) else { exit(0) }
                _ = ZeroMQSender(pull)
            }
        }
    }
}
