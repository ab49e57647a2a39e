public import Model

/// Pulls the article body and its metadata out of a news page's HTML.
///
/// The page's bytes are decoded (byte-order mark, HTTP charset, `<meta charset>`, then a guess),
/// parsed by a bounded tolerant tokenizer, read for structured metadata (JSON-LD, Open Graph,
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
    ///   ``ExtractionError/noContent`` when the page holds no text.
    public func extract(html: [UInt8], url: String? = nil, contentType: String? = nil) throws(ExtractionError)
        -> ExtractedArticle
    {
        guard html.count <= options.maxBytes else { throw .tooLarge(html.count) }
        let (encoding, bomLength) = CharsetSniffer.sniff(html, contentType: contentType)
        let utf8 = CharsetSniffer.utf8Bytes(html, encoding: encoding, bomLength: bomLength)
        let tree = PageTree(utf8: utf8, maxNodes: options.maxNodes)
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
            let structured = Self.structuredParagraphs(body)
            let structuredChars = structured.reduce(0) { $0 + $1.utf8.count }
            let foundChars = paragraphs.reduce(0) { $0 + $1.utf8.count }
            if structuredChars >= 200, Double(structuredChars) > 1.6 * Double(foundChars) {
                paragraphs = structured
            }
        }
        let total = paragraphs.reduce(0) { $0 + $1.unicodeScalars.count }
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

    /// Splits a JSON-LD `articleBody` (plain text, sometimes with markup) into paragraphs.
    static func structuredParagraphs(_ body: String) -> [String] {
        var bytes = Array(body.utf8)
        if bytes.contains(UInt8(ascii: "<")) {
            let tree = PageTree(utf8: bytes)
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
