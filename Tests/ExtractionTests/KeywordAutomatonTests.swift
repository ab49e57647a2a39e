import Testing

@testable import Extraction

/// The class/id keyword automaton finds exactly the keywords a substring search finds.
struct KeywordAutomatonTests {
    static let lists = [
        Heuristics.unlikelyKeywords, Heuristics.likelyKeywords, Heuristics.negativeKeywords,
        Heuristics.positiveKeywords,
    ]

    /// The masks by brute force.
    static func naive(_ value: [UInt8]) -> UInt8 {
        var found: UInt8 = 0
        for (bit, list) in lists.enumerated() {
            for keyword in list {
                let k = Array(keyword.utf8)
                guard k.count <= value.count else { continue }
                for start in 0...(value.count - k.count) where value[start..<(start + k.count)].elementsEqual(k) {
                    found |= 1 << UInt8(bit)
                    break
                }
            }
        }
        return found
    }

    @Test func matchesASubstringSearch() {
        var values = [
            "", "story", "article-body entry-content", "comments-section", "sidebar widget", "post-meta byline",
            "main-content", "related-articles", "ad-container", "x-ad-y", "shareshare", "read-also-box",
            "\u{645}\u{642}\u{627}\u{644} comment", "commentcomment", "newsletter-signup footer", "masthead",
        ]
        // Every keyword alone, inside other text, overlapping its neighbours, and cut short.
        for list in Self.lists {
            for keyword in list {
                values.append(keyword)
                values.append("x" + keyword + "y")
                values.append(String(keyword.dropLast()))
                values.append(keyword + keyword.dropFirst())
            }
        }
        // Strings over the keywords' commonest letters, from a fixed sequence.
        let alphabet = Array("adeinorstuclmp-_ ".utf8)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func draw(_ bound: Int) -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(bound))
        }
        for _ in 0..<2000 {
            let length = draw(40)
            values.append(String(decoding: (0..<length).map { _ in alphabet[draw(alphabet.count)] }, as: UTF8.self))
        }
        for value in values {
            let bytes = Array(value.utf8)
            #expect(ContentFinder.keywords.masks(in: bytes[...]) == Self.naive(bytes), "\(value)")
        }
    }
}
