import Extraction
import Foundation
import Model
import Testing

struct ExtractorTests {

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func englishPageKeepsTheBodyInOrderAndDropsFurniture(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let article = try extractor.extract(html: Fixture.bytes("english-news.html"))
        let expected = try Fixture.text("english-news.txt").split(separator: "\n").map(String.init)
        #expect(article.paragraphs == expected)
        let text = article.text
        for furniture in [
            "Skip to content", "Share on Facebook", "Email this article", "Advertisement", "Read more",
            "Sign up for our morning briefing", "Related stories", "Ferry service to end", "23 comments",
            "harbourwatcher", "Leave a comment", "Most read", "All rights reserved", "Privacy", "Sport",
            "By Maria Lindqvist", "Photo: Coastal Herald",
        ] {
            #expect(!text.contains(furniture), "kept furniture: \(furniture)")
        }
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func englishPageMetadataComesFromMetaTags(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let article = try extractor.extract(
            html: Fixture.bytes("english-news.html"), url: "https://herald.example/news/2024/03/x?utm=1")
        #expect(article.title == "Harbour bridge reopens after two-year repair")
        #expect(article.author == "Maria Lindqvist")
        #expect(article.language == "en-GB")
        #expect(article.canonicalURL == "https://herald.example/news/2024/03/harbour-bridge-reopens")
        // 09:30 at UTC+1 is 08:30 UTC.
        #expect(article.published == Date(timeIntervalSince1970: 1_710_405_000))
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func titleIsNeverPartOfTheBody(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        for name in ["english-news.html", "arabic-news.html", "arabic-windows-1256.html", "jsonld-article.html"] {
            let article = try extractor.extract(html: Fixture.bytes(name))
            let title = try #require(article.title)
            #expect(!article.paragraphs.contains(title), "title repeated in \(name)")
        }
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func arabicPageDropsArabicFurniture(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let article = try extractor.extract(html: Fixture.bytes("arabic-news.html"))
        let expected = try Fixture.text("arabic-news.txt").split(separator: "\n").map(String.init)
        #expect(article.paragraphs == expected)
        let text = article.text
        for furniture in [
            "اقرأ أيضاً", "ارتفاع أسعار المياه المعبأة", "مقالات ذات صلة", "زر الذهاب إلى الأعلى", "اشترك في النشرة",
            "تابعونا", "اترك تعليقاً", "واتساب", "مشاركة", "إعلان", "الأكثر قراءة", "جميع الحقوق محفوظة", "بقلم",
            "الرئيسية",
        ] {
            #expect(!text.contains(furniture), "kept furniture: \(furniture)")
        }
        #expect(article.language == "ar")
        #expect(article.canonicalURL == "https://example-news.ar/2024/05/desalination-plant/")
        #expect(article.published == Date(timeIntervalSince1970: 1_714_626_900))
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func arabicReadAlsoLabelEndsTheArticleAndFurnitureLinesGo(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let body = [
            "أعلن الرئيس عن عزم بلاده التعاون مع دول المجموعة لإنشاء تحالف دولي في مجال الذكاء الاصطناعي خلال مؤتمر عقد في العاصمة.",
            "وقال خلال كلمة له في المؤتمر إن التحالف سيضم مؤسسات ومعاهد تطوير وطنية من عدة دول، وسيعمل على تطوير نماذج مشتركة.",
            "وأضاف أن بلاده واثقة من أن التحالف سيسهم في تطوير تقنيات مستقلة، في ظل التنافس المتزايد بين القوى الكبرى.",
        ]
        let html = """
            <html lang="ar" dir="rtl"><body><div class="post-content">
            <p>2 د</p>
            <p>تاريخ النشر: 12th, December 2024 GMT</p>
            <p>\(body[0])</p><p>\(body[1])</p><p>\(body[2])</p>
            <p>لزيارة موقع البوابة على الفيسبوك</p>
            <p>إقرأ أيضاً:</p>
            <p>بدأت القوى السياسية التحضير للاستحقاقات الديموقراطية، بدءا بالانتخابات البلدية في عدد من المدن والقرى.</p>
            <p>وعلم أن التيار انصرف فور معرفته بأنه خارج الحكومة إلى السعي لتركيب تحالفات جديدة في الدوائر كلها.</p>
            </div></body></html>
            """
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs == body)
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func inlineReadAlsoTeaserIsDroppedAndTheBodyGoesOn(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let body = [
            "قررت الحكومة رفع الحد الأدنى للأجور بنسبة عشرة في المئة اعتبارا من الشهر المقبل، بعد مفاوضات طويلة مع النقابات.",
            "وقال وزير العمل إن القرار يشمل العاملين في القطاعين العام والخاص، وإن الحكومة ستراقب تطبيقه في الشركات الكبرى.",
            "ورحبت النقابات بالقرار، لكنها طالبت بربط الأجور بمعدلات التضخم بشكل سنوي لحماية القدرة الشرائية للعمال.",
            "ومن المتوقع أن يستفيد من القرار أكثر من مليوني عامل، بحسب تقديرات وزارة العمل التي نشرتها أمس الأحد.",
        ]
        let html = """
            <html lang="ar"><body><div class="entry-content">
            <p>\(body[0])</p>
            <p><strong>اقرأ أيضاً:</strong></p>
            <p><a href="/x">أسعار الخضروات ترتفع في الأسواق مع بداية فصل الشتاء</a></p>
            <p>\(body[1])</p><p>\(body[2])</p><p>\(body[3])</p>
            </div></body></html>
            """
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs == body)
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func windows1256PageIsDecodedFromItsMetaDeclaration(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let bytes = try Fixture.bytes("arabic-windows-1256.html")
        #expect(String(validating: bytes, as: UTF8.self) == nil, "fixture must not be UTF-8")
        let article = try extractor.extract(html: bytes)
        #expect(article.title == "مهرجان الكتاب يستقبل زواره")
        #expect(article.paragraphs.count == 3)
        #expect(article.paragraphs.first?.hasPrefix("فتح مهرجان الكتاب أبوابه أمس") == true)
        #expect(
            article.paragraphs.last
                == "ويستمر المهرجان عشرة أيام، وتفتح أبوابه من العاشرة صباحا حتى التاسعة مساء، والدخول مجاني لجميع الزوار."
        )
        #expect(!article.text.contains("اقرأ أيضا"))
        #expect(!article.text.contains("\u{FFFD}"))
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func httpCharsetWinsOverTheMetaDeclaration(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        // The page claims UTF-8 inside but the server says windows-1256, which is right.
        var bytes = try Fixture.bytes("arabic-windows-1256.html")
        let declared = Array("windows-1256".utf8)
        let replacement = Array("utf-8       ".utf8)
        if let at = bytes.firstRange(of: declared) { bytes.replaceSubrange(at, with: replacement) }
        let article = try extractor.extract(html: bytes, contentType: "text/html; charset=windows-1256")
        #expect(article.title == "مهرجان الكتاب يستقبل زواره")
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func multibyteCharsetsAreDecodedThroughIconv(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let sentence = "東京の博物館は四年間の改修工事を終えて、来月から東館の一般公開を再開すると発表した。"
        let page =
            "<html><head><meta charset=\"shift_jis\"></head><body><article><p>\(sentence)</p></article></body></html>"
        // The page in Shift_JIS, converted by iconv in a child process so the test uses no shared code.
        let bytes = try #require(Self.iconv(Array(page.utf8), to: "SHIFT_JIS"))
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let article = try extractor.extract(html: bytes)
        #expect(article.paragraphs == [sentence])
    }

    static func iconv(_ input: [UInt8], to charset: String) -> [UInt8]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", charset]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        guard (try? process.run()) != nil else { return nil }
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? [UInt8](output) : nil
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func invalidUTF8BytesBecomeReplacementCharactersAndTheRestStaysUTF8(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let before = "وقال المتحدث إن المحطة ستبدأ العمل في الربيع المقبل،"
        let after = "بعد تأخير دام عامين بسبب نقص المعدات وارتفاع الأسعار في الأسواق العالمية."
        var bytes = Array("<html><head><meta charset=\"utf-8\"></head><body><article><p>\(before) ".utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array(" \(after)</p></article></body></html>".utf8)
        let article = try extractor.extract(html: bytes)
        #expect(article.paragraphs.count == 1)
        let text = try #require(article.paragraphs.first)
        #expect(text.hasPrefix(before) && text.hasSuffix(after))
        #expect(text.contains("\u{FFFD}"))
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func byteOrderMarkWinsOverEverything(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let page =
            "<html><head><meta charset=\"windows-1252\"></head><body><p>"
            + String(repeating: "Grüße aus Köln, wo es heute regnet und die Straßen nass sind. ", count: 3)
            + "</p></body></html>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in page.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let article = try extractor.extract(html: bytes, contentType: "text/html; charset=iso-8859-1")
        #expect(article.paragraphs.first?.hasPrefix("Grüße aus Köln") == true)
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func jsonLDArticleBodyStandsInForATeaserPage(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let article = try extractor.extract(html: Fixture.bytes("jsonld-article.html"))
        #expect(article.title == "Rail strike called off after late-night deal")
        #expect(article.author == "Tom Okafor, Lena Marsh")
        #expect(article.language == "en-US")
        #expect(article.published == Date(timeIntervalSince1970: 1_717_279_500))
        #expect(article.paragraphs.count == 3)
        #expect(article.paragraphs.last?.hasPrefix("Union leaders said members would be balloted") == true)
        #expect(!article.text.contains("Subscribe"))
    }

    @Test(
        arguments: [HTMLParserBackend.libxml2, .native],
        [
            ("<meta property=\"article:published_time\" content=\"2024-03-14 09:30:00\">", 1_710_408_600.0),
            ("<meta name=\"date\" content=\"2024-03-14\">", 1_710_374_400.0),
            ("<meta itemprop=\"datePublished\" content=\"2024-03-14T09:30:00.123-05:00\">", 1_710_426_600.0),
            ("<time datetime=\"2024-03-14T09:30Z\">March 14</time>", 1_710_408_600.0),
        ])
    func publicationDateFormats(parser: HTMLParserBackend, _ date: (markup: String, expected: Double)) throws {
        let (markup, expected) = date
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let html =
            "<html><head>\(markup)</head><body><p>The council approved the new budget after a long debate "
            + "about school funding and road repairs in the northern districts.</p></body></html>"
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.published == Date(timeIntervalSince1970: expected))
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func entitiesAndWhitespaceAreNormalised(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let html = """
            <html><body><article><p>Caf&eacute;   owners&nbsp;said&#160;prices rose by 5&#x25;
            after the &ldquo;energy shock&rdquo; &amp; higher rents, which hit the old town hardest this winter.</p>
            </article></body></html>
            """
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(
            article.paragraphs == [
                "Café owners said prices rose by 5% after the “energy shock” & higher rents, which hit the old town hardest this winter."
            ])
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func hiddenBlocksAreDroppedButAHiddenPageWrapperIsNot(parser: HTMLParserBackend) throws {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        let body =
            "The museum will reopen its east wing in April, after a restoration that took four years and "
            + "uncovered frescoes hidden behind plaster since the nineteenth century."
        let html = """
            <html><body><div id="page" aria-hidden="true"><article>
            <p>\(body)</p>
            <div style="display: none"><p>This promotional text is hidden from readers and must not be extracted.</p></div>
            <p hidden>Another hidden paragraph that nobody sees on the page, long enough to be scored as text.</p>
            </article></div><div class="cookie-modal">We use cookies.</div></body></html>
            """
        let article = try extractor.extract(html: Array(html.utf8))
        #expect(article.paragraphs == [body])
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func pageWithoutTextThrowsNoContent(parser: HTMLParserBackend) {
        let extractor = Extractor(options: ExtractionOptions(parser: parser))
        #expect(throws: ExtractionError.noContent) {
            try extractor.extract(
                html: Array("<html><head><title>x</title></head><body><img src=a></body></html>".utf8))
        }
        #expect(throws: ExtractionError.noContent) { try extractor.extract(html: []) }
    }

    @Test(arguments: [HTMLParserBackend.libxml2, .native])
    func pageAboveTheLimitIsRefused(parser: HTMLParserBackend) {
        let small = Extractor(options: ExtractionOptions(maxBytes: 1000, parser: parser))
        #expect(throws: ExtractionError.tooLarge(2000)) {
            try small.extract(html: [UInt8](repeating: UInt8(ascii: "a"), count: 2000))
        }
    }
}
