/// Which HTML parser builds the page tree the ``Extractor`` reads.
///
/// Both give the same tree shape and share the charset detection, so they differ only where the
/// parsers themselves recover differently from broken markup. With `.libxml2`, a hostile page
/// that libxml2 cannot read in linear time (nesting deeper than 256 elements, a tag with more
/// than 256 attributes) is read by the tokenizer instead.
public enum HTMLParserBackend: String, Codable, Sendable, Hashable, CaseIterable {
    /// libxml2's HTML parser (through Markup), the product's parser for HTML.
    case libxml2
    /// The extractor's own bounded single-pass tokenizer: about three times faster.
    case native
}

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
    /// The HTML parser: libxml2 (the default) or the faster built-in tokenizer.
    public var parser: HTMLParserBackend = .libxml2

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maxBytes: The largest page accepted, in bytes.
    ///   - minParagraphCharacters: The shortest block that scores as a paragraph.
    ///   - useStructuredBody: Whether a JSON-LD `articleBody` may stand in for the markup.
    ///   - minBodyCharacters: The shortest body that is not ``ExtractionError/noContent``.
    ///   - maxNodes: The most nodes the parsed page may have.
    ///   - parser: The HTML parser that builds the page tree.
    public init(
        maxBytes: Int = 8 << 20,
        minParagraphCharacters: Int = 25,
        useStructuredBody: Bool = true,
        minBodyCharacters: Int = 1,
        maxNodes: Int = 600_000,
        parser: HTMLParserBackend = .libxml2
    ) {
        self.maxBytes = maxBytes
        self.minParagraphCharacters = minParagraphCharacters
        self.useStructuredBody = useStructuredBody
        self.minBodyCharacters = minBodyCharacters
        self.maxNodes = maxNodes
        self.parser = parser
    }

    private enum CodingKeys: String, CodingKey {
        case maxBytes, minParagraphCharacters, useStructuredBody, minBodyCharacters, maxNodes, parser
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
        parser = try c.decodeIfPresent(HTMLParserBackend.self, forKey: .parser) ?? defaults.parser
    }
}
