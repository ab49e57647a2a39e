/// Limits and thresholds of the ``Extractor``.
///
/// Every field has a default, and decoding a partial configuration keeps the defaults of the
/// fields it leaves out.
public struct ExtractionOptions: Codable, Sendable, Hashable {
    /// Pages larger than this many bytes are refused with ``ExtractionError/tooLarge(_:)``.
    public var maxBytes: Int = 8 << 20
    /// A block needs at least this many characters to count as a paragraph when scoring.
    public var minParagraphCharacters: Int = 25
    /// Use the JSON-LD `articleBody` when the page's markup yields clearly less text than it.
    public var useStructuredBody: Bool = true
    /// Fewer characters than this in the extracted body count as no content.
    public var minBodyCharacters: Int = 1
    /// The parsed page stops growing at this many nodes (elements and text runs); the rest of the
    /// page is ignored. Bounds memory on pages made of millions of tiny tags.
    public var maxNodes: Int = 600_000

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maxBytes: The largest page accepted, in bytes.
    ///   - minParagraphCharacters: The shortest block that scores as a paragraph.
    ///   - useStructuredBody: Whether a JSON-LD `articleBody` may stand in for the markup.
    ///   - minBodyCharacters: The shortest body that is not ``ExtractionError/noContent``.
    ///   - maxNodes: The most nodes the parsed page may have.
    public init(
        maxBytes: Int = 8 << 20,
        minParagraphCharacters: Int = 25,
        useStructuredBody: Bool = true,
        minBodyCharacters: Int = 1,
        maxNodes: Int = 600_000
    ) {
        self.maxBytes = maxBytes
        self.minParagraphCharacters = minParagraphCharacters
        self.useStructuredBody = useStructuredBody
        self.minBodyCharacters = minBodyCharacters
        self.maxNodes = maxNodes
    }

    private enum CodingKeys: String, CodingKey {
        case maxBytes, minParagraphCharacters, useStructuredBody, minBodyCharacters, maxNodes
    }

    /// Decodes options; absent keys keep their defaults.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: A `DecodingError` when a present key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let defaults = ExtractionOptions()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxBytes = try c.decodeIfPresent(Int.self, forKey: .maxBytes) ?? defaults.maxBytes
        minParagraphCharacters =
            try c.decodeIfPresent(Int.self, forKey: .minParagraphCharacters) ?? defaults.minParagraphCharacters
        useStructuredBody = try c.decodeIfPresent(Bool.self, forKey: .useStructuredBody) ?? defaults.useStructuredBody
        minBodyCharacters = try c.decodeIfPresent(Int.self, forKey: .minBodyCharacters) ?? defaults.minBodyCharacters
        maxNodes = try c.decodeIfPresent(Int.self, forKey: .maxNodes) ?? defaults.maxNodes
    }
}
