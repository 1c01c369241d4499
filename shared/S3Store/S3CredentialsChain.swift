#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import AdrecsConcurrency

/// The credential chain: asks its sources in order and keeps the first credentials one gives,
/// until they come within ``refreshWindow`` of their `Expiration`; then the next caller
/// fetches new ones (the chain again, from the first source). Concurrent callers share one
/// fetch. If a refresh fails while the old credentials have not yet expired, they are used
/// and the next call tries again. When no source gives credentials, the ``S3Error`` names
/// each source and why it failed.
///
/// ``standard(environment:)`` is the AWS order: environment keys, the container credentials
/// endpoint, then EC2 instance metadata (IMDSv2).
public actor S3CredentialsChain: S3CredentialsProvider, CustomStringConvertible {
    public nonisolated let sources: [any S3CredentialsProvider]
    /// Credentials expiring sooner than this are refreshed (AWS advises at least 5 minutes).
    public nonisolated let refreshWindow: Duration
    private let now: @Sendable () -> Date
    private var cached: S3Credentials?
    private var refresh: Task<S3Credentials, any Error>?

    /// - Parameters:
    ///   - sources: asked in this order.
    ///   - refreshWindow: how long before `Expiration` credentials are replaced.
    ///   - now: the wall clock (tests inject one).
    public init(
        sources: [any S3CredentialsProvider], refreshWindow: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sources = sources
        self.refreshWindow = refreshWindow
        self.now = now
    }

    /// Environment keys, then the container endpoint, then IMDSv2, all configured from
    /// `environment` (variable names to values).
    public static func standard(
        environment: [String: String], refreshWindow: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> S3CredentialsChain {
        S3CredentialsChain(
            sources: [
                S3EnvironmentCredentialsProvider(environment: environment),
                S3ContainerCredentialsProvider(environment: environment),
                S3InstanceMetadataCredentialsProvider(environment: environment),
            ],
            refreshWindow: refreshWindow, now: now)
    }

    public func credentials() async throws -> S3Credentials {
        if let cached, !needsRefresh(cached) { return cached }
        if let refresh { return try await refresh.value }
        let sources = sources
        let previous = cached
        let now = now
        let task = Task<S3Credentials, any Error> {
            do {
                return try await Self.resolve(sources)
            } catch {
                // Still valid: keep signing with them; the next call retries the refresh.
                if let previous, let expiration = previous.expiration, expiration > now() { return previous }
                throw error
            }
        }
        refresh = task
        let result = await task.result
        refresh = nil
        if case .success(let credentials) = result { cached = credentials }
        return try result.get()
    }

    private func needsRefresh(_ credentials: S3Credentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) < refreshWindow.seconds
    }

    /// The first source's credentials, or an error naming every source's failure.
    private static func resolve(_ sources: [any S3CredentialsProvider]) async throws -> S3Credentials {
        var failures: [String] = []
        for source in sources {
            do {
                return try await source.credentials()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures.append("[\(source.sourceName)] \(reason(error, source: source.sourceName))")
            }
        }
        throw S3Error(
            kind: .credentials,
            message: "no source gave credentials (\(sources.map(\.sourceName).joined(separator: ", "))): "
                + failures.joined(separator: "; "))
    }

    /// A one-line reason without the file and line of nested errors, nor the source's name.
    private static func reason(_ error: any Error, source: String) -> String {
        guard let error = error as? S3Error else { return "\(error)" }
        var text = error.message ?? "failed"
        if text.hasPrefix(source + ": ") { text.removeFirst(source.count + 2) }
        if let transport = error.transportError {
            text += " (\(transport.summary))"
        }
        return text
    }

    public nonisolated var sourceName: String { "chain" }

    public nonisolated var description: String {
        "S3CredentialsChain(\(sources.map { "\($0)" }.joined(separator: " → ")))"
    }
}
