import FeedParse
import Foundation
import Model
import Testing

struct FeedParserTests {
    let parser = FeedParser()

    // MARK: Formats

    @Test(
        arguments: [
            ("rss090.xml", FeedFormat.rss090, 2, "New Status Updates"),
            ("rss091.xml", .rss091, 2, "Giving the world a pluggable Gnutella"),
            ("rss092.xml", .rss092, 2, nil),
            ("rss093.xml", .rss093, 1, "Dated item"),
            ("rss094.xml", .rss094, 1, "Typed description"),
            ("rss2.xml", .rss2, 3, "Star City"),
            ("rss1.xml", .rss1, 2, "Processing Inclusions with XSLT"),
            ("atom03.xml", .atom03, 2, "Atom 0.3 snapshot"),
            ("atom10.xml", .atom10, 2, "Atom-Powered <em>Robots</em> Run Amok"),
            ("jsonfeed10.json", .json, 2, nil),
            ("jsonfeed11.json", .json, 2, "A"),
            ("cdf.xml", .cdf, 3, "First headline"),
        ] as [(String, FeedFormat, Int, String?)])
    func everyFormatIsRecognisedAndMapped(file: String, format: FeedFormat, count: Int, firstTitle: String?) throws {
        let feed = try parser.parse(Fixture.bytes(file))
        #expect(feed.format == format)
        #expect(feed.wellFormed)
        #expect(feed.entries.count == count)
        #expect(feed.entries.first?.title == firstTitle)
        #expect(feed.title != nil)
    }

    @Test func cdfAttributesAndElementsAreMapped() throws {
        let feed = try parser.parse(Fixture.bytes("cdf.xml"))
        #expect(feed.title == "Example News Channel")
        #expect(feed.link == "http://example.com/news/")
        let first = try #require(feed.entries.first)
        // HREF resolves against xml:base; LASTMOD is when the item last changed.
        #expect(first.link == "http://example.com/news/stories/one.htm")
        #expect(first.id == "http://example.com/news/stories/one.htm")
        #expect(Fixture.iso(first.updated) == "2003-11-01T23:00:00Z")
        #expect(first.published == nil)
        #expect(first.summary == "The <b>first</b> story.")
        // A nested channel's items are the feed's, in document order, whatever their case.
        #expect(feed.entries[1].title == "Match report")
        #expect(feed.entries[1].link == "http://example.com/sports/match.htm")
        #expect(feed.entries[2].title == "No link")
        #expect(feed.entries[2].link == nil)
        #expect(feed.entries[2].id.hasPrefix("hash:"))
    }

    @Test func cdfLinksResolveAgainstTheDocumentURL() throws {
        let document = Array(
            "<CHANNEL HREF=\"/\"><ITEM HREF=\"/item/1\"><TITLE>One</TITLE></ITEM></CHANNEL>".utf8)
        let feed = try parser.parse(document, baseURL: "http://example.org/feed.cdf")
        #expect(feed.format == .cdf)
        #expect(feed.wellFormed)
        #expect(feed.link == "http://example.org/")
        #expect(feed.entries.first?.link == "http://example.org/item/1")
    }

    @Test(
        arguments: [
            ("<channel><title>T</title><item><title>A</title></item></channel>", FeedFormat.rss2),
            ("<rss version=\"0.92\"><channel><title>T</title><item><title>A</title></item></channel></rss>", .rss092),
        ] as [(String, FeedFormat)])
    func channelElementsOfRSSStayRSS(document: String, format: FeedFormat) throws {
        let feed = try parser.parse(Array(document.utf8))
        #expect(feed.format == format)
        #expect(feed.title == "T")
        #expect(feed.entries.map(\.title) == ["A"])
    }

