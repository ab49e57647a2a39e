public import FoundationEssentials

/// The syndication format a feed document was recognised as.
public enum FeedFormat: String, Codable, Sendable, Hashable {
    /// RSS 0.90 (RDF-based, Netscape).
    case rss090
    /// RSS 0.91 (Netscape or UserLand).
    case rss091
    /// RSS 0.92.
    case rss092
    /// RSS 0.93.
    case rss093
    /// RSS 0.94.
    case rss094
    /// RSS 2.0 (and RSS documents with no version).
    case rss2
    /// RSS 1.0 (RDF Site Summary).
    case rss1
    /// Atom 0.3.
    case atom03
    /// Atom 1.0 (RFC 4287).
    case atom10
    /// JSON Feed 1.0 or 1.1.
    case json
    /// Microsoft's Channel Definition Format: a `CHANNEL` root element with `ITEM`s.
    case cdf
    /// Not recognised as any feed format.
    case unknown
}

/// One item of a feed, normalised across formats.
public struct FeedEntry: Codable, Sendable, Hashable {
    /// A stable identifier: guid / atom:id, else the link, else a hash of title and content.
    public var id: String
    /// The entry's title: sanitized HTML for an HTML/XHTML construct, else text.
    public var title: String?
    /// The absolute URL of the article the entry points at (the alternate link).
    public var link: String?
    /// When the entry was first published.
    public var published: Date?
    /// When the entry was last updated.
    public var updated: Date?
    /// The author's name.
    public var author: String?
    /// Sanitized summary/description (HTML or text).
    public var summary: String?
    /// Sanitized full content (`content:encoded`, `atom:content`).
    public var content: String?

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - id: A stable identifier.
    ///   - title: The title (sanitized HTML or text).
    ///   - link: The absolute article URL.
    ///   - published: The publication date.
    ///   - updated: The update date.
    ///   - author: The author's name.
    ///   - summary: Sanitized summary.
    ///   - content: Sanitized content.
    public init(
        id: String,
        title: String? = nil,
        link: String? = nil,
        published: Date? = nil,
        updated: Date? = nil,
        author: String? = nil,
        summary: String? = nil,
        content: String? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.author = author
        self.summary = summary
        self.content = content
    }
}

/// A parsed feed document.
public struct ParsedFeed: Sendable, Hashable {
    /// `false` when the document is not well-formed XML (or not valid JSON), even if entries
    /// were recovered from it.
    public var wellFormed: Bool
    /// The recognised format.
    public var format: FeedFormat
    /// The feed's title: sanitized HTML for an HTML/XHTML construct, else text.
    public var title: String?
    /// The feed's home page (absolute).
    public var link: String?
    /// The feed's entries in document order.
    public var entries: [FeedEntry]
    /// The character encoding the document was decoded with (IANA name), if known.
    public var encoding: String?
    /// The publisher's suggested minimum poll interval in seconds (RSS `ttl`, `sy:updatePeriod`).
    public var ttlSeconds: Int?
    /// Problems found while parsing that did not stop it (one short line each).
    public var warnings: [String]

    /// Creates a parsed feed.
    ///
    /// - Parameters:
    ///   - wellFormed: Whether the document was well-formed.
    ///   - format: The recognised format.
    ///   - title: The feed title.
    ///   - link: The feed's home page.
    ///   - entries: The entries.
    ///   - encoding: The encoding used.
    ///   - ttlSeconds: The suggested poll interval.
    ///   - warnings: Non-fatal problems.
    public init(
        wellFormed: Bool,
        format: FeedFormat,
        title: String? = nil,
        link: String? = nil,
        entries: [FeedEntry] = [],
        encoding: String? = nil,
        ttlSeconds: Int? = nil,
        warnings: [String] = []
    ) {
        self.wellFormed = wellFormed
        self.format = format
        self.title = title
        self.link = link
        self.entries = entries
        self.encoding = encoding
        self.ttlSeconds = ttlSeconds
        self.warnings = warnings
    }
}
