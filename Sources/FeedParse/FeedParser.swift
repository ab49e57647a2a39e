import Markup
public import Model

/// Parses feed documents: RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1,
/// and Microsoft's Channel Definition Format (CDF).
///
/// The format is sniffed from the content (never trusted from the Content-Type), the charset is
/// chosen as byte-order mark, then HTTP charset, then XML declaration, then UTF-8, and each
/// format has one parser that maps its elements to ``Model/FeedEntry`` once. Broken documents
/// are recovered (entries kept, `wellFormed` false, the reason in `warnings`); hostile ones
/// (entity bombs) are refused; external entities and the network are never touched.
public struct FeedParser: Sendable {
    /// Documents larger than this many bytes are refused before parsing.
    public let maxBytes: Int

    /// Creates a parser.
    ///
    /// - Parameter maxBytes: The size limit in bytes (10 MiB by default).
    public init(maxBytes: Int = 10 << 20) {
        self.maxBytes = maxBytes
    }

    /// Parses one feed document.
    ///
    /// - Parameters:
    ///   - bytes: The document as fetched.
    ///   - contentType: The HTTP `Content-Type`, whose charset counts below a byte-order mark.
    ///   - baseURL: The URL the document was fetched from; relative links resolve against it
    ///     (after `xml:base`).
    /// - Returns: The feed. A document that is not a feed gives format `.unknown` and no entries.
    /// - Throws: ``FeedParseError/tooLarge(size:limit:)`` or ``FeedParseError/hostile(_:)``.
    public func parse(
        _ bytes: [UInt8],
        contentType: String? = nil,
        baseURL: String? = nil
    ) throws(FeedParseError) -> ParsedFeed {
        guard bytes.count <= maxBytes else { throw .tooLarge(size: bytes.count, limit: maxBytes) }
        if Self.looksLikeJSON(bytes) {
            switch JSONFeedParser.parse(Self.withoutBOM(bytes), base: baseURL) {
            case .invalid:
                return ParsedFeed(wellFormed: false, format: .unknown, encoding: "UTF-8", warnings: ["invalid JSON"])
            case .notAFeed:
                return ParsedFeed(wellFormed: true, format: .unknown, encoding: "UTF-8")
            case .feed(let draft):
                return Self.feed(from: draft, format: .json, wellFormed: true, encoding: "UTF-8", warnings: [])
            }
        }
        let document = try FeedDocument.load(
            bytes,
            charset: CharsetDecoder.charset(fromContentType: contentType),
            baseURL: baseURL,
            limit: maxBytes
        )
        guard let root = document.tree?.root else {
            return ParsedFeed(
                wellFormed: false, format: .unknown, encoding: document.encoding, warnings: document.warnings
            )
        }
        let format = Self.format(of: root)
        let draft: FeedDraft
        var warnings = document.warnings
        switch format {
        case .rss090, .rss1: draft = RDFParser.parse(root: root, base: baseURL)
        case .rss091, .rss092, .rss093, .rss094, .rss2: draft = RSSParser.parse(root: root, base: baseURL)
        case .atom03, .atom10: draft = AtomParser.parse(root: root, base: baseURL)
        case .cdf: draft = CDFParser.parse(root: root, base: baseURL)
        case .json, .unknown:
            draft = FeedDraft()
            warnings.insert("not a feed: root element <\(root.name)>", at: 0)
        }
        return Self.feed(
            from: draft, format: format, wellFormed: document.wellFormed, encoding: document.encoding,
            warnings: warnings
        )
    }

    /// The format, from the root element, its namespace and `version`.
    static func format(of root: Node) -> FeedFormat {
        switch root.feedKey {
        case "rss":
            switch root.attribute("version")?.trimmedFeedText() ?? "" {
            case "0.91": return .rss091
            case "0.92": return .rss092
            case "0.93": return .rss093
            case "0.94": return .rss094
            default: return .rss2
            }
        case "channel": return .rss2
        case "rdf:RDF", "rdf:rdf":
            let netscape =
                root.elementChildren.contains { $0.namespaceURI == FeedNamespace.rss090 }
                || root.declaredNamespaceURIs.contains(FeedNamespace.rss090)
            return netscape ? .rss090 : .rss1
        case "atom:feed", "feed":
            if root.namespaceURI == FeedNamespace.atom03 || root.attribute("version") == "0.3" { return .atom03 }
            return .atom10
        default:
            // CDF: a `CHANNEL` root in no namespace (RSS's lower-case `<channel>` root is RSS 2.0).
            if root.namespaceURI == nil, root.name.lowercased() == "channel" { return .cdf }
            return .unknown
        }
    }

