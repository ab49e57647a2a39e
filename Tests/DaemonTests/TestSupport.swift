import Foundation
import Logging
import Synchronization

@testable import Daemon

#if canImport(Glibc)
    import Glibc
#endif

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Directories made by ``makeTemporaryDirectory(_:)``, removed when the test process exits.
private let temporaryDirectories = Mutex<[String]>([])

/// Registers the removal of every temporary directory at process exit (once).
private let temporaryDirectoryCleanup: Void = {
    atexit {
        temporaryDirectories.withLock { paths in
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}()

/// A fresh temporary directory, removed when the test process exits.
func makeTemporaryDirectory(_ name: String = "sift-daemon-tests") -> String {
    _ = temporaryDirectoryCleanup
    let path = NSTemporaryDirectory() + "/\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    temporaryDirectories.withLock { $0.append(path) }
    return path
}

/// Collects log lines in memory.
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    func append(_ line: String) {
        storage.withLock { $0.append(line) }
    }

    func logger(level: Logger.Level = .info) -> Logger {
        Logger(label: "sift") { label in
            LineLogHandler(label: label, format: .logfmt, level: level, journald: false) { line in
                self.append(line)
            }
        }
    }
}

/// A unix datagram socket bound to a path (or an abstract name), to receive sd_notify messages.
final class DatagramListener {
    let fd: Int32
    let address: String
    private let path: String?

    /// - Parameter abstract: Bind in the abstract namespace (`@name`) instead of a file path.
    init(abstract: Bool) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        let name = "sift-notify-\(UUID().uuidString.prefix(8))"
        var bytes: [UInt8]
        if abstract {
            address = "@" + name
            bytes = [0] + Array(name.utf8)
            path = nil
        } else {
            let file = NSTemporaryDirectory() + "/" + name + ".sock"
            address = file
            bytes = Array(file.utf8)
            path = file
        }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, or `nil` after the 3 s timeout (blocking; for synchronous tests).
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The next datagram, or `nil` after `timeout`, polling without blocking a thread.
    func next(timeout: Duration = .seconds(3)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    deinit {
        close(fd)
        if let path { unlink(path) }
    }
}

/// A TCP port on 127.0.0.1 with nothing listening (bound, then closed).
func closedLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A logger that discards everything, for tests that do not assert on logs (keeps output quiet).
let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
