import AdrecsDatabase
import AdrecsTestSupport
import LibPQ
import Testing

/// `sslmode=verify-full` as in production (RDS with its CA bundle), against a private cluster
/// serving a certificate from a throwaway CA.
@Suite("TLS connections with sslmode=verify-full", .serialized, .timeLimit(.minutes(3)))
struct TLSConnectionTests {
    /// Runs `body` with a started TLS cluster and its CA; removes both afterwards.
    private func withTLSCluster(_ body: (PrivateCluster, ThrowawayCA) async throws -> Void) async throws {
        let ca = try await ThrowawayCA()
        defer { ca.remove() }
        let cluster = try PrivateCluster(tlsDirectory: ca.directory)
        do {
            try await cluster.start()
            try await body(cluster, ca)
            await cluster.remove()
        } catch {
            await cluster.remove()
            throw error
        }
    }

    private func url(_ cluster: PrivateCluster, host: String = "localhost", rootCert: String) -> String {
        "postgresql://adrecs@\(host):\(cluster.port)/adrecs?sslmode=verify-full&sslrootcert=\(rootCert)&connect_timeout=3"
    }

    /// One query through the pool the services use; returns whether the session is encrypted.
    private func sessionUsesTLS(url: String) async throws -> Bool {
        let pool = DatabaseConfig(url: url, poolSize: 1).makePool(applicationName: "adrecs-tls-tests")
        do {
            let rows = try await pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            await pool.close()
            return try rows[0].decode("ssl", as: Bool.self)
        } catch {
            await pool.close()
            throw error
        }
    }

    @Test("the right CA: the connection verifies the server and is encrypted", arguments: ["localhost", "127.0.0.1"])
    func verifiedConnection(host: String) async throws {
        try await withTLSCluster { cluster, ca in
            let encrypted = try await sessionUsesTLS(url: url(cluster, host: host, rootCert: ca.certificatePath))
            #expect(encrypted)
        }
    }

    @Test("a wrong CA: the connection fails, naming the certificate check")
    func wrongCA() async throws {
        try await withTLSCluster { cluster, _ in
            let other = try await ThrowawayCA(serverCertificate: false)
            defer { other.remove() }
            let error = try await #require(throws: PGError.self) {
                try await sessionUsesTLS(url: url(cluster, rootCert: other.certificatePath))
            }
            #expect(error.isConnectionFailure)
            #expect(error.message.contains("certificate verify failed"), "\(error)")
        }
    }

    @Test("a missing CA bundle: the connection fails, naming the file")
    func missingBundle() async throws {
        try await withTLSCluster { cluster, ca in
            let missing = ca.directory + "/no-such-bundle.pem"
            let error = try await #require(throws: PGError.self) {
                try await sessionUsesTLS(url: url(cluster, rootCert: missing))
            }
            #expect(error.message.contains("no-such-bundle.pem"), "\(error)")
        }
    }
}
