#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends service state notifications to systemd over `$NOTIFY_SOCKET`, without libsystemd.
///
/// The protocol is one unix datagram per notification, containing newline-separated
/// `KEY=VALUE` assignments (`READY=1`, `STATUS=…`, `WATCHDOG=1`, `RELOADING=1`, `STOPPING=1`).
/// A socket path starting with `@` is in the abstract namespace. When `$NOTIFY_SOCKET` is unset
/// (not started by systemd), every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket path the notifier sends to, or `nil` when notifications are disabled.
    public let socketPath: String?
    /// The watchdog interval systemd expects pings within, in microseconds (`$WATCHDOG_USEC`).
    public let watchdogMicroseconds: UInt64?

    /// Creates a notifier from the process environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`).
    ///
    /// - Parameter environment: The environment to read.
    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        self.socketPath = path
        var watchdog = environment["WATCHDOG_USEC"].flatMap { UInt64($0) }.flatMap { $0 > 0 ? $0 : nil }
        if let pidText = environment["WATCHDOG_PID"], let pid = Int32(pidText), pid != getpid() {
            watchdog = nil
        }
        self.watchdogMicroseconds = watchdog
    }

    /// Creates a notifier sending to an explicit socket path.
    ///
    /// - Parameters:
    ///   - socketPath: The datagram socket path (`@name` for the abstract namespace), or `nil` to disable.
    ///   - watchdogMicroseconds: The watchdog interval, if any.
    public init(socketPath: String?, watchdogMicroseconds: UInt64? = nil) {
        self.socketPath = socketPath
        self.watchdogMicroseconds = watchdogMicroseconds
    }

    /// Whether notifications are sent anywhere.
    public var isEnabled: Bool { socketPath != nil }

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC`, in seconds, or `nil` without a watchdog.
    public var watchdogPingIntervalSeconds: Double? {
        watchdogMicroseconds.map { Double($0) / 2_000_000 }
    }

    /// Tells systemd start-up is finished.
    ///
    /// - Parameter status: A one-line status to show in `systemctl status`.
    public func ready(status: String? = nil) {
        send(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// Updates the status line shown by `systemctl status`.
    ///
    /// - Parameter status: The status text (one line).
    public func status(_ status: String) {
        send(["STATUS=\(status)"])
    }

    /// Pings the watchdog.
    public func watchdog() {
        send(["WATCHDOG=1"])
    }

    /// Tells systemd the service is reloading its configuration; send ``ready(status:)`` when done.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let micros = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        send(["RELOADING=1", "MONOTONIC_USEC=\(micros)"])
    }

    /// Tells systemd the service is shutting down.
    public func stopping() {
        send(["STOPPING=1"])
    }

    /// Sends raw assignments as one datagram.
    ///
    /// Failures are ignored: a notification is advisory, and systemd notices a dead service anyway.
    ///
    /// - Parameter assignments: `KEY=VALUE` lines.
    /// - Returns: Whether the datagram was sent.
    @discardableResult
    public func send(_ assignments: [String]) -> Bool {
        guard let socketPath, !assignments.isEmpty else { return false }
        return Self.sendDatagram(assignments.joined(separator: "\n"), to: socketPath)
    }

    private static func sendDatagram(_ message: String, to path: String) -> Bool {
        #if canImport(Glibc) || canImport(Musl)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(path.utf8)
        if pathBytes.first == UInt8(ascii: "@") {
            pathBytes[0] = 0  // abstract namespace
        }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let payload = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { addressPointer in
                payload.withUnsafeBytes { bytes in
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), addressPointer, length)
                }
            }
        }
        return sent == payload.count
    }
}
