public import FoundationEssentials

/// What the state database knows about one feed: its validators, schedule and health.
///
/// The URL is the identity. A permanent redirect renames the feed (see
/// ``StateDatabase/renameFeed(from:to:)``).
public struct FeedState: Codable, Sendable, Hashable {
    /// The feed URL.
    public var url: String
    /// The human-readable name (the outlet), if known.
    public var title: String?
    /// The `ETag` of the last successful response, sent back as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` of the last successful response, sent back as `If-Modified-Since`.
    public var lastModified: String?
    /// When the feed was last fetched (successfully or not).
    public var lastAttempt: Date?
    /// When the feed was last fetched successfully (including `304 Not Modified`).
    public var lastSuccess: Date?
    /// Failures since the last success.
    public var consecutiveFailures: Int
    /// When the feed is next due.
    public var nextAttempt: Date?
    /// The last failure's message.
    public var lastError: String?
    /// The last failure's class (a short stable word such as `timeout` or `http.404`).
    public var lastErrorClass: String?
    /// Whether polling is switched off.
    public var disabled: Bool
    /// Why polling was switched off.
    public var disabledReason: String?
    /// Articles stored from this feed (including those stored under a former URL of it).
    public var articleCount: Int

    /// Creates a feed state.
    ///
    /// - Parameters:
    ///   - url: The feed URL.
    ///   - title: The outlet's name.
    ///   - etag: The last `ETag`.
    ///   - lastModified: The last `Last-Modified`.
    ///   - lastAttempt: The last fetch time.
    ///   - lastSuccess: The last successful fetch time.
    ///   - consecutiveFailures: Failures since the last success.
    ///   - nextAttempt: When the feed is next due.
    ///   - lastError: The last failure's message.
    ///   - lastErrorClass: The last failure's class.
    ///   - disabled: Whether polling is off.
    ///   - disabledReason: Why polling is off.
    ///   - articleCount: Articles stored from the feed.
    public init(
        url: String,
        title: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        lastAttempt: Date? = nil,
        lastSuccess: Date? = nil,
        consecutiveFailures: Int = 0,
        nextAttempt: Date? = nil,
        lastError: String? = nil,
        lastErrorClass: String? = nil,
        disabled: Bool = false,
        disabledReason: String? = nil,
        articleCount: Int = 0
    ) {
        self.url = url
        self.title = title
        self.etag = etag
        self.lastModified = lastModified
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.consecutiveFailures = consecutiveFailures
        self.nextAttempt = nextAttempt
        self.lastError = lastError
        self.lastErrorClass = lastErrorClass
        self.disabled = disabled
        self.disabledReason = disabledReason
        self.articleCount = articleCount
    }
}