    private static func feed(
        from draft: FeedDraft, format: FeedFormat, wellFormed: Bool, encoding: String, warnings: [String]
    ) -> ParsedFeed {
        ParsedFeed(
            wellFormed: wellFormed,
            format: format,
            title: draft.title,
            link: draft.link,
            entries: FeedFields.finish(draft.entries),
            encoding: encoding,
            ttlSeconds: draft.ttlSeconds,
            warnings: warnings
        )
    }

    private static func withoutBOM(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    /// JSON if the first non-space character (after a UTF-8 BOM) is `{`.
    static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "{")
    }
}

/// The XML tree of a feed, after decoding and, where needed, repair.
struct FeedDocument {
    var tree: XMLTree?
    var wellFormed: Bool
    var encoding: String
    var warnings: [String]

    /// Decodes, then parses strictly; when that fails, or the feed uses HTML entities XML does
    /// not define, parses a repaired copy in recovery mode.
    static func load(_ bytes: [UInt8], charset: String?, baseURL: String?, limit: Int) throws(FeedParseError)
        -> FeedDocument
    {
        var decoded = CharsetDecoder.decodeDocument(bytes, transportCharset: charset, html: false)
        var replacedNamedReferences = false
        decoded.utf8 = FeedPreprocessor.mappingC1Controls(
            FeedPreprocessor.droppingDeclaredEncoding(decoded.utf8), replacedNamedReferences: &replacedNamedReferences
        )
        var warnings = decoded.warnings
        if replacedNamedReferences { warnings.append("not well-formed: HTML entity references XML does not define") }
        // An XML declaration naming a charset nobody knows is a fatal error for an XML parser.
        let unknownDeclaredCharset = warnings.contains {
            $0.hasPrefix("unknown charset") && $0.contains("(document declaration)")
        }
        guard !decoded.utf8.isEmpty else {
            return FeedDocument(tree: nil, wellFormed: false, encoding: decoded.encoding, warnings: ["empty document"])
        }
        let strict: XMLTree?
        var strictError: String?
        do {
            strict = try XMLTree(bytes: decoded.utf8, encoding: "UTF-8", url: baseURL, maxBytes: .max, recover: false)
        } catch {
            strict = nil
            if case .entityExpansion(let reason) = error { throw .hostile(reason) }
            strictError = error.description
        }
        let translated = FeedPreprocessor.translatingHTMLEntities(decoded.utf8)
        if let strict, translated == nil {
            if !strict.wellFormed, let first = strict.errors.first { warnings.append("not well-formed: \(first)") }
            return FeedDocument(
                tree: strict,
                wellFormed: strict.wellFormed && !decoded.bytesWereInvalid && !unknownDeclaredCharset
                    && !replacedNamedReferences,
                encoding: decoded.encoding,
                warnings: warnings
            )
        }
        let wellFormed =
            (strict?.wellFormed ?? false) && !decoded.bytesWereInvalid && !unknownDeclaredCharset
            && !replacedNamedReferences
        if let strictError { warnings.append("not well-formed: \(strictError)") }
        let repaired = FeedPreprocessor.repaired(translated ?? decoded.utf8)
        do {
            let tree = try XMLTree(bytes: repaired, encoding: "UTF-8", url: baseURL, maxBytes: .max, recover: true)
            return FeedDocument(tree: tree, wellFormed: wellFormed, encoding: decoded.encoding, warnings: warnings)
        } catch {
            if case .entityExpansion(let reason) = error { throw .hostile(reason) }
            warnings.append(error.description)
            return FeedDocument(tree: nil, wellFormed: false, encoding: decoded.encoding, warnings: warnings)
        }
    }
}
