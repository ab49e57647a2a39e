import Foundation
public import HTTPServer

/// A generated news site of many outlets, for load and crash testing the whole pipeline.
///
/// Outlet `outlet-NN` publishes an RSS 2.0 feed at `/outlet-NN/rss.xml` listing its articles
/// `/outlet-NN/a-III.html`. Each article page carries the outlet's navigation and footer (the
/// same on every page of the outlet) around a story of a dozen paragraphs of pseudo-words
/// (about 5 KB of text, 8 KB of HTML). Every article is its own story except:
/// articles whose number is a multiple of 10 are copies of one story across each block of four
/// consecutive outlets, and other multiples of 5 are copies across each pair of outlets. Each
/// copy opens with the outlet's own short dateline and has about 3 % of its words replaced, like
/// a lightly rewritten wire story.
/// ``expectedGroups`` is the partition a correct run produces. Everything derives from `seed`.
public struct SyntheticSite: Sendable {
    /// The number of outlets (one feed each).
    public let outlets: Int
    /// The number of articles in each feed.
    public let articlesPerFeed: Int
    /// The seed of every generated text.
    public let seed: UInt64

    /// Describes a site; nothing is generated until a page is requested.
    ///
    /// - Parameters:
    ///   - outlets: Outlets (feeds), at least 1.
    ///   - articlesPerFeed: Articles per feed, at least 1.
    ///   - seed: The seed of the generated texts.
    public init(outlets: Int, articlesPerFeed: Int, seed: UInt64 = 0x5EED) {
        self.outlets = max(1, outlets)
        self.articlesPerFeed = max(1, articlesPerFeed)
        self.seed = seed
    }

    /// The total number of articles.
    public var articleCount: Int { outlets * articlesPerFeed }

    /// The feed paths, one per outlet.
    public var feedPaths: [String] { (0..<outlets).map { "/\(Self.outletName($0))/rss.xml" } }

    /// The article paths grouped by story: the partition a correct run produces.
    public var expectedGroups: [[String]] {
        var groups: [String: [String]] = [:]
        var order: [String] = []
        for outlet in 0..<outlets {
            for number in 0..<articlesPerFeed {
                let key = story(outlet: outlet, number: number)
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(Self.articlePath(outlet: outlet, number: number))
            }
        }
        return order.compactMap { groups[$0] }
    }

    /// A request handler serving the site.
    ///
    /// - Parameter origin: Returns the server's origin (used in feed links).
    /// - Returns: The handler for ``HTTPServer/LoopbackHTTPServer``.
    public func handler(origin: @escaping @Sendable () -> String) -> @Sendable (HTTPRequest) -> HTTPResponse {
        let site = self
        return { request in
            guard let (outlet, file) = site.parse(path: request.path) else { return .notFound }
            if file == "rss.xml" {
                return HTTPResponse(
                    status: 200,
                    headers: [("Content-Type", "application/rss+xml; charset=utf-8")],
                    body: Array(site.feed(outlet: outlet, origin: origin()).utf8)
                )
            }
            guard file.hasPrefix("a-"), file.hasSuffix(".html"),
                let number = Int(file.dropFirst(2).dropLast(5)), number >= 0, number < site.articlesPerFeed
            else { return .notFound }
            return HTTPResponse(
                status: 200,
                headers: [("Content-Type", "text/html; charset=utf-8")],
                body: Array(site.page(outlet: outlet, number: number).utf8)
            )
        }
    }

    // MARK: - Structure

    static func outletName(_ outlet: Int) -> String {
        outlet < 10 ? "outlet-0\(outlet)" : "outlet-\(outlet)"
    }

    static func articlePath(outlet: Int, number: Int) -> String {
        "/\(outletName(outlet))/a-\(number).html"
    }

    private func parse(path: String) -> (Int, String)? {
        let parts = path.split(separator: "/")
        guard parts.count == 2, parts[0].hasPrefix("outlet-"), let outlet = Int(parts[0].dropFirst(7)),
            outlet >= 0, outlet < outlets
        else { return nil }
        return (outlet, String(parts[1]))
    }

