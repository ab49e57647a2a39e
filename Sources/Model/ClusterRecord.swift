public import FoundationEssentials

/// One article in a cluster, as written to the cluster directory.
public struct ClusterMember: Codable, Sendable, Hashable {
    /// The stable document id (derived from the canonical article URL).
    public var documentID: String
    /// The article URL.
    public var url: String
    /// The feed the article came from.
    public var feed: String?
    /// The outlet's name, if known.
    public var outlet: String?
    /// The article title.
    public var title: String?
    /// When the article was published.
    public var published: Date?
    /// When the article was fetched.
    public var fetched: Date
    /// Estimated Jaccard similarity to the member it was matched with (1 for the founder).
    public var similarity: Double

    /// Creates a cluster member.
    ///
    /// - Parameters:
    ///   - documentID: The document id.
    ///   - url: The article URL.
    ///   - feed: The feed URL.
    ///   - outlet: The outlet's name.
    ///   - title: The title.
    ///   - published: The publication date.
    ///   - fetched: The fetch date.
    ///   - similarity: The similarity that placed it in the cluster.
    public init(
        documentID: String,
        url: String,
        feed: String? = nil,
        outlet: String? = nil,
        title: String? = nil,
        published: Date? = nil,
        fetched: Date,
        similarity: Double
    ) {
        self.documentID = documentID
        self.url = url
        self.feed = feed
        self.outlet = outlet
        self.title = title
        self.published = published
        self.fetched = fetched
        self.similarity = similarity
    }
}

/// A story: the articles found to be near-duplicates of one another.
public struct ClusterRecord: Codable, Sendable, Hashable {
    /// The cluster id (stable; the document id of its founding member).
    public var id: String
    /// When the cluster was created.
    public var created: Date
    /// When a member was last added.
    public var updated: Date
    /// The representative member's title.
    public var title: String?
    /// The representative member's URL.
    public var url: String
    /// Members in arrival order; the first is the founder.
    public var members: [ClusterMember]

    /// Creates a cluster record.
    ///
    /// - Parameters:
    ///   - id: The cluster id.
    ///   - created: Creation date.
    ///   - updated: Last update date.
    ///   - title: Representative title.
    ///   - url: Representative URL.
    ///   - members: Members in arrival order.
    public init(
        id: String,
        created: Date,
        updated: Date,
        title: String?,
        url: String,
        members: [ClusterMember]
    ) {
        self.id = id
        self.created = created
        self.updated = updated
        self.title = title
        self.url = url
        self.members = members
    }
}
