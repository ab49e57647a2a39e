/// What is being fetched; it selects the body cap and the `Accept` header.
public enum FetchKind: String, Sendable, Codable {
    /// A feed document (RSS, Atom, RDF, JSON Feed).
    case feed
    /// An article page (HTML).
    case page
}

/// One fetch: a URL, its kind and the validators from the previous fetch.
public struct FetchRequest: Sendable {
    /// The absolute `http` or `https` URL.
    public var url: String
    /// Feed or page.
    public var kind: FetchKind
    /// The `ETag` from the previous response, sent as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` from the previous response, sent as `If-Modified-Since`.
    public var lastModified: String?
    /// Limits for this request that replace the fetcher's ``FetchOptions``.
    public var limits: FetchLimits

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - url: The URL.
    ///   - kind: Feed or page.
    ///   - etag: The previous `ETag`, if any.
    ///   - lastModified: The previous `Last-Modified`, if any.
    ///   - limits: Per-request limits; unset fields use the fetcher's options.
    public init(
        url: String,
        kind: FetchKind,
        etag: String? = nil,
        lastModified: String? = nil,
        limits: FetchLimits = FetchLimits()
    ) {
        self.url = url
        self.kind = kind
        self.etag = etag
        self.lastModified = lastModified
        self.limits = limits
    }
}

/// Per-request limits (a feed's own settings); `nil` fields use the fetcher's ``FetchOptions``.
public struct FetchLimits: Sendable, Hashable {
    /// Whole-transfer timeout in seconds.
    public var totalTimeoutSeconds: Double?
    /// Largest body accepted, in bytes after decompression.
    public var maxBytes: Int?
    /// Redirects followed.
    public var maxRedirects: Int?

    /// Creates limits; every field defaults to "use the fetcher's option".
    ///
    /// - Parameters:
    ///   - totalTimeoutSeconds: Transfer timeout.
    ///   - maxBytes: Body cap.
    ///   - maxRedirects: Redirect cap.
    public init(totalTimeoutSeconds: Double? = nil, maxBytes: Int? = nil, maxRedirects: Int? = nil) {
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }
}

/// A successful fetch: a 2xx body or a 304.
public struct FetchResult: Sendable {
    /// The URL asked for.
    public var requestedURL: String
    /// The URL of the final response after redirects.
    public var finalURL: String
    /// The final status (2xx or 304).
    public var status: Int
    /// True for 304, or for a 2xx whose validators equal the ones sent (content unchanged).
    public var notModified: Bool
    /// The decoded body (empty for 304).
    public var body: [UInt8]
    /// The `Content-Type` header as sent (charset handling is the parsers' concern).
    public var contentType: String?
    /// The `ETag` to send next time (the previous one is kept on a 304 without one).
    public var etag: String?
    /// The `Last-Modified` to send next time (kept likewise).
    public var lastModified: String?
    /// Where the URL has moved, when the redirect chain began with permanent redirects (301/308):
    /// the target of the last permanent hop of that leading run.
    public var permanentRedirectURL: String?
    /// Freshness lifetime from `Cache-Control: max-age` (or `Expires` − `Date`), if given.
    public var cacheMaxAgeSeconds: Int?
    /// Wall-clock seconds of the transfer (politeness waits excluded).
    public var durationSeconds: Double

    /// Creates a result value.
    ///
    /// - Parameters:
    ///   - requestedURL: The URL asked for.
    ///   - finalURL: The final URL.
    ///   - status: The final status.
    ///   - notModified: Whether the content is unchanged.
    ///   - body: The body.
    ///   - contentType: The `Content-Type`.
    ///   - etag: The `ETag`.
    ///   - lastModified: The `Last-Modified`.
    ///   - permanentRedirectURL: The permanent new location, if any.
    ///   - cacheMaxAgeSeconds: The freshness lifetime, if any.
    ///   - durationSeconds: The transfer's duration.
    public init(
        requestedURL: String,
        finalURL: String,
        status: Int,
        notModified: Bool,
        body: [UInt8],
        contentType: String?,
        etag: String?,
        lastModified: String?,
        permanentRedirectURL: String?,
        cacheMaxAgeSeconds: Int?,
        durationSeconds: Double
    ) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.notModified = notModified
        self.body = body
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.permanentRedirectURL = permanentRedirectURL
        self.cacheMaxAgeSeconds = cacheMaxAgeSeconds
        self.durationSeconds = durationSeconds
    }
}
