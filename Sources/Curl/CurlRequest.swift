/// One HTTP GET for ``CurlClient`` to perform, with its limits.
///
/// The defaults are the safe ones: only `http` and `https` (also for redirects), every
/// `Accept-Encoding` libcurl supports (the body is returned decoded), bounded time, speed,
/// size and redirects, TLS verified, and environment proxies ignored unless `proxy` is set.
public struct CurlRequest: Sendable {
    /// The absolute `http` or `https` URL.
    public var url: String
    /// Extra request headers in order, e.g. `("If-None-Match", etag)`.
    public var headers: [(name: String, value: String)]
    /// Sends `HEAD` instead of `GET` when true.
    public var headOnly: Bool
    /// Maximum seconds to establish a connection.
    public var connectTimeoutSeconds: Double
    /// Maximum seconds for the whole transfer, redirects included.
    public var totalTimeoutSeconds: Double
    /// The transfer is aborted when slower than this many bytes per second …
    public var lowSpeedBytesPerSecond: Int
    /// … for this many seconds (0 disables the check).
    public var lowSpeedSeconds: Int
    /// Maximum decoded body size; larger bodies fail with ``CurlError/bodyTooLarge(limit:)``.
    public var maxBodyBytes: Int
    /// Whether to follow redirects.
    public var followRedirects: Bool
    /// Maximum redirects to follow.
    public var maxRedirects: Int
    /// A proxy URL (`http://host:port`, `socks5h://…`), or `nil` for a direct connection.
    public var proxy: String?
    /// Hosts reached directly even when `proxy` is set (libcurl's `NOPROXY` syntax: comma-separated
    /// host names or domains, `*` for all).
    public var noProxy: String?
    /// Whether to verify the server's TLS certificate and host name.
    public var verifyTLS: Bool
    /// The `User-Agent` header.
    public var userAgent: String
    /// Called with the numeric address (e.g. `127.0.0.1`, `::1`) of every connection about to be
    /// opened, including those for redirects; returning false refuses the connection and the
    /// transfer fails with ``CurlError/addressBlocked(address:)``. Runs on the client's thread:
    /// it must be fast and must not block.
    public var addressGuard: (@Sendable (String) -> Bool)?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - url: The absolute URL.
    ///   - headers: Extra request headers.
    ///   - headOnly: Send `HEAD` instead of `GET`.
    ///   - connectTimeoutSeconds: Connection timeout.
    ///   - totalTimeoutSeconds: Whole-transfer timeout.
    ///   - lowSpeedBytesPerSecond: Low-speed threshold.
    ///   - lowSpeedSeconds: Low-speed window (0 disables).
    ///   - maxBodyBytes: Decoded body cap.
    ///   - followRedirects: Follow redirects.
    ///   - maxRedirects: Redirect cap.
    ///   - proxy: Proxy URL or `nil`.
    ///   - noProxy: Hosts that bypass the proxy, or `nil`.
    ///   - verifyTLS: Verify certificates.
    ///   - userAgent: The `User-Agent`.
    ///   - addressGuard: Connection address check, or `nil` to allow every address.
    public init(
        url: String,
        headers: [(name: String, value: String)] = [],
        headOnly: Bool = false,
        connectTimeoutSeconds: Double = 10,
        totalTimeoutSeconds: Double = 30,
        lowSpeedBytesPerSecond: Int = 64,
        lowSpeedSeconds: Int = 20,
        maxBodyBytes: Int = 10 << 20,
        followRedirects: Bool = true,
        maxRedirects: Int = 5,
        proxy: String? = nil,
        noProxy: String? = nil,
        verifyTLS: Bool = true,
        userAgent: String = "Sift/0.1",
        addressGuard: (@Sendable (String) -> Bool)? = nil
    ) {
        self.url = url
        self.headers = headers
        self.headOnly = headOnly
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.maxBodyBytes = maxBodyBytes
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.proxy = proxy
        self.noProxy = noProxy
        self.verifyTLS = verifyTLS
        self.userAgent = userAgent
        self.addressGuard = addressGuard
    }
}