    @Test func rss2EntryFieldsAreMapped() throws {
        let feed = try parser.parse(Fixture.bytes("rss2.xml"))
        #expect(feed.title == "Liftoff News")
        #expect(feed.link == "http://liftoff.msfc.nasa.gov/")
        #expect(feed.ttlSeconds == 3_600)
        let first = try #require(feed.entries.first)
        #expect(first.id == "http://liftoff.msfc.nasa.gov/2003/06/03.html#item573")
        #expect(first.link == "http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp")
        #expect(Fixture.iso(first.published) == "2003-06-03T09:39:21Z")
        #expect(first.author == "Jane Editor")
        #expect(first.summary?.contains("<a href=\"http://howe.iki.rssi.ru/GCTC/gctc_e.htm\">Star City</a>") == true)
        #expect(first.content == "<p>Full <em>story</em> here.</p>")
        // A permalink guid stands in for a missing link.
        #expect(feed.entries[1].link == "http://liftoff.msfc.nasa.gov/2003/05/30.html#item572")
        #expect(feed.entries[2].author == "John Smith")
        #expect(feed.entries[2].id == "vasimr-2003")
    }

    @Test func rss1UsesRdfAboutDublinCoreAndSyndication() throws {
        let feed = try parser.parse(Fixture.bytes("rss1.xml"))
        #expect(feed.ttlSeconds == 1_800)
        let first = try #require(feed.entries.first)
        #expect(first.id == "http://xml.com/pub/2000/08/09/xslt/xslt.html")
        #expect(first.author == "Bob DuCharme")
        #expect(Fixture.iso(first.published) == "2000-08-09T17:00:00Z")
        // dc:date, the item's only date, is when it was published and last changed.
        #expect(Fixture.iso(first.updated) == "2000-08-09T17:00:00Z")
        #expect(feed.entries[1].content?.hasPrefix("<p>Tool and API support") == true)
    }

