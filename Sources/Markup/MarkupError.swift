/// Why a document could not be parsed or decoded.
///
/// Each case carries what a log line needs; ``description`` renders it as one short line.
public enum MarkupError: Error, Sendable, CustomStringConvertible {
    /// The document is larger than the limit given to the parser (its size in bytes).
    case tooLarge(Int)
    /// libxml2 produced no tree at all (its first error message).
    case parseFailed(String)
    /// The document declares entities whose expansion exceeds libxml2's amplification limits
    /// ("billion laughs", quadratic blowup) or loops (libxml2's message).
    case entityExpansion(String)
    /// The bytes could not be decoded with the named charset (the charset and the reason).
    case encoding(String)

    /// A one-line description for logs and error output.
    public var description: String {
        switch self {
        case .tooLarge(let size):
            return "document too large (\(size) bytes)"
        case .parseFailed(let message):
            return "markup parse failed: \(message)"
        case .entityExpansion(let message):
            return "entity expansion refused: \(message)"
        case .encoding(let message):
            return "cannot decode document: \(message)"
        }
    }
}
