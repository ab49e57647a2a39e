import Fetch
import Foundation
import HTTPServer
import Logging
import Testing

/// Test helpers: a quiet logger, a loopback server, gzip through /bin/gzip.
enum Support {
    static let logger = Logger(label: "sift.fetch.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func server(_ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(maxLifetimeSeconds: 60, handler: handler)
    }

    /// Options for loopback tests: private addresses allowed, no politeness delay.
    static func options(_ change: (inout FetchOptions) -> Void = { _ in }) -> FetchOptions {
        var options = FetchOptions(allowPrivateAddresses: true, perHostDelaySeconds: 0)
        change(&options)
        return options
    }

    static func fetcher(_ change: (inout FetchOptions) -> Void = { _ in }) throws -> Fetcher {
        try Fetcher(options: options(change), logger: logger)
    }

    /// The error a fetch throws, or nil when it succeeds.
    static func error(_ fetcher: Fetcher, _ request: FetchRequest) async -> FetchError? {
        do {
            _ = try await fetcher.fetch(request)
            return nil
        } catch {
            return error
        }
    }

    /// `bytes` compressed with /bin/gzip.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sift-gzip-\(UUID().uuidString)")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", path.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}

/// A thread-safe counter/recorder for handlers.
final class Recorder: @unchecked Sendable {
    // Every access goes through `lock`.
    private let lock = NSLock()
    private var active = 0
    private(set) var peak = 0
    private var times: [Double] = []

    func enter() {
        lock.lock()
        active += 1
        peak = max(peak, active)
        times.append(ProcessInfo.processInfo.systemUptime)
        lock.unlock()
    }

    func leave() {
        lock.lock()
        active -= 1
        lock.unlock()
    }

    var peakValue: Int {
        lock.lock()
        defer { lock.unlock() }
        return peak
    }

    var startTimes: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return times
    }
}
