import Markup
public import Model

/// Pulls the article body and its metadata out of a news page's HTML.
///
/// The page's bytes are decoded (byte-order mark, HTTP charset, `<meta charset>`, then a guess),
/// parsed by libxml2's HTML parser (or, with ``HTMLParserBackend/native``, a bounded tolerant
/// tokenizer) into a compact tree, read for structured metadata (JSON-LD, Open Graph,
/// `<meta>`, `<link rel=canonical>`), then scored: paragraph-like blocks vote for the containers
/// around them (text length, commas, link density, class/id hints in several languages), the
/// best container and its good siblings are kept, and furniture inside them (share bars,
/// related blocks, newsletter boxes, "read also" lines, comment prompts) is dropped. Paragraphs
/// come out in document order, without the title.
///
/// Time and memory are linear in the page size; pages above ``ExtractionOptions/maxBytes`` are
/// refused.
public struct Extractor: Sendable {
    /// The thresholds in use.
    public let options: ExtractionOptions

    /// Creates an extractor.
    ///
    /// - Parameter options: Limits and thresholds.
    public init(options: ExtractionOptions = .init()) {
        self.options = options
    }

    /// Extracts the article from one page.
    ///
    /// - Parameters:
    ///   - html: The page as received, in any charset.
    ///   - url: The page's URL, used to make a relative canonical URL absolute.
    ///   - contentType: The HTTP `Content-Type` header, whose charset wins over the page's own
    ///     declaration (a byte-order mark wins over both).
    /// - Returns: The article: metadata and body paragraphs.
    /// - Throws: ``ExtractionError/tooLarge(_:)`` above the size limit,
    ///   ``ExtractionError/unparseable(_:)`` when libxml2 returns no document,
    ///   ``ExtractionError/noContent`` when the page holds no text.
    public func extract(html: [UInt8], url: String? = nil, contentType: String? = nil) throws(ExtractionError)
        -> ExtractedArticle
    {
        guard html.count <= options.maxBytes else { throw .tooLarge(html.count) }
        let (encoding, bomLength) = CharsetSniffer.sniff(html, contentType: contentType)
        let utf8 = CharsetSniffer.utf8Bytes(html, encoding: encoding, bomLength: bomLength)
        let tree = try buildTree(utf8, url: url)
        let metadata = PageMetadata(tree: tree, url: url)

        var finder = ContentFinder(tree: tree, options: options)
        finder.prune()
        let roots = finder.selectRoots()
        var paragraphs = LineFilter.filter(
            TextAssembler.lines(of: finder, roots: roots), title: metadata.title, options: options)
        if paragraphs.isEmpty {
            paragraphs = LineFilter.filter(
                TextAssembler.lines(of: finder, roots: roots, clean: false), title: metadata.title, options: options)
        }
        if paragraphs.isEmpty, roots != [0] {
            paragraphs = LineFilter.filter(
                TextAssembler.lines(of: finder, roots: [0], clean: false), title: metadata.title, options: options)
        }
        if options.useStructuredBody, let body = metadata.articleBody {
            let structured = structuredParagraphs(body)
            let structuredChars = structured.reduce(0) { $0 + $1.utf8.count }
            let foundChars = paragraphs.reduce(0) { $0 + $1.utf8.count }
            if structuredChars >= 200, Double(structuredChars) > 1.6 * Double(foundChars) {
                paragraphs = structured
            }
        }
        // Scalars, counted as the UTF-8 bytes that start one.
        let total = paragraphs.reduce(0) { $0 + $1.utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
        guard total >= max(options.minBodyCharacters, 1) else { throw .noContent }
        return ExtractedArticle(
            title: metadata.title,
            author: metadata.author,
            published: metadata.published,
            language: metadata.language,
            canonicalURL: metadata.canonicalURL,
            paragraphs: paragraphs
        )
    }

    /// Parses decoded UTF-8 with the configured parser.
    ///
    /// libxml2 is given the page without the bodies of its scripts and style sheets, without the
    /// attributes the extractor never reads and with runs of white space in text shortened (see
    /// ``PageTree/libxml2Input(_:dropUnreadAttributes:collapseWhiteSpace:)``). Two kinds of hostile page go to the
    /// tokenizer instead of libxml2, whose costs there are not linear: nesting deeper than 256
    /// elements (such as thousands of unclosed `<font>` tags: the parse stops there, and the rest
    /// of the page would be lost) and a tag with more than ``PageTree/maxAttributesPerTag``
    /// attributes (quadratic).
    private func buildTree(_ utf8: [UInt8], url: String?) throws(ExtractionError) -> PageTree {
        switch options.parser {
        case .native:
            return PageTree(utf8: utf8, maxNodes: options.maxNodes)
        case .libxml2:
            guard let input = PageTree.libxml2Input(utf8) else {
                return PageTree(utf8: utf8, maxNodes: options.maxNodes)
            }
            do {
                // Decoding to UTF-8 at most triples a page already within `maxBytes`.
                let parsed = try PageTree.parsedByLibXML2(
                    input, url: url, maxNodes: options.maxNodes, maxBytes: 3 * options.maxBytes + 16)
                return parsed.complete ? parsed.tree : PageTree(utf8: utf8, maxNodes: options.maxNodes)
            } catch {
                switch error {
                case .tooLarge(let size): throw .tooLarge(size)
                default: throw .unparseable(error.description)
                }
            }
        }
    }

    /// Splits a JSON-LD `articleBody` (plain text, sometimes with markup) into paragraphs.
    func structuredParagraphs(_ body: String) -> [String] {
        var bytes = Array(body.utf8)
        if bytes.contains(UInt8(ascii: "<")) {
            guard let tree = try? buildTree(bytes, url: nil) else { return [] }
            var text: [UInt8] = []
            for node in tree.nodes {
                if node.tag == .text { text.append(contentsOf: tree.text[Int(node.start)..<Int(node.end)]) }
                if node.tag.has(.block) { text.append(0x0A) }
            }
            bytes = text
        }
        return String(decoding: bytes, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { PageMetadata.clean(String($0)) }
            .filter { !$0.isEmpty }
    }
}

extension Extractor {
    /// What the libxml2 backend hands to libxml2 for a page already decoded to UTF-8: the page
    /// without its script and style bodies and the attributes the extractor never reads, white
    /// space in text collapsed; `nil` when the page goes to the tokenizer instead. For benchmarks (libxml2's own parse
    /// rate on the extractor's input).
    ///
    /// - Parameter utf8: The page as UTF-8.
    /// - Returns: libxml2's input, or `nil`.
    @_spi(Benchmarks)
    public static func libxml2Input(utf8: [UInt8]) -> [UInt8]? {
        PageTree.libxml2Input(utf8)
    }
}
