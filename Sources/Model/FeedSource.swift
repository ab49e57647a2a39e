/// A feed the daemon polls.
///
/// Feeds come from the configuration file, from `--feeds` lists and from OPML imports. The URL
/// is the identity of a feed; a permanent redirect replaces it in the state store.
public struct FeedSource: Codable, Sendable, Hashable {
    /// The feed's URL (http or https).
    public var url: String
    /// A human-readable name (the outlet), if known.
    public var title: String?
    /// Poll interval in seconds for this feed; `nil` uses the configured default.
    public var intervalSeconds: Int?
    /// Whole-transfer timeout in seconds for this feed; `nil` uses the configured default.
    public var totalTimeoutSeconds: Double?
    /// Largest feed body accepted for this feed, in bytes after decompression; `nil` uses the default.
    public var maxBytes: Int?
    /// Redirects followed for this feed; `nil` uses the configured default.
    public var maxRedirects: Int?

    /// Creates a feed source.
    ///
    /// - Parameters:
    ///   - url: The feed's URL.
    ///   - title: A human-readable name, if known.
    ///   - intervalSeconds: A per-feed poll interval, or `nil` for the default.
    ///   - totalTimeoutSeconds: A per-feed transfer timeout, or `nil` for the default.
    ///   - maxBytes: A per-feed body cap, or `nil` for the default.
    ///   - maxRedirects: A per-feed redirect cap, or `nil` for the default.
    public init(
        url: String,
        title: String? = nil,
        intervalSeconds: Int? = nil,
        totalTimeoutSeconds: Double? = nil,
        maxBytes: Int? = nil,
        maxRedirects: Int? = nil
    ) {
        self.url = url
        self.title = title
        self.intervalSeconds = intervalSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }
}
