public import FoundationEssentials

/// One entry of the append-only change log of the cluster directory.
///
/// Sequence numbers start at 1 and are contiguous, so a reader can resume after the last one
/// it processed.
public struct ClusterEvent: Codable, Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// A new cluster was founded by its first member.
        case clusterCreated = "cluster.created"
        /// An article joined an existing cluster.
        case memberAdded = "member.added"
    }

    /// The sequence number (1, 2, 3, … with no gaps).
    public var sequence: Int64
    /// What happened.
    public var kind: Kind
    /// When it happened.
    public var time: Date
    /// The cluster concerned.
    public var clusterID: String
    /// The article concerned.
    public var documentID: String
    /// The article URL.
    public var url: String
    /// The similarity that placed the article in the cluster (1 for a founder).
    public var similarity: Double

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - sequence: The sequence number.
    ///   - kind: What happened.
    ///   - time: When.
    ///   - clusterID: The cluster.
    ///   - documentID: The article's document id.
    ///   - url: The article URL.
    ///   - similarity: The similarity.
    public init(
        sequence: Int64,
        kind: Kind,
        time: Date,
        clusterID: String,
        documentID: String,
        url: String,
        similarity: Double
    ) {
        self.sequence = sequence
        self.kind = kind
        self.time = time
        self.clusterID = clusterID
        self.documentID = documentID
        self.url = url
        self.similarity = similarity
    }
}
