public import FoundationEssentials

/// The main content of one article page, with its metadata.
public struct ExtractedArticle: Codable, Sendable, Hashable {
    /// The headline.
    public var title: String?
    /// The byline (author names).
    public var author: String?
    /// The publication date found in the page.
    public var published: Date?
    /// The page language (BCP 47, e.g. `ar`, `en-GB`), if declared or detected.
    public var language: String?
    /// The canonical URL the page declares (`<link rel=canonical>`, `og:url`).
    public var canonicalURL: String?
    /// The article body, one clean paragraph per element, in document order, without the title.
    public var paragraphs: [String]

    /// The body as text: paragraphs joined by newlines.
    public var text: String { paragraphs.joined(separator: "\n") }

    /// Creates an extracted article.
    ///
    /// - Parameters:
    ///   - title: The headline.
    ///   - author: The byline.
    ///   - published: The publication date.
    ///   - language: The page language.
    ///   - canonicalURL: The canonical URL.
    ///   - paragraphs: The body paragraphs.
    public init(
        title: String? = nil,
        author: String? = nil,
        published: Date? = nil,
        language: String? = nil,
        canonicalURL: String? = nil,
        paragraphs: [String] = []
    ) {
        self.title = title
        self.author = author
        self.published = published
        self.language = language
        self.canonicalURL = canonicalURL
        self.paragraphs = paragraphs
    }
}
