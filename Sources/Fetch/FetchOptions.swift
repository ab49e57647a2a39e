/// Limits and politeness settings for ``Fetcher``.
///
/// Every property has a default, and decoding fills in the default for any missing key, so a
/// configuration file may name only what it changes.
public struct FetchOptions: Codable, Sendable, Hashable {
    /// Maximum seconds to establish a connection.
    public var connectTimeoutSeconds: Double = 10
    /// Maximum seconds for a whole fetch, redirects included.
    public var totalTimeoutSeconds: Double = 30
    /// A transfer slower than this many bytes per second …
    public var lowSpeedBytesPerSecond: Int = 64
    /// … for this many seconds is dropped (0 disables the check).
    public var lowSpeedSeconds: Int = 20
    /// Maximum decoded size of a feed body.
    public var maxFeedBytes: Int = 10 << 20
    /// Maximum decoded size of an article page.
    public var maxPageBytes: Int = 5 << 20
    /// Maximum redirects followed.
    public var maxRedirects: Int = 5
    /// The `User-Agent` header.
    public var userAgent: String = "Sift/0.1 (+https://github.com/sift-news/sift)"
    /// Allow connections to loopback, private, link-local and other non-public addresses.
    public var allowPrivateAddresses: Bool = false
    /// Maximum transfers in flight at once.
    public var maxConcurrentTransfers: Int = 32
    /// Maximum transfers in flight to one host.
    public var maxConcurrentPerHost: Int = 2
    /// Minimum seconds between the starts of two requests to one host.
    public var perHostDelaySeconds: Double = 0.5
    /// A proxy URL, or `nil` for direct connections. The daemon fills it from `https_proxy`,
    /// `http_proxy` or `all_proxy` when the configuration leaves it unset.
    public var proxy: String? = nil
    /// Hosts reached without the proxy (comma-separated names or domains, `*` for all); the daemon
    /// fills it from `no_proxy` when unset.
    public var noProxy: String? = nil
    /// Verify TLS certificates and host names.
    public var verifyTLS: Bool = true

    /// Creates options; every parameter defaults to the documented default.
    ///
    /// - Parameters:
    ///   - connectTimeoutSeconds: Connection timeout.
    ///   - totalTimeoutSeconds: Whole-fetch timeout.
    ///   - lowSpeedBytesPerSecond: Low-speed threshold.
    ///   - lowSpeedSeconds: Low-speed window.
    ///   - maxFeedBytes: Feed body cap.
    ///   - maxPageBytes: Page body cap.
    ///   - maxRedirects: Redirect cap.
    ///   - userAgent: The `User-Agent`.
    ///   - allowPrivateAddresses: Allow non-public addresses.
    ///   - maxConcurrentTransfers: Global concurrency.
    ///   - maxConcurrentPerHost: Per-host concurrency.
    ///   - perHostDelaySeconds: Per-host spacing of request starts.
    ///   - proxy: Proxy URL.
    ///   - noProxy: Hosts that bypass the proxy.
    ///   - verifyTLS: Verify TLS.
    public init(
        connectTimeoutSeconds: Double = 10,
        totalTimeoutSeconds: Double = 30,
        lowSpeedBytesPerSecond: Int = 64,
        lowSpeedSeconds: Int = 20,
        maxFeedBytes: Int = 10 << 20,
        maxPageBytes: Int = 5 << 20,
        maxRedirects: Int = 5,
        userAgent: String = "Sift/0.1 (+https://github.com/sift-news/sift)",
        allowPrivateAddresses: Bool = false,
        maxConcurrentTransfers: Int = 32,
        maxConcurrentPerHost: Int = 2,
        perHostDelaySeconds: Double = 0.5,
        proxy: String? = nil,
        noProxy: String? = nil,
        verifyTLS: Bool = true
    ) {
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.maxFeedBytes = maxFeedBytes
        self.maxPageBytes = maxPageBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.allowPrivateAddresses = allowPrivateAddresses
        self.maxConcurrentTransfers = maxConcurrentTransfers
        self.maxConcurrentPerHost = maxConcurrentPerHost
        self.perHostDelaySeconds = perHostDelaySeconds
        self.proxy = proxy
        self.noProxy = noProxy
        self.verifyTLS = verifyTLS
    }

    /// Decodes options, using the default for every missing key.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when a present key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FetchOptions()
        connectTimeoutSeconds =
            try c.decodeIfPresent(Double.self, forKey: .connectTimeoutSeconds) ?? d.connectTimeoutSeconds
        totalTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .totalTimeoutSeconds) ?? d.totalTimeoutSeconds
        lowSpeedBytesPerSecond =
            try c.decodeIfPresent(Int.self, forKey: .lowSpeedBytesPerSecond) ?? d.lowSpeedBytesPerSecond
        lowSpeedSeconds = try c.decodeIfPresent(Int.self, forKey: .lowSpeedSeconds) ?? d.lowSpeedSeconds
        maxFeedBytes = try c.decodeIfPresent(Int.self, forKey: .maxFeedBytes) ?? d.maxFeedBytes
        maxPageBytes = try c.decodeIfPresent(Int.self, forKey: .maxPageBytes) ?? d.maxPageBytes
        maxRedirects = try c.decodeIfPresent(Int.self, forKey: .maxRedirects) ?? d.maxRedirects
        userAgent = try c.decodeIfPresent(String.self, forKey: .userAgent) ?? d.userAgent
        allowPrivateAddresses =
            try c.decodeIfPresent(Bool.self, forKey: .allowPrivateAddresses) ?? d.allowPrivateAddresses
        maxConcurrentTransfers =
            try c.decodeIfPresent(Int.self, forKey: .maxConcurrentTransfers) ?? d.maxConcurrentTransfers
        maxConcurrentPerHost = try c.decodeIfPresent(Int.self, forKey: .maxConcurrentPerHost) ?? d.maxConcurrentPerHost
        perHostDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .perHostDelaySeconds) ?? d.perHostDelaySeconds
        proxy = try c.decodeIfPresent(String.self, forKey: .proxy) ?? d.proxy
        noProxy = try c.decodeIfPresent(String.self, forKey: .noProxy) ?? d.noProxy
        verifyTLS = try c.decodeIfPresent(Bool.self, forKey: .verifyTLS) ?? d.verifyTLS
    }
}
