private import CCurl
import Glibc
import Synchronization

/// An HTTP client running every transfer on one dedicated OS thread through a libcurl multi handle.
///
/// Tasks call ``perform(_:)``; the request goes into a mutex-guarded mailbox and the thread is
/// woken with `curl_multi_wakeup`. The thread owns the multi handle and every easy handle, so no
/// libcurl handle is ever touched from two threads and no blocking call runs on the cooperative
/// pool. At most `maxConcurrent` transfers run at once; the rest wait in order. Cancelling the
/// awaiting task aborts its transfer. ``shutdown()`` fails every outstanding transfer with
/// ``CurlError/shutDown`` and joins the thread.
public final class CurlClient: Sendable {
    private let core: ClientCore
    private let thread: Mutex<pthread_t?>

    /// Starts the client's thread.
    ///
    /// - Parameter maxConcurrent: The maximum number of transfers in flight (at least 1).
    /// - Throws: ``CurlError/initialization(message:)`` when libcurl or the thread cannot start.
    public init(maxConcurrent: Int = 32) throws(CurlError) {
        guard globalInitCode == 0 else {
            throw .initialization(message: "curl_global_init returned \(globalInitCode)")
        }
        guard let multi = MultiHandle() else { throw .initialization(message: "curl_multi_init failed") }
        let limit = max(1, maxConcurrent)
        _ = CCurl_multi_setopt_long(multi.raw, CURLMOPT_MAXCONNECTS, limit * 2)
        let core = ClientCore(multi: MultiRef(raw: multi.raw), maxConcurrent: limit)
        self.core = core
        let handoff = Handoff(multi: multi)
        var thread = pthread_t()
        let rc = startJoinableThread(&thread) { core.run(handoff.take()) }
        guard rc == 0 else { throw .initialization(message: "pthread_create failed (\(rc))") }
        self.thread = Mutex(thread)
    }

    /// Performs one transfer and returns the final response.
    ///
    /// - Parameter request: What to fetch and its limits.
    /// - Returns: The final response after redirects; any HTTP status counts as a response.
    /// - Throws: ``CurlError`` for transport failures, the body cap, the address guard,
    ///   cancellation and shutdown.
    public func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        let core = self.core
        let id = core.allocateID()
        let result: Result<CurlResponse, CurlError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                core.submit(id: id, request: request, continuation: continuation)
            }
        } onCancel: {
            core.cancel(id: id)
        }
        return try result.get()
    }

    /// Fails every outstanding transfer with ``CurlError/shutDown`` and stops the thread.
    ///
    /// Idempotent; blocks until the thread has released its handles (a few milliseconds).
    /// Called from `deinit` too.
    public func shutdown() {
        core.requestShutdown()
        let joinable = thread.withLock { t -> pthread_t? in
            defer { t = nil }
            return t
        }
        if let joinable { pthread_join(joinable, nil) }
    }

    deinit {
        shutdown()
    }
}

/// libcurl's global initialisation, done once on first use.
// 3 is CURL_GLOBAL_DEFAULT (SSL and Win32 initialisation), a macro Swift does not import.
private let globalInitCode: Int = Int(curl_global_init(3).rawValue)

private typealias Completion = CheckedContinuation<Result<CurlResponse, CurlError>, Never>

/// A multi handle's address for `curl_multi_wakeup`, the one libcurl call documented as safe from
/// any thread. It is used only under the mailbox lock while `closed` is false, i.e. before the
/// owning thread cleans the handle up; that is why it may be Sendable.
private struct MultiRef: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Moves the multi handle into the client's thread. The creating thread never touches it again
/// after `take()`, so the unchecked Sendable is a transfer of ownership, not sharing.
private final class Handoff: @unchecked Sendable {
    private var multi: MultiHandle?
    init(multi: MultiHandle) { self.multi = multi }
    func take() -> MultiHandle? {
        defer { multi = nil }
        return multi
    }
}

