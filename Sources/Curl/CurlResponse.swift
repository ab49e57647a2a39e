/// One redirect response on the way to the final one.
public struct CurlRedirectHop: Sendable, Hashable {
    /// The URL that answered with a redirect.
    public var url: String
    /// Its status (301, 302, 303, 307, 308).
    public var status: Int
    /// The absolute URL it redirected to, when its `Location` could be resolved.
    public var location: String?

    /// Creates a hop.
    ///
    /// - Parameters:
    ///   - url: The redirecting URL.
    ///   - status: The redirect status.
    ///   - location: The resolved target.
    public init(url: String, status: Int, location: String?) {
        self.url = url
        self.status = status
        self.location = location
    }
}

/// The outcome of a completed transfer: the final response after redirects.
public struct CurlResponse: Sendable {
    /// The final status code.
    public var status: Int
    /// The final response's headers in order, names as sent.
    public var headers: [(name: String, value: String)]
    /// The decoded body (content coding removed).
    public var body: [UInt8]
    /// The URL of the final response.
    public var effectiveURL: String
    /// How many redirects were followed.
    public var redirectCount: Int
    /// The redirects followed, in order.
    public var hops: [CurlRedirectHop]
    /// The numeric address of the final connection, if known.
    public var primaryIP: String?
    /// Seconds the transfer took.
    public var totalSeconds: Double

    /// Creates a response value.
    ///
    /// - Parameters:
    ///   - status: The final status.
    ///   - headers: The final headers.
    ///   - body: The decoded body.
    ///   - effectiveURL: The final URL.
    ///   - redirectCount: Redirects followed.
    ///   - hops: The redirect hops.
    ///   - primaryIP: The final connection's address.
    ///   - totalSeconds: Duration.
    public init(
        status: Int,
        headers: [(name: String, value: String)],
        body: [UInt8],
        effectiveURL: String,
        redirectCount: Int,
        hops: [CurlRedirectHop],
        primaryIP: String?,
        totalSeconds: Double
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.redirectCount = redirectCount
        self.hops = hops
        self.primaryIP = primaryIP
        self.totalSeconds = totalSeconds
    }

    /// The value of the first header named `name` (case-insensitive), if any.
    ///
    /// - Parameter name: The header name.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
