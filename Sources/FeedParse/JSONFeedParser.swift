import FoundationEssentials
import Model

/// JSON Feed 1.0 and 1.1 (`https://jsonfeed.org/version/1`, `/1.1`), mapped to ``EntryDraft``
/// once. The document is read as generic JSON first, so a number where a string was expected
/// (ids often are) does not lose the feed.
enum JSONFeedParser {
    /// What a JSON document turned out to be.
    enum Outcome {
        /// Not valid JSON.
        case invalid
        /// Valid JSON, but not a JSON Feed (no jsonfeed.org `version` and no `items` array).
        case notAFeed
        /// A JSON Feed.
        case feed(FeedDraft)
    }

    /// Parses a JSON document.
    static func parse(_ bytes: [UInt8], base: String?) -> Outcome {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { return .invalid }
        guard case .object(let feed) = value,
            feed["version"]?.string?.contains("jsonfeed.org") == true || feed["items"]?.array != nil
        else { return .notAFeed }
        return .feed(map(feed, base: base))
    }

    private static func map(_ feed: [String: JSONValue], base: String?) -> FeedDraft {
        var draft = FeedDraft()
        draft.title = feed["title"]?.string.flatMap(HTMLSanitizer.plainTextGuessingMarkup)
        draft.link = feed["home_page_url"]?.string.flatMap { safeLink($0, base: base) }
        let feedAuthor = authorName(feed)
        for item in feed["items"]?.array ?? [] {
            guard case .object(let fields) = item else { continue }
            var entry = EntryDraft()
            entry.id = fields["id"]?.string?.trimmedFeedText()
            if entry.id?.isEmpty == true { entry.id = nil }
            entry.title = fields["title"]?.string.flatMap(HTMLSanitizer.plainTextGuessingMarkup)
            entry.link = fields["url"]?.string.flatMap { safeLink($0, base: base) }
            entry.fallbackLink = fields["external_url"]?.string.flatMap { safeLink($0, base: base) }
            entry.published = fields["date_published"]?.string.flatMap(FeedDateParser.parse)
            entry.updated = fields["date_modified"]?.string.flatMap(FeedDateParser.parse)
            entry.author = authorName(fields) ?? feedAuthor
            entry.summary = fields["summary"]?.string.map { $0.trimmedFeedText() }.flatMap { $0.isEmpty ? nil : $0 }
            if let html = fields["content_html"]?.string {
                entry.content = HTMLSanitizer.sanitize(html, base: base)
            }
            if entry.content == nil, let text = fields["content_text"]?.string?.trimmedFeedText(), !text.isEmpty {
                entry.content = text
            }
            draft.entries.append(entry)
        }
        return draft
    }

    /// `authors[0].name` (1.1), else `author.name` (1.0).
    /// A link resolved against the feed URL; `nil` when it would run code (`javascript:`).
    private static func safeLink(_ value: String, base: String?) -> String? {
        let link = URLResolver.resolve(value, against: base)
        return HTMLSanitizer.isDangerousURL(link) ? nil : link
    }

    private static func authorName(_ object: [String: JSONValue]) -> String? {
        if let authors = object["authors"]?.array {
            for author in authors {
                if case .object(let fields) = author, let name = fields["name"]?.string?.trimmedFeedText(),
                    !name.isEmpty
                {
                    return name
                }
            }
        }
        if case .object(let fields) = object["author"], let name = fields["name"]?.string?.trimmedFeedText(),
            !name.isEmpty
        {
            return name
        }
        return nil
    }
}

/// Any JSON value.
enum JSONValue: Decodable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as a string; numbers are printed without a fractional part when integral.
    var string: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        default: return nil
        }
    }

    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}