/// Owns a libcurl multi handle.
private final class MultiHandle {
    let raw: UnsafeMutableRawPointer
    init?() {
        guard let raw = curl_multi_init() else { return nil }
        self.raw = raw
    }
    deinit { curl_multi_cleanup(raw) }
}

/// Owns one easy handle, its header list and its error buffer.
private final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(raw)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int, _ name: String) throws(CurlError) {
        try check(CCurl_easy_setopt_long(raw, option, value), name)
    }

    func set(_ option: CURLoption, _ value: String, _ name: String) throws(CurlError) {
        // libcurl copies string options (since 7.17), so a temporary C string is enough.
        try check(value.withCString { CCurl_easy_setopt_string(raw, option, $0) }, name)
    }

    func check(_ code: CURLcode, _ name: String) throws(CurlError) {
        guard code == CURLE_OK else { throw .option(name: name, code: Int(code.rawValue)) }
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = CCurl_easy_getinfo_long(raw, info, &value)
        return value
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard CCurl_easy_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// One transfer's state, owned by the client's thread from start to completion.
private final class Transfer {
    let id: UInt64
    let request: CurlRequest
    let completion: Completion
    let easy: EasyHandle
    var body: [UInt8] = []
    var tooLarge = false
    var blockedAddress: String?
    var currentStatus: Int?
    var currentHeaders: [(name: String, value: String)] = []
    var redirects: [(status: Int, location: String?)] = []
    var headerBytes = 0
    var headersTooLarge = false

    /// The cap on all response header bytes of one transfer, redirects included. libcurl 7.88
    /// limits a single header line but not their number, so an endless header block would grow
    /// memory until the time limit.
    static let maxHeaderBytes = 256 << 10

    init(id: UInt64, request: CurlRequest, completion: Completion, easy: EasyHandle) {
        self.id = id
        self.request = request
        self.completion = completion
        self.easy = easy
    }

    /// Applies the request and the safe defaults to the easy handle.
    func configure() throws(CurlError) {
        let r = request
        try easy.set(CURLOPT_URL, r.url, "URL")
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "REDIR_PROTOCOLS_STR")
        try easy.set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        try easy.set(CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING")
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(r.connectTimeoutSeconds * 1000)), "CONNECTTIMEOUT_MS")
        try easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(r.totalTimeoutSeconds * 1000)), "TIMEOUT_MS")
        if r.lowSpeedSeconds > 0 && r.lowSpeedBytesPerSecond > 0 {
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, r.lowSpeedBytesPerSecond, "LOW_SPEED_LIMIT")
            try easy.set(CURLOPT_LOW_SPEED_TIME, r.lowSpeedSeconds, "LOW_SPEED_TIME")
        }
        try easy.set(CURLOPT_FOLLOWLOCATION, r.followRedirects ? 1 : 0, "FOLLOWLOCATION")
        try easy.set(CURLOPT_MAXREDIRS, max(0, r.maxRedirects), "MAXREDIRS")
        try easy.set(CURLOPT_USERAGENT, r.userAgent, "USERAGENT")
        // An empty proxy string also stops libcurl from reading http_proxy & co. from the environment.
        try easy.set(CURLOPT_PROXY, r.proxy ?? "", "PROXY")
        if r.proxy != nil, let noProxy = r.noProxy {
            // - SeeAlso: https://curl.se/libcurl/c/CURLOPT_NOPROXY.html
            try easy.set(CURLOPT_NOPROXY, noProxy, "NOPROXY")
        }
        try easy.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1, "SUPPRESS_CONNECT_HEADERS")
        try easy.set(CURLOPT_SSL_VERIFYPEER, r.verifyTLS ? 1 : 0, "SSL_VERIFYPEER")
        try easy.set(CURLOPT_SSL_VERIFYHOST, r.verifyTLS ? 2 : 0, "SSL_VERIFYHOST")
        // A declared Content-Length over the cap fails before any byte is read; the write callback
        // enforces the cap on the decoded bytes (a gzip bomb has a small Content-Length).
        try easy.check(
            CCurl_easy_setopt_off_t(easy.raw, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(r.maxBodyBytes)),
            "MAXFILESIZE_LARGE")
        if r.headOnly { try easy.set(CURLOPT_NOBODY, 1, "NOBODY") }
        try easy.check(CCurl_easy_setopt_pointer(easy.raw, CURLOPT_ERRORBUFFER, easy.errorBuffer), "ERRORBUFFER")
        for (name, value) in r.headers {
            guard let list = curl_slist_append(easy.headerList, "\(name): \(value)") else {
                throw .option(name: "HTTPHEADER", code: 27)
            }
            easy.headerList = list
        }
        if let list = easy.headerList {
            try easy.check(CCurl_easy_setopt_slist(easy.raw, CURLOPT_HTTPHEADER, list), "HTTPHEADER")
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        try easy.check(
            CCurl_easy_setopt_write_callback(easy.raw, CURLOPT_WRITEFUNCTION, writeCallback), "WRITEFUNCTION")
        try easy.check(CCurl_easy_setopt_pointer(easy.raw, CURLOPT_WRITEDATA, me), "WRITEDATA")
        try easy.check(
            CCurl_easy_setopt_write_callback(easy.raw, CURLOPT_HEADERFUNCTION, headerCallback),
            "HEADERFUNCTION")
        try easy.check(CCurl_easy_setopt_pointer(easy.raw, CURLOPT_HEADERDATA, me), "HEADERDATA")
        try easy.check(CCurl_easy_setopt_opensocket_callback(easy.raw, openSocketCallback), "OPENSOCKETFUNCTION")
        try easy.check(CCurl_easy_setopt_pointer(easy.raw, CURLOPT_OPENSOCKETDATA, me), "OPENSOCKETDATA")
    }

    /// Builds the result once libcurl reports the transfer done with `code`.
    func result(code: CURLcode) -> Result<CurlResponse, CurlError> {
        if headersTooLarge { return .failure(.headersTooLarge(limit: Self.maxHeaderBytes)) }
        if tooLarge || code == CURLE_FILESIZE_EXCEEDED { return .failure(.bodyTooLarge(limit: request.maxBodyBytes)) }
        if let blockedAddress { return .failure(.addressBlocked(address: blockedAddress)) }
        guard code == CURLE_OK else {
            let detail = String(cString: easy.errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(.transfer(code: Int(code.rawValue), message: message))
        }
        var hops: [CurlRedirectHop] = []
        var url = request.url
        for redirect in redirects {
            let target = redirect.location.flatMap { CurlURL.resolve($0, relativeTo: url) }
            hops.append(CurlRedirectHop(url: url, status: redirect.status, location: target))
            if let target { url = target }
        }
        var micros: curl_off_t = 0
        _ = CCurl_easy_getinfo_off_t(easy.raw, CURLINFO_TOTAL_TIME_T, &micros)
        return .success(
            CurlResponse(
                status: easy.long(CURLINFO_RESPONSE_CODE),
                headers: currentHeaders,
                body: body,
                effectiveURL: easy.string(CURLINFO_EFFECTIVE_URL) ?? url,
                redirectCount: easy.long(CURLINFO_REDIRECT_COUNT),
                hops: hops,
                primaryIP: easy.string(CURLINFO_PRIMARY_IP),
                totalSeconds: Double(micros) / 1e6
            )
        )
    }

    func headerLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            let fields = line.split(separator: " ", maxSplits: 2)
            let status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            if let previous = currentStatus, previous >= 300, previous < 400 {
                let location = currentHeaders.first { $0.name.lowercased() == "location" }?.value
                redirects.append((previous, location))
            }
            currentStatus = status
            currentHeaders = []
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        var value = line[line.index(after: colon)...]
        while let f = value.first, f == " " || f == "\t" { value = value.dropFirst() }
        while let l = value.last, l.isNewline || l == " " || l == "\t" { value = value.dropLast() }
        currentHeaders.append((name, String(value)))
    }
}

