import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PGConnection {
    /// Starts listening on `channel` (`LISTEN`, with the name quoted by `PQescapeIdentifier`).
    /// Notifications are read by ``PGListener``, which owns its own connection.
    public func listen(_ channel: String, fileID: String = #fileID, line: Int = #line) throws(PGError) {
        try run("LISTEN \(try quotedIdentifier(channel, fileID: fileID, line: line))", [],
                operation: .listen, fileID: fileID, line: line)
    }

    /// Stops listening on `channel` (`UNLISTEN`).
    public func unlisten(_ channel: String, fileID: String = #fileID, line: Int = #line) throws(PGError) {
        try run("UNLISTEN \(try quotedIdentifier(channel, fileID: fileID, line: line))", [],
                operation: .listen, fileID: fileID, line: line)
    }

    /// Sends a notification (`pg_notify($1, $2)`); inside a transaction it is delivered at `COMMIT`.
    public func notify(
        _ channel: String, payload: String = "", fileID: String = #fileID, line: Int = #line
    ) throws(PGError) {
        try run("SELECT pg_notify($1, $2)", [channel, payload], operation: .query, fileID: fileID, line: line)
    }

    /// `channel` as a quoted SQL identifier.
    private func quotedIdentifier(_ channel: String, fileID: String, line: Int) throws(PGError) -> String {
        guard let quoted = PQescapeIdentifier(handle, channel, channel.utf8.count) else {
            throw PGError(.listen, message: lastErrorMessage, fileID: fileID, line: line)
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// Waits up to `timeoutMilliseconds` for input, reads it (`PQconsumeInput`) and returns the
    /// notifications received (`PQnotifies`, each freed with `PQfreemem`).
    /// Throws when the connection is lost; check ``isHealthy`` afterwards for a closing announced
    /// by the server along with the last notifications.
    func waitForNotifications(timeoutMilliseconds: Int32) throws(PGError) -> [PGNotification] {
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw connectionError(.listen, fileID: #fileID, line: #line) }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 && errno != EINTR {
            throw PGError(.listen, sqlState: "08006", message: "poll failed: errno \(errno)")
        }
        if ready > 0 {
            guard PQconsumeInput(handle) == 1, isHealthy else {
                throw PGError(.listen, sqlState: "08006", message: lastErrorMessage)
            }
        }
        return drainNotifications()
    }

    /// Removes and returns the notifications libpq has already read.
    func drainNotifications() -> [PGNotification] {
        var notifications: [PGNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(PGNotification(
                channel: String(cString: notify.pointee.relname),
                payload: String(cString: notify.pointee.extra),
                pid: notify.pointee.be_pid
            ))
            PQfreemem(notify)
        }
        return notifications
    }

    /// Checks an idle connection without a round trip: reads whatever the server sent while it
    /// was idle (a shutdown notice, then end of file, after a restart). `false` means it is dead.
    func isAliveWhileIdle() -> Bool {
        for _ in 0..<8 {
            guard isHealthy else { return false }
            let socket = PQsocket(handle)
            guard socket >= 0 else { return false }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            if ready == 0 { return true }
            if ready < 0 { return errno == EINTR }
            if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && descriptor.revents & Int16(POLLIN) == 0 {
                return false
            }
            guard PQconsumeInput(handle) == 1 else { return false }
            _ = drainNotifications()
        }
        return isHealthy
    }
}
