/// Why a feed document was refused.
///
/// Documents that are merely broken are not errors: they are recovered and flagged
/// (``Model/ParsedFeed/wellFormed``); a document that is not a feed parses to format
/// ``Model/FeedFormat/unknown`` with no entries.
public enum FeedParseError: Error, Sendable, CustomStringConvertible {
    /// The document is larger than the limit (its size and the limit, in bytes); refused
    /// before parsing.
    case tooLarge(size: Int, limit: Int)
    /// The document attacks the parser (entity expansion bomb); libxml2's reason.
    case hostile(String)
    /// An OPML or feed-list document could not be read at all; the reason.
    case malformed(String)

    /// A one-line description for logs and error output.
    public var description: String {
        switch self {
        case .tooLarge(let size, let limit):
            return "feed document too large: \(size) bytes (limit \(limit))"
        case .hostile(let reason):
            return "hostile feed document refused: \(reason)"
        case .malformed(let reason):
            return "malformed document: \(reason)"
        }
    }
}