private let writeCallback: curl_write_callback = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    guard n > 0, let data else { return n }
    if transfer.body.count + n > transfer.request.maxBodyBytes {
        transfer.tooLarge = true
        return 0  // aborts with CURLE_WRITE_ERROR
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

private let headerCallback: curl_write_callback = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    guard n > 0, let data else { return n }
    transfer.headerBytes += n
    if transfer.headerBytes > Transfer.maxHeaderBytes {
        transfer.headersTooLarge = true
        return 0  // aborts with CURLE_WRITE_ERROR
    }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }
    transfer.headerLine(line)
    return n
}

/// Sees the resolved address of every connection libcurl opens (redirects and retries included),
/// which is where the private-address guard belongs: a check on the URL's host name alone is
/// defeated by DNS.
private let openSocketCallback: curl_opensocket_callback = { user, _, address in
    guard let user, let address else { return -1 }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let family = address.pointee.family
    if let check = transfer.request.addressGuard {
        let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) ?? 16
        let socketAddress = UnsafeRawPointer(address) + offset
        let text = numericAddress(socketAddress, family: family)
        guard let text, check(text) else {
            transfer.blockedAddress = text ?? "unknown address family \(family)"
            return -1  // CURL_SOCKET_BAD
        }
    }
    return socket(family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
}

