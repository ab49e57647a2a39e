import Glibc
import Synchronization

/// A small HTTP/1.1 server bound to 127.0.0.1 on a kernel-chosen port.
///
/// It serves the offline demo site, the metrics endpoint and test servers. Each connection gets
/// its own OS thread (keep-alive is supported); the listen backlog is 1024 so bursts of
/// concurrent clients do not stall on SYN retries. Every server is bounded: it stops by itself
/// after `maxLifetimeSeconds`, and ``stop()`` closes the listener and shuts down every open
/// connection at once. Requests are handled synchronously by the `handler` on the connection's
/// thread, so a handler may block (e.g. to imitate a slow backend) without affecting others.
public final class LoopbackHTTPServer: Sendable {
    private let core: ServerCore

    /// The port the kernel chose.
    public let port: Int

    /// The server's origin, `http://127.0.0.1:<port>`.
    public var origin: String { "http://127.0.0.1:\(port)" }

    /// Starts a server.
    ///
    /// - Parameters:
    ///   - port: The port to bind on 127.0.0.1, or 0 (the default) for one the kernel chooses.
    ///   - maxLifetimeSeconds: After this long the server stops by itself (`.infinity` for a
    ///     server that lives until ``stop()``, such as a metrics endpoint).
    ///   - handler: Called once per request on the connection's thread.
    /// - Throws: ``HTTPServerError`` when the socket cannot be created, bound (e.g. the port is in
    ///   use) or listened on, or the accept thread cannot start.
    public init(
        port: Int = 0,
        maxLifetimeSeconds: Double = 300,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(HTTPServerError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(clamping: port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .socket(operation: "bind", errno: code)
        }
        guard listen(fd, 1024) == 0 else {
            let code = errno
            close(fd)
            throw .socket(operation: "listen", errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(fd)
            throw .socket(operation: "getsockname", errno: code)
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let core = ServerCore(
            listener: fd,
            deadline: monotonicSeconds() + max(0, maxLifetimeSeconds),
            handler: handler
        )
        self.core = core
        let rc = startDetachedThread { core.acceptLoop() }
        guard rc == 0 else {
            core.stop()
            core.closeListener()
            throw .thread(errno: rc)
        }
    }

    /// Stops the server: closes the listener and shuts down every open connection.
    ///
    /// Idempotent; also called when the server is deinitialised. In-flight handlers run to
    /// completion, but their responses are not delivered.
    public func stop() {
        core.stop()
    }

    /// Whether the server has stopped (by ``stop()`` or by reaching its lifetime).
    public var isStopped: Bool { core.isStopped }

    /// The number of requests handled so far.
    public var requestCount: Int { core.requestCount }

    deinit {
        core.stop()
    }
}

/// The state shared by the accept thread and the connection threads.
final class ServerCore: Sendable {
    struct State {
        var stopped = false
        var listener: Int32
        var connections: Set<Int32> = []
        var requests = 0
    }

    static let maxConnections = 1000
    static let maxHeaderBytes = 64 << 10
    static let maxBodyBytes = 16 << 20
    static let idleSeconds = 15.0

    let state: Mutex<State>
    let deadline: Double
    let handler: @Sendable (HTTPRequest) -> HTTPResponse

    init(listener: Int32, deadline: Double, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.state = Mutex(State(listener: listener))
        self.deadline = deadline
        self.handler = handler
    }

    var isStopped: Bool {
        if state.withLock({ $0.stopped }) { return true }
        if monotonicSeconds() >= deadline {
            stop()
            return true
        }
        return false
    }

    var requestCount: Int { state.withLock { $0.requests } }

    func stop() {
        state.withLock { s in
            guard !s.stopped else { return }
            s.stopped = true
            // shutdown() (not close()) so a blocked accept/recv/send returns at once while the fd
            // number stays reserved until its owning thread closes it.
            if s.listener >= 0 { shutdown(s.listener, Int32(SHUT_RDWR)) }
            for fd in s.connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func closeListener() {
        state.withLock { s in
            if s.listener >= 0 {
                close(s.listener)
                s.listener = -1
            }
        }
    }

    func acceptLoop() {
        let listener = state.withLock { $0.listener }
        while !isStopped {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready <= 0 { continue }
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno != EINTR && errno != EAGAIN && errno != ECONNABORTED { usleep(10_000) }
                continue
            }
            let admitted = state.withLock { s -> Bool in
                guard !s.stopped, s.connections.count < Self.maxConnections else { return false }
                s.connections.insert(fd)
                return true
            }
            guard admitted else {
                close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if startDetachedThread({ self.serve(fd) }) != 0 {
                release(fd)
            }
        }
        closeListener()
    }

    private func release(_ fd: Int32) {
        state.withLock { s in
            s.connections.remove(fd)
            close(fd)
        }
    }

    /// Serves requests on one connection until it closes, idles out or the server stops.
    func serve(_ fd: Int32) {
        defer { release(fd) }
        var buffer: [UInt8] = []
        while true {
            let parsed = readRequest(fd, &buffer)
            guard case .request(let request, let keepAliveRequested) = parsed else {
                if case .malformed(let status) = parsed {
                    _ = writeHead(fd, HTTPResponse.text("bad request\n", status: status), head: false, keepAlive: false)
                }
                return
            }
            state.withLock { $0.requests += 1 }
            let response = handler(request)
            if isStopped { return }
            let keepAlive = keepAliveRequested && !isStopped
            guard deliver(fd, response, isHead: request.method == "HEAD", keepAlive: keepAlive), keepAlive else {
                return
            }
        }
    }

    enum ReadOutcome {
        case request(HTTPRequest, keepAlive: Bool)
        case malformed(status: Int)
        case closed
    }

    /// Waits until `fd` is readable; false on stop or idle timeout.
    private func waitReadable(_ fd: Int32, since start: Double) -> Bool {
        while !isStopped {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
            if monotonicSeconds() - start > Self.idleSeconds { return false }
        }
        return false
    }

    /// Reads more bytes into `buffer`; false when the connection ended.
    private func fill(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        guard waitReadable(fd, since: monotonicSeconds()) else { return false }
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return n < 0 && errno == EINTR }
        buffer.append(contentsOf: chunk[..<n])
        return true
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> ReadOutcome {
        var searchFrom = 0
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.findHeaderEnd(buffer, from: searchFrom)
            if headerEnd != nil { break }
            if buffer.count > Self.maxHeaderBytes { return .malformed(status: 431) }
            searchFrom = max(0, buffer.count - 3)
            guard fill(fd, &buffer) else { return .closed }
        }
        guard let end = headerEnd else { return .closed }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return .malformed(status: 400) }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else { return .malformed(status: 400) }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .malformed(status: 400) }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            if let existing = headers[name] {
                headers[name] = existing + ", " + value
            } else {
                headers[name] = value
            }
        }
        if headers["transfer-encoding"] != nil { return .malformed(status: 501) }
        let bodyLength = Int(headers["content-length"] ?? "0") ?? -1
        guard bodyLength >= 0, bodyLength <= Self.maxBodyBytes else { return .malformed(status: 413) }
        let bodyStart = end + 4
        while buffer.count < bodyStart + bodyLength {
            guard fill(fd, &buffer) else { return .closed }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + bodyLength)])
        buffer.removeFirst(bodyStart + bodyLength)
        let connection = headers["connection"]?.lowercased() ?? ""
        let keepAlive: Bool =
            requestLine[2] == "HTTP/1.0" ? connection.contains("keep-alive") : !connection.contains("close")
        let request = HTTPRequest(
            method: String(requestLine[0]),
            target: String(requestLine[1]),
            headers: headers,
            body: body
        )
        return .request(request, keepAlive: keepAlive)
    }

    static func findHeaderEnd(_ buffer: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var i = start
        while i + 3 < buffer.count {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Sleeps up to `seconds`; false if the server stopped meanwhile.
    private func pause(_ seconds: Double) -> Bool {
        let end = monotonicSeconds() + seconds
        while true {
            if isStopped { return false }
            let left = end - monotonicSeconds()
            if left <= 0 { return true }
            usleep(UInt32(min(left, 0.02) * 1_000_000))
        }
    }

    private func writeHead(
        _ fd: Int32, _ response: HTTPResponse, head: Bool, keepAlive: Bool,
        withLength: Bool = true
    ) -> Bool {
        var text = "HTTP/1.1 \(response.status) \(HTTPResponse.reason(for: response.status))\r\n"
        var hasLength = false
        for (name, value) in response.headers {
            let lower = name.lowercased()
            if lower == "connection" { continue }
            if lower == "content-length" { hasLength = true }
            text += "\(name): \(value)\r\n"
        }
        let bodyless = response.status == 204 || response.status == 304 || response.status < 200
        if withLength && !hasLength && !bodyless {
            text += "Content-Length: \(response.body.count)\r\n"
        }
        text += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(text.utf8)
        if !head && !bodyless && withLength { bytes += response.body }
        return sendAll(fd, bytes)
    }

    private func deliver(_ fd: Int32, _ response: HTTPResponse, isHead: Bool, keepAlive: Bool) -> Bool {
        switch response.behaviour {
        case .normal:
            return writeHead(fd, response, head: isHead, keepAlive: keepAlive)
        case .closeWithoutResponse:
            return false
        case .stallBeforeHeaders(let seconds):
            guard pause(seconds) else { return false }
            return writeHead(fd, response, head: isHead, keepAlive: keepAlive)
        case .endless(let chunkBytes):
            guard writeHead(fd, response, head: true, keepAlive: false, withLength: false) else { return false }
            if isHead { return false }
            guard sendAll(fd, response.body) else { return false }
            let block = [UInt8](repeating: UInt8(ascii: "x"), count: max(1, chunkBytes))
            while !isStopped, sendAll(fd, block) {}
            return false
        case .endlessHeaders(let chunkBytes):
            guard
                sendAll(fd, Array("HTTP/1.1 \(response.status) \(HTTPResponse.reason(for: response.status))\r\n".utf8))
            else { return false }
            let line = Array(("X-Filler: " + String(repeating: "y", count: max(1, chunkBytes)) + "\r\n").utf8)
            while !isStopped, sendAll(fd, line) {}
            return false
        case .trickle(let chunkBytes, let interval):
            guard writeHead(fd, response, head: true, keepAlive: keepAlive) else { return false }
            if isHead { return true }
            var offset = 0
            let step = max(1, chunkBytes)
            while offset < response.body.count {
                let next = min(response.body.count, offset + step)
                guard sendAll(fd, Array(response.body[offset..<next])) else { return false }
                offset = next
                if offset < response.body.count, !pause(interval) { return false }
            }
            return true
        }
    }
}