    /// The story an article tells.
    private func story(outlet: Int, number: Int) -> String {
        if number % 10 == 0 { return "quad-\(outlet / 4)-\(number)" }
        if number % 5 == 0 { return "pair-\(outlet / 2)-\(number)" }
        return "solo-\(outlet)-\(number)"
    }

    // MARK: - Content

    private func feed(outlet: Int, origin: String) -> String {
        let name = Self.outletName(outlet)
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>\(name)</title><link>\(origin)/\(name)/</link>
            <description>News from \(name)</description>

            """
        for number in 0..<articlesPerFeed {
            let url = origin + Self.articlePath(outlet: outlet, number: number)
            xml += "<item><title>\(title(outlet: outlet, number: number))</title><link>\(url)</link>"
            xml += "<guid>\(url)</guid><pubDate>\(pubDate(number: number))</pubDate></item>\n"
        }
        xml += "</channel></rss>\n"
        return xml
    }

    private func pubDate(number: Int) -> String {
        let day = 1 + number % 28
        let hour = number % 24
        return "Mon, \(day < 10 ? "0" : "")\(day) Jun 2026 \(hour < 10 ? "0" : "")\(hour):00:00 GMT"
    }

    private func title(outlet: Int, number: Int) -> String {
        var random = SplitMix(seed: seed ^ StableKey.hash(story(outlet: outlet, number: number)))
        return (0..<6).map { _ in Self.word(&random) }.joined(separator: " ").capitalized
    }

    private func page(outlet: Int, number: Int) -> String {
        let name = Self.outletName(outlet)
        let storyKey = story(outlet: outlet, number: number)
        var storyRandom = SplitMix(seed: seed ^ StableKey.hash(storyKey))
        var copyRandom = SplitMix(seed: seed ^ StableKey.hash(storyKey + "/" + name))
        let headline = title(outlet: outlet, number: number)
        var paragraphs: [String] = []
        // The outlet's own dateline (shorter than a lead paragraph).
        paragraphs.append((0..<8).map { _ in Self.word(&copyRandom) }.joined(separator: " ").capitalized + " —")
        for _ in 0..<12 {
            var words: [String] = []
            for _ in 0..<60 {
                let word = Self.word(&storyRandom)
                words.append(copyRandom.next() % 100 < 3 ? Self.word(&copyRandom) : word)
            }
            paragraphs.append(words.joined(separator: " ").capitalizedFirst + ".")
        }
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(headline) | \(name)</title>
            <meta property="og:title" content="\(headline)">
            <meta property="article:published_time" content="2026-06-\(String(format: "%02d", 1 + number % 28))T\
            \(String(format: "%02d", number % 24)):00:00Z">
            </head><body>
            <header><nav><a href="/\(name)/">Home</a> <a href="/\(name)/world">World</a>
            <a href="/\(name)/business">Business</a> <a href="/\(name)/sport">Sport</a></nav></header>
            <main><article><h1>\(headline)</h1><p class="byline">By the \(name) newsroom</p>

            """
        for paragraph in paragraphs { html += "<p>\(paragraph)</p>\n" }
        html += """
            </article><aside><h2>Most read</h2><ul><li><a href="/\(name)/a-1.html">Earlier story</a></li></ul></aside>
            </main><footer><p>Copyright 2026 \(name). All rights reserved. Subscribe to our newsletter.</p>
            </footer></body></html>

            """
        return html
    }

    private static let syllables = [
        "ka", "lo", "mi", "ra", "tu", "sen", "dor", "vi", "na", "pel", "quo", "ri", "sta", "mar", "en", "bal",
        "tor", "gu", "fi", "zen", "lam", "co", "der", "is", "ul", "pra", "ne", "ost", "ham", "vel", "ju", "ter",
    ]

    /// A pseudo-word of 2–3 syllables from a vocabulary of about 33 000.
    private static func word(_ random: inout SplitMix) -> String {
        let value = random.next()
        let count = 2 + Int(value % 2)
        var word = ""
        var bits = value >> 1
        for _ in 0..<count {
            word += syllables[Int(bits % UInt64(syllables.count))]
            bits /= UInt64(syllables.count)
        }
        return word
    }
}

/// SplitMix64: a small, fast, seedable generator (deterministic across platforms).
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// FNV-1a 64 of a string, to seed per-story generators.
enum StableKey {
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