/// The numeric text of an IPv4 or IPv6 socket address.
private func numericAddress(_ raw: UnsafeRawPointer, family: Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    let ok: Bool
    switch family {
    case AF_INET:
        var v4 = raw.loadUnaligned(as: sockaddr_in.self)
        ok = inet_ntop(AF_INET, &v4.sin_addr, &buffer, socklen_t(buffer.count)) != nil
    case AF_INET6:
        var v6 = raw.loadUnaligned(as: sockaddr_in6.self)
        ok = inet_ntop(AF_INET6, &v6.sin6_addr, &buffer, socklen_t(buffer.count)) != nil
    default:
        return nil
    }
    guard ok else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The mailbox and the loop run by the client's thread.
private final class ClientCore: Sendable {
    enum Command: Sendable {
        case start(UInt64, CurlRequest, Completion)
        case cancel(UInt64)
    }

    struct Mailbox {
        var commands: [Command] = []
        /// Submitted and not yet completed.
        var live: Set<UInt64> = []
        var nextID: UInt64 = 0
        var shutdownRequested = false
        /// Set by the thread, under the lock, before it frees the multi handle.
        var closed = false
    }

    let mailbox = Mutex(Mailbox())
    let multi: MultiRef
    let maxConcurrent: Int

    init(multi: MultiRef, maxConcurrent: Int) {
        self.multi = multi
        self.maxConcurrent = maxConcurrent
    }

    func allocateID() -> UInt64 {
        mailbox.withLock { m in
            m.nextID += 1
            return m.nextID
        }
    }

    func submit(id: UInt64, request: CurlRequest, continuation: Completion) {
        let rejection: CurlError? = mailbox.withLock { m in
            if m.shutdownRequested || m.closed { return .shutDown }
            // Checked under the lock: a cancellation that raced ahead of us has already set the
            // flag, and one that comes later finds `id` in `live`.
            if Task.isCancelled { return .cancelled }
            m.commands.append(.start(id, request, continuation))
            m.live.insert(id)
            curl_multi_wakeup(multi.raw)
            return nil
        }
        if let rejection { continuation.resume(returning: .failure(rejection)) }
    }

    func cancel(id: UInt64) {
        mailbox.withLock { m in
            guard m.live.contains(id), !m.closed else { return }
            m.commands.append(.cancel(id))
            curl_multi_wakeup(multi.raw)
        }
    }

    func requestShutdown() {
        mailbox.withLock { m in
            guard !m.shutdownRequested, !m.closed else { return }
            m.shutdownRequested = true
            curl_multi_wakeup(multi.raw)
        }
    }

    /// The thread's loop: start queued transfers, drive the multi handle, complete finished ones.
    func run(_ multiHandle: MultiHandle?) {
        guard let multiHandle else { return }
        let multi = multiHandle.raw
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        var pending: [(UInt64, CurlRequest, Completion)] = []
        var pendingHead = 0

        func complete(_ transfer: Transfer, _ result: Result<CurlResponse, CurlError>) {
            curl_multi_remove_handle(multi, transfer.easy.raw)
            active[transfer.easy.raw] = nil
            _ = mailbox.withLock { $0.live.remove(transfer.id) }
            transfer.completion.resume(returning: result)
        }

        func reject(_ id: UInt64, _ completion: Completion, _ error: CurlError) {
            _ = mailbox.withLock { $0.live.remove(id) }
            completion.resume(returning: .failure(error))
        }

        var stopping = false
        while !stopping {
            let (commands, shutdown) = mailbox.withLock { m in
                defer { m.commands.removeAll(keepingCapacity: true) }
                return (m.commands, m.shutdownRequested)
            }
            for command in commands {
                switch command {
                case .start(let id, let request, let completion):
                    pending.append((id, request, completion))
                case .cancel(let id):
                    if let transfer = active.values.first(where: { $0.id == id }) {
                        complete(transfer, .failure(.cancelled))
                    } else if let index = pending[pendingHead...].firstIndex(where: { $0.0 == id }) {
                        let (_, _, completion) = pending.remove(at: index)
                        reject(id, completion, .cancelled)
                    }
                }
            }
            if shutdown {
                stopping = true
                break
            }
            while active.count < maxConcurrent, pendingHead < pending.count {
                let (id, request, completion) = pending[pendingHead]
                pendingHead += 1
                guard let easy = EasyHandle() else {
                    reject(id, completion, .initialization(message: "curl_easy_init failed"))
                    continue
                }
                let transfer = Transfer(id: id, request: request, completion: completion, easy: easy)
                do {
                    try transfer.configure()
                } catch {
                    reject(id, completion, error)
                    continue
                }
                let added = curl_multi_add_handle(multi, easy.raw)
                guard added == CURLM_OK else {
                    reject(id, completion, .initialization(message: "curl_multi_add_handle failed (\(added.rawValue))"))
                    continue
                }
                active[easy.raw] = transfer
            }
            if pendingHead > 256 && pendingHead * 2 > pending.count {
                pending.removeFirst(pendingHead)
                pendingHead = 0
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var finished = 0
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active[easy]
                else { continue }
                complete(transfer, transfer.result(code: CCurl_msg_result(message)))
                finished += 1
            }
            if finished > 0 && pendingHead < pending.count { continue }
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in Array(active.values) { complete(transfer, .failure(.shutDown)) }
        for (id, _, completion) in pending[pendingHead...] { reject(id, completion, .shutDown) }
        let late = mailbox.withLock { m in
            m.closed = true
            defer { m.commands.removeAll() }
            return m.commands
        }
        for case .start(let id, _, let completion) in late { reject(id, completion, .shutDown) }
        withExtendedLifetime(multiHandle) {}
    }
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a joinable OS thread running `body`; returns 0 or the pthread error number.
private func startJoinableThread(_ thread: inout pthread_t, _ body: @escaping @Sendable () -> Void) -> Int32 {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    let rc = pthread_create(
        &thread,
        nil,
        { raw in
            guard let raw else { return nil }
            Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        },
        box
    )
    if rc != 0 { Unmanaged<ThreadBody>.fromOpaque(box).release() }
    return rc
}