    @Test func atom10TextConstructsLinksAndAuthors() throws {
        let feed = try parser.parse(Fixture.bytes("atom10.xml"))
        #expect(feed.link == "http://example.org/blog/")
        let first = try #require(feed.entries.first)
        // An XHTML title is sanitized HTML, not flattened to text.
        #expect(first.title == "Atom-Powered <em>Robots</em> Run Amok")
        #expect(first.link == "http://example.org/blog/2003/12/13/atom03")
        #expect(Fixture.iso(first.published) == "2003-12-13T12:29:29Z")
        #expect(Fixture.iso(first.updated) == "2003-12-13T18:30:02Z")
        #expect(first.author == "John Doe")
        #expect(first.summary == "Some text & more.")
        #expect(
            first.content
                == "<p>An <a href=\"http://example.org/other/page.html\">image</a>: "
                + "<img src=\"http://example.org/other/pic.png\" /></p>"
        )
        let second = feed.entries[1]
        #expect(second.link == nil)
        #expect(second.author == "Jane Roe")
        #expect(second.content == "<p>Hi</p>")
    }

    @Test func atom03ModesAndDates() throws {
        let feed = try parser.parse(Fixture.bytes("atom03.xml"))
        #expect(feed.title == "dive into &lt;mark&gt;")
        let first = try #require(feed.entries.first)
        #expect(Fixture.iso(first.published) == "2003-12-13T12:29:29Z")
        // Atom 0.3 inline XML: the <div> is part of the content (Atom 1.0 strips it).
        #expect(first.content == "<div><p>Hello, <em>world</em>!</p></div>")
        #expect(first.summary == "It's a test")
        #expect(feed.entries[1].content == "<p>Escaped HTML</p>")
    }

    @Test func rawMarkupInsideADescriptionIsKept() throws {
        let xml = """
            <rss version="2.0"><channel><title>t</title><item><guid>1</guid>
            <description><p>Hi <b>there</b><script>x()</script></p></description></item></channel></rss>
            """
        let feed = try parser.parse(Array(xml.utf8))
        #expect(feed.entries.first?.summary == "<p>Hi <b>there</b></p>")
    }

    @Test func atom03Base64ContentIsDecoded() throws {
        // "<p>Hi <script>x()</script>there</p>" in base64.
        let xml = """
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>b</title><entry><id>e1</id>
            <content type="text/html" mode="base64">PHA+SGkgPHNjcmlwdD54KCk8L3NjcmlwdD50aGVyZTwvcD4=</content>
            </entry></feed>
            """
        let feed = try parser.parse(Array(xml.utf8))
        #expect(feed.format == .atom03)
        #expect(feed.entries.first?.content == "<p>Hi there</p>")
    }

    @Test func jsonFeedFieldsAreMapped() throws {
        let feed = try parser.parse(Fixture.bytes("jsonfeed10.json"))
        #expect(feed.link == "https://example.org/")
        #expect(feed.entries[0].id == "2")
        #expect(feed.entries[0].author == "Feed Author")
        #expect(feed.entries[0].content == "This is a second item.")
        let first = feed.entries[1]
        #expect(first.content == "<p>Hello, world!</p>")
        #expect(first.summary == "A summary")
        #expect(first.author == "Item Author")
        #expect(Fixture.iso(first.published) == "2010-02-07T19:04:00Z")
        let eleven = try parser.parse(Fixture.bytes("jsonfeed11.json"))
        #expect(eleven.entries[0].author == "Manton Reece")
        #expect(eleven.entries[1].author == "Brent Simmons")
        #expect(eleven.entries[1].link == "https://other.example/b")
    }

    // MARK: Encodings

    @Test(
        arguments: [
            ("windows-1256.xml", nil, "مرحبا بالعالم"),
            ("iso-8859-6.xml", nil, "مرحبا بالعالم"),
            ("windows-1251.xml", nil, "Привет, мир"),
            ("koi8-r.xml", nil, "Привет, мир"),
            ("shift_jis.xml", nil, "こんにちは世界"),
            ("gb18030.xml", nil, "你好世界"),
            ("gb2312.xml", nil, "你好世界"),
            ("big5.xml", nil, "你好世界"),
            ("tis-620.xml", nil, "สวัสดีชาวโลก"),
            ("windows-874.xml", nil, "สวัสดีชาวโลก"),
            ("http-koi8-r.xml", "application/rss+xml; charset=koi8-r", "Привет, мир"),
            ("http-overrides-declaration.xml", "text/xml; charset=\"windows-1251\"", "Привет, мир"),
            ("utf-16le-bom.xml", nil, "Ünïcödé"),
            ("utf-8-bom.xml", "text/xml; charset=windows-1251", "Ünïcödé"),
        ] as [(String, String?, String)])
    func legacyEncodingsDecode(file: String, contentType: String?, text: String) throws {
        let feed = try parser.parse(Fixture.bytes("encodings/" + file), contentType: contentType)
        #expect(feed.wellFormed)
        #expect(feed.title == text)
        #expect(feed.entries.first?.title == text)
        #expect(feed.warnings.isEmpty)
    }

    @Test func invalidUTF8UnderUTF8LabelIsRecoveredAsWindows1252AndFlagged() throws {
        let feed = try parser.parse(Fixture.bytes("encodings/lying-utf-8.xml"))
        #expect(feed.title == "Café crème")
        #expect(feed.encoding == "windows-1252")
        #expect(!feed.wellFormed)
        #expect(!feed.warnings.isEmpty)
    }

    @Test(arguments: [("lying-iso-8859-1.xml", "Café crème"), ("lying-windows-1251.xml", "Привет, мир")])
    func utf8UnderASingleByteLabelIsReadAsUTF8AndFlagged(file: String, title: String) throws {
        let feed = try parser.parse(Fixture.bytes("encodings/" + file))
        #expect(feed.title == title)
        #expect(feed.encoding == "UTF-8")
        #expect(!feed.warnings.isEmpty)
    }

    // MARK: Recovery

    @Test(arguments: [
        ("blank-lines-before-declaration.xml", "One"),
        ("bare-ampersand.xml", "Fish & Chips & more"),
        ("control-characters.xml", "Bell item"),
        ("undeclared-prefix.xml", "Prefixed"),
        ("unclosed-cdata.xml", "First"),
        ("html-entities.xml", "Café … © €"),
    ])
    func illFormedFeedsAreRecoveredAndFlagged(file: String, firstTitle: String) throws {
        let feed = try parser.parse(Fixture.bytes("edge/" + file))
        #expect(!feed.wellFormed)
        #expect(feed.format == .rss2)
        #expect(feed.entries.first?.title == firstTitle)
        #expect(!feed.warnings.isEmpty)
    }

    @Test func recoveryKeepsTheTextAroundTheFault() throws {
        let ampersand = try parser.parse(Fixture.bytes("edge/bare-ampersand.xml"))
        #expect(ampersand.title == "Tom & Jerry")
        #expect(ampersand.entries.first?.link == "http://example.org/?a=1&b=2")
        let prefixed = try parser.parse(Fixture.bytes("edge/undeclared-prefix.xml"))
        #expect(prefixed.entries.first?.author == "Ada Lovelace")
        #expect(prefixed.entries.first?.content == "<p>Body</p>")
        let cdata = try parser.parse(Fixture.bytes("edge/unclosed-cdata.xml"))
        #expect(cdata.entries.count == 2)
        #expect(cdata.entries.first?.summary == "<p>Text that never closes</p>")
        let entities = try parser.parse(Fixture.bytes("edge/html-entities.xml"))
        #expect(entities.title == "Entités\u{A0}& co")  // a no-break space is content, not collapsible
        #expect(entities.entries.first?.summary == "naïve <b>résumé</b>")
    }

    @Test func aReferenceToAnEntityNobodyDefinesStaysAsWritten() throws {
        let feed = try parser.parse(Fixture.bytes("edge/undefined-entity.xml"))
        #expect(!feed.wellFormed)
        #expect(feed.title == "testing &doesnotexist; entity")
        // Next to markup, the title is HTML and the stray ampersand escaped.
        #expect(feed.entries.first?.title == "&amp;doesnotexist; <b>bold</b>")
    }

    @Test func htmlEntitiesDeclaredByAnExternalDTDKeepTheFeedWellFormed() throws {
        let feed = try parser.parse(Fixture.bytes("rss091.xml"))
        #expect(feed.wellFormed)
        #expect(feed.entries.first?.summary?.contains("Gnutella\u{2014}allowing") == true)
    }

    // MARK: Links, identity, authors, dates

    @Test func relativeLinksResolveAgainstXMLBaseThenDocumentURL() throws {
        let feed = try parser.parse(Fixture.bytes("edge/xml-base.xml"), baseURL: "http://ignored.example/feed")
        #expect(feed.link == "http://example.org/")
        #expect(feed.entries[0].link == "http://example.org/blog/2024/post.html")
        #expect(feed.entries[1].link == "http://example.org/about")
        let plain = try parser.parse(
            Fixture.bytes("edge/relative-no-base.xml"), baseURL: "https://site.example/feeds/rss")
        #expect(plain.link == "https://site.example/")
        #expect(plain.entries[0].link == "https://site.example/feeds/articles/1.html")
        #expect(plain.entries[0].summary == "<a href=\"https://site.example/x\">x</a>")
    }

    @Test func alternateLinkIsPreferredOverEnclosures() throws {
        let feed = try parser.parse(Fixture.bytes("edge/enclosure-vs-alternate.xml"))
        #expect(feed.entries.first?.link == "http://example.org/ep1.html")
    }

    @Test func identityFallsBackFromGuidToLinkToHashAndDuplicatesAreDisambiguated() throws {
        let feed = try parser.parse(Fixture.bytes("edge/identity.xml"))
        let ids = feed.entries.map(\.id)
        #expect(ids[0] == "g1")
        #expect(ids[1] == "http://example.org/2")
        #expect(ids[2].hasPrefix("hash:"))
        #expect(ids[3] == "g1#2")
        #expect(ids[4] == "g1#3")
        let again = try parser.parse(Fixture.bytes("edge/identity.xml"))
        #expect(again.entries[2].id == ids[2])
    }

    @Test func authorIsAPersonsName() throws {
        let feed = try parser.parse(Fixture.bytes("edge/authors.xml"))
        #expect(
            feed.entries.map(\.author) == [
                "Joe Bloggs", "Jane Doe", "Carl Creator", "only@example.com", "Rita Reverse", "Dee Creator",
            ])
    }

    @Test func unparseableDatesAreOmitted() throws {
        let feed = try parser.parse(Fixture.bytes("edge/dates.xml"))
        #expect(feed.entries[0].published == nil)
        #expect(Fixture.iso(feed.entries[1].published) == "2004-01-01T09:00:00Z")
    }

    @Test func twoDigitYearISODatesAreReadInTheCurrentCentury() throws {
        let feed = try parser.parse(Fixture.bytes("edge/two-digit-year-dates.xml"))
        let century =
            Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
            .year! / 100
        let dates = feed.entries.map { Fixture.iso($0.published) }
        #expect(
            dates == [
                "\(century)03-12-31T00:00:00Z", "\(century)03-12-31T10:14:55Z", "\(century)03-12-01T00:00:00Z",
                "\(century)03-12-01T00:00:00Z", "2003-12-31T10:14:55Z", nil,
            ])
    }

    // MARK: Sanitization

    @Test func htmlIsSanitizedAndHTMLTitlesStaySanitizedHTML() throws {
        let feed = try parser.parse(Fixture.bytes("edge/sanitization.xml"))
        let entry = try #require(feed.entries.first)
        #expect(entry.title == "<b>Bold</b> &amp; title")
        let summary = try #require(entry.summary)
        for forbidden in ["script", "style", "iframe", "object", "embed", "onclick", "onerror", "javascript", "data:"] {
            #expect(!summary.lowercased().contains(forbidden), "\(forbidden) in \(summary)")
        }
        #expect(summary.contains("<a href=\"http://example.org/ok\">fine</a>"))
    }

    // MARK: Not feeds

    @Test func aDocumentThatIsNotAFeedHasNoEntries() throws {
        let page = try parser.parse(Fixture.bytes("edge/not-a-feed.xml"))
        #expect(page.format == .unknown)
        #expect(page.wellFormed)
        #expect(page.entries.isEmpty)
        #expect(page.warnings.first == "not a feed: root element <html>")
        let garbage = try parser.parse(Fixture.bytes("edge/garbage.txt"))
        #expect(garbage.format == .unknown)
        #expect(!garbage.wellFormed)
        let json = try parser.parse(Fixture.bytes("edge/invalid.json"))
        #expect(!json.wellFormed)
        #expect(json.entries.isEmpty)
        let empty = try parser.parse([])
        #expect(empty.format == .unknown)
        let otherJSON = try parser.parse(Array("{\"name\": \"not a feed\"}".utf8))
        #expect(otherJSON.format == .unknown)
        #expect(otherJSON.wellFormed)
    }

    @Test func parsesConcurrentlyFromManyTasks() async throws {
        let bytes = try Fixture.bytes("atom10.xml")
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { (try? FeedParser().parse(bytes).entries.count) ?? -1 }
            }
            var counts: [Int] = []
            for await count in group { counts.append(count) }
            return counts
        }
        #expect(counts == Array(repeating: 2, count: 16))
    }

    @Test func mutatedFeedsAreParsedOrRefusedWithoutCrashing() throws {
        let sources = try ["rss2.xml", "atom10.xml", "rss1.xml", "edge/sanitization.xml", "jsonfeed11.json"]
            .map(Fixture.bytes)
        let pieces: [[UInt8]] = [
            Array("<".utf8), Array("&".utf8), Array("]]>".utf8), Array("<![CDATA[".utf8), Array("</item>".utf8),
            Array("&eacute;".utf8), [0], [0xFF], [0xC3], Array("&lt;embed&gt;x&lt;b&gt;".utf8), Array("<entry>".utf8),
        ]
        var state: UInt64 = 42
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        var recovered = 0
        for round in 0..<300 {
            var bytes = sources[round % sources.count]
            for _ in 0..<(1 + random(5)) {
                let position = random(bytes.count + 1)
                switch random(3) {
                case 0: bytes.insert(contentsOf: pieces[random(pieces.count)], at: position)
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + 1 + random(20)))
                default: if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: random(256)) }
                }
            }
            do {
                recovered += try parser.parse(bytes, baseURL: "http://example.org/a/").entries.count
            } catch {
                Issue.record("mutation \(round) threw \(error)")
            }
        }
        #expect(recovered > 300)
    }

    // MARK: Hostile documents

    @Test(arguments: ["xxe-file.xml", "xxe-http.xml"])
    func externalEntitiesAreNeverResolved(file: String) throws {
        let feed = try parser.parse(Fixture.bytes("hostile/" + file))
        let everything = ([feed.title] + feed.entries.flatMap { [$0.title, $0.summary] }).compactMap { $0 }
        #expect(!everything.joined().contains("root:"))
        #expect(feed.entries.first?.title == "t")
    }

    @Test(arguments: ["billion-laughs.xml", "quadratic-blowup.xml"])
    func entityBombsAreRefused(file: String) throws {
        let bytes = try Fixture.bytes("hostile/" + file)
        #expect {
            try parser.parse(bytes)
        } throws: { error in
            guard case FeedParseError.hostile = error else { return false }
            return true
        }
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        let bytes = [UInt8](repeating: 0x20, count: 2_048)
        #expect {
            try FeedParser(maxBytes: 1_024).parse(bytes)
        } throws: { error in
            guard case FeedParseError.tooLarge(let size, let limit) = error else { return false }
            return size == 2_048 && limit == 1_024
        }
    }

    // MARK: Conformance with feedparser's behaviour

    @Test(arguments: [
        ("cp437-numeric-label.xml", "\u{C7}"),
        ("windows-1252-underscore-label.xml", "\u{20AC}"),
        ("macroman-label.xml", "\u{C4}"),
    ])
    func legacyCharsetLabelsDecodeAndStayWellFormed(file: String, title: String) throws {
        let feed = try parser.parse(Fixture.bytes("encodings/" + file))
        #expect(feed.wellFormed)
        #expect(feed.title == title)
    }

    @Test func rssBodyAndFullitemAreContentAndSparseItemsAreKept() throws {
        let feed = try parser.parse(Fixture.bytes("edge/rss-body-elements.xml"))
        #expect(feed.entries.count == 4)
        #expect(feed.entries[0].content == "plain <b>body</b> text")
        #expect(feed.entries[1].content == "<p>full <i>item</i></p>")
        #expect(feed.entries[2].author == "Only Author")
        #expect(feed.entries[3].title == "no\u{A0}break\u{A0}spaces")
    }

    @Test func atomConstructsFollowTheirDeclaredType() throws {
        let feed = try parser.parse(Fixture.bytes("edge/atom-constructs.xml"))
        #expect(feed.title == "Feed <b>bold</b>")
        let first = try #require(feed.entries.first)
        #expect(first.title == "An <i>xhtml</i> title")
        #expect(first.summary == "A <b>base64</b> summary")
        #expect(Fixture.iso(first.updated) == "2003-12-31T10:14:55Z")  // the later element wins
        #expect(first.content == "<p style=\"color: red;\">styled</p>kept")
        let second = feed.entries[1]
        #expect(second.title == "Plain & simple")
        // A document type declaration in HTML is ignored, as browsers ignore it there.
        #expect(second.summary == "text")
    }

    @Test func anUnknownDeclaredCharsetIsNotWellFormed() throws {
        let feed = try parser.parse(Fixture.bytes("encodings/unknown-declared-charset.xml"))
        #expect(!feed.wellFormed)
        #expect(feed.title == "t")
    }

    @Test func rssReadsDublinCoreAndITunesFallbacks() throws {
        let feed = try parser.parse(Fixture.bytes("edge/rss-namespaced-fallbacks.xml"))
        #expect(feed.title == "Dublin title")
        #expect(feed.entries.map(\.author) == ["Dee Author", "Eye Author"])
        #expect(feed.entries[0].summary == "Pod summary")
        #expect(feed.entries[1].title == "Media title")
    }

    @Test func preStandardAtomNamespacesAreAtom() throws {
        let feed = try parser.parse(Fixture.bytes("edge/atom-echo-namespace.xml"))
        #expect(feed.format == .atom03)
        #expect(feed.title == "Echo")
        #expect(feed.entries.first?.title == "Echo entry")
    }

    @Test func anUppercaseHexReferenceIsRepaired() throws {
        let feed = try parser.parse(Fixture.bytes("edge/uppercase-hex-reference.xml"))
        #expect(!feed.wellFormed)
        #expect(feed.entries.first?.title == "ABC")
    }

    @Test func c1ControlsReadAsWindows1252() throws {
        let feed = try parser.parse(Fixture.bytes("edge/c1-controls.xml"))
        let entry = try #require(feed.entries.first)
        #expect(entry.title == "don\u{2019}t")
        #expect(entry.summary == "a \u{2013} b \u{201C}q\u{201D}")
    }

    @Test func utf8BytesWrittenAsOneReferenceEachAreReadAsTheirCharacter() throws {
        let feed = try parser.parse(Fixture.bytes("edge/double-encoded-references.xml"))
        #expect(feed.wellFormed)
        #expect(feed.entries.map(\.summary) == ["Wait\u{2026} caf\u{E9}", "\u{E2} is not \u{E9}"])
        // Named HTML references are not XML: the same repair, but the document is not well-formed.
        let named = try parser.parse(Fixture.bytes("edge/double-encoded-named-references.xml"))
        #expect(!named.wellFormed)
        #expect(named.entries.first?.summary == "\u{2026}")
    }

    @Test func rss090IsRecognisedByItsNamespaceDeclarationAlone() throws {
        let feed = try parser.parse(Fixture.bytes("edge/rss090-empty.xml"))
        #expect(feed.format == .rss090)
        #expect(feed.wellFormed)
    }

    @Test func relativeAtomIdsResolveAgainstXMLBaseAndTheDocumentURL() throws {
        let feed = try parser.parse(Fixture.bytes("edge/atom-relative-ids.xml"))
        #expect(
            feed.entries.map(\.id) == [
                "http://example.org/blog/posts/1", "http://other.example/2", "tag:example.org,2008:3",
                "not a reference",
            ])
        let bare = try parser.parse(
            Array("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>/a/b</id></entry></feed>".utf8),
            baseURL: "https://example.net/feed.xml")
        #expect(bare.entries.first?.id == "https://example.net/a/b")
        let noBase = try parser.parse(
            Array("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>/a/b</id></entry></feed>".utf8))
        #expect(noBase.entries.first?.id == "/a/b")
    }

    @Test func aBaseOrLinkThatRunsCodeIsNeverUsed() throws {
        let feed = try parser.parse(Fixture.bytes("edge/unsafe-base.xml"), baseURL: "javascript:alert(0)")
        // The entry's xml:base is unsafe: links resolve against the feed's base instead.
        #expect(feed.entries[0].link == "http://example.org/blog/post.html")
        #expect(feed.entries[0].content == "<a href=\"http://example.org/blog/page.html\">page</a>")
        #expect(feed.entries[1].link == nil)
        let json = try parser.parse(
            Array(
                #"{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1", "url": "x"}]}"#
                    .utf8),
            baseURL: "javascript:alert(0)//")
        #expect(json.entries.first?.link == "x")
    }

    @Test func capitalizedRSSElementsAreRead() throws {
        let feed = try parser.parse(Fixture.bytes("edge/capitalized-rss-elements.xml"))
        #expect(feed.title == "Capitalized")
        #expect(feed.link == "http://example.org/")
        let entry = try #require(feed.entries.first)
        #expect(entry.title == "First")
        #expect(entry.link == "http://example.org/1")
        #expect(Fixture.iso(entry.published) == "2003-06-03T09:39:21Z")
    }
}
