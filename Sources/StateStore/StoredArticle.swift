public import FoundationEssentials
public import Model

/// One article as the state database keeps it: metadata, cleaned text, signature and cluster.
public struct StoredArticle: Sendable, Hashable {
    /// The stable document id (derived from the canonical article URL).
    public var documentID: String
    /// The article URL.
    public var url: String
    /// The feed it came from.
    public var feedURL: String?
    /// The outlet's name.
    public var outlet: String?
    /// The title.
    public var title: String?
    /// The publication date.
    public var published: Date?
    /// When it was fetched.
    public var fetched: Date
    /// Its MinHash signature.
    public var signature: Signature
    /// The signature of its lead paragraph (same parameters as ``signature``), or `nil` when
    /// unknown (articles stored before leads were kept).
    public var lead: Signature?
    /// The cluster it belongs to.
    public var clusterID: String
    /// The similarity that placed it in the cluster (1 for a founder).
    public var similarity: Double
    /// The cleaned body text (paragraphs joined by newlines).
    public var text: String
    /// The byline, kept so the article file can be rebuilt from the database.
    public var author: String?
    /// The page language (BCP 47), kept so the article file can be rebuilt from the database.
    public var language: String?
    /// The canonical URL the page declared, kept so the article file can be rebuilt.
    public var canonicalURL: String?

    /// Creates a stored article.
    ///
    /// - Parameters:
    ///   - documentID: The document id.
    ///   - url: The article URL.
    ///   - feedURL: The feed it came from.
    ///   - outlet: The outlet's name.
    ///   - title: The title.
    ///   - published: The publication date.
    ///   - fetched: The fetch date.
    ///   - signature: The MinHash signature.
    ///   - lead: The lead paragraph's signature, if known (same parameters as `signature`).
    ///   - clusterID: The cluster.
    ///   - similarity: The similarity that placed it in the cluster.
    ///   - text: The cleaned body text (paragraphs joined by newlines).
    ///   - author: The byline.
    ///   - language: The page language.
    ///   - canonicalURL: The canonical URL the page declared.
    public init(
        documentID: String,
        url: String,
        feedURL: String? = nil,
        outlet: String? = nil,
        title: String? = nil,
        published: Date? = nil,
        fetched: Date,
        signature: Signature,
        lead: Signature? = nil,
        clusterID: String,
        similarity: Double,
        text: String,
        author: String? = nil,
        language: String? = nil,
        canonicalURL: String? = nil
    ) {
        self.documentID = documentID
        self.url = url
        self.feedURL = feedURL
        self.outlet = outlet
        self.title = title
        self.published = published
        self.fetched = fetched
        self.signature = signature
        self.lead = lead
        self.clusterID = clusterID
        self.similarity = similarity
        self.text = text
        self.author = author
        self.language = language
        self.canonicalURL = canonicalURL
    }
}
