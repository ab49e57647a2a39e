/// Why a page yielded no article.
public enum ExtractionError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The page is larger than ``ExtractionOptions/maxBytes`` (its size in bytes).
    case tooLarge(Int)
    /// The page could not be read as HTML (the reason).
    case unparseable(String)
    /// The page holds no article text.
    case noContent

    /// A one-line reason for logs and the command line.
    public var description: String {
        switch self {
        case .tooLarge(let size): "page too large: \(size) bytes"
        case .unparseable(let reason): "page is not readable HTML: \(reason)"
        case .noContent: "no article text found"
        }
    }
}
