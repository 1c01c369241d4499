import Foundation

/// A certificate authority made for one test with the `openssl` command: its certificate, and a
/// server certificate it signed for `localhost` and `127.0.0.1` (`server.crt`, `server.key`).
public struct ThrowawayCA: Sendable {
    /// The folder holding `ca.crt`, `server.crt` and `server.key`.
    public let directory: String

    public var certificatePath: String { directory + "/ca.crt" }

    /// Creates a CA under `.local/` and, unless `serverCertificate` is `false`, a server
    /// certificate signed by it.
    public init(serverCertificate: Bool = true) async throws {
        directory = Repository.root.appendingPathComponent(".local/\(TestEnvironment.uniqueName("test-ca"))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                           "-subj", "/CN=adrecs throwaway test CA", "-keyout", "ca.key", "-out", "ca.crt"])
        guard serverCertificate else { return }
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(
            toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        try await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                           "-keyout", "server.key", "-out", "server.csr"])
        try await openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                           "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.crt"])
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func openssl(_ arguments: [String]) async throws {
        let log = directory + "/openssl.log"
        let status = try await SpawnedProcess.run(
            ["/bin/sh", "-c", "cd \"$0\" && exec openssl \"$@\"", directory] + arguments,
            environment: ProcessInfo.processInfo.environment, logPath: log)
        guard status == 0 else {
            throw TestSetupError("openssl \(arguments.first ?? "") failed with \(status): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }
}
