import Testing

/// Parent suite: every ZeroMQ test uses real libzmq sockets on loopback, inproc or ipc.
@Suite(.timeLimit(.minutes(1)))
struct ZeroMQTests {}
