import Extraction
import Model
import Testing

/// The quality gate: hand-checked pages with their expected body text and a pinned minimum score.
///
/// The floor may only be raised. Scoring is the yardstick's: F1 over 4-token shingles.
struct GoldSetTests {
    static let pages = ["english-news", "arabic-news", "arabic-windows-1256"]
    /// Each page must reach this F1.
    static let pageFloor = 0.95
    /// The mean over the set must reach this F1.
    static let meanFloor = 0.98

    @Test(arguments: [HTMLParserBackend.libxml2, .native], pages)
    func pageMeetsTheFloor(parser: HTMLParserBackend, _ name: String) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let article = try extractor.extract(html: Fixture.bytes("\(name).html"))
        let truth = try Fixture.text("\(name).txt")
        let score = ShingleScore.score(predicted: article.text, truth: truth)
        #expect(score.f1 >= Self.pageFloor, "\(name) (\(parser)): P \(score.precision) R \(score.recall)")
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func meanMeetsTheFloor(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        var total = 0.0
        for name in Self.pages {
            let article = try extractor.extract(html: Fixture.bytes("\(name).html"))
            total += ShingleScore.score(predicted: article.text, truth: try Fixture.text("\(name).txt")).f1
        }
        #expect(total / Double(Self.pages.count) >= Self.meanFloor)
    }

    @Test func bothParsersGiveTheSameArticleOnEveryFixture() throws {
        let libxml2 = Extractor(options: ExtractionOptions(parser: .libxml2))
        let native = Extractor(options: ExtractionOptions(parser: .native))
        for name in Self.pages + ["jsonld-article"] {
            let bytes = try Fixture.bytes("\(name).html")
            #expect(try libxml2.extract(html: bytes) == native.extract(html: bytes), "\(name)")
        }
    }
}
