import Markup
import Testing

struct CharsetDecoderTests {
    @Test func decodesWindows1256() throws {
        let text = try CharsetDecoder.decode(HTMLTreeTests.arabicWindows1256, charset: "windows-1256")
        #expect(text == "مرحبا بالعالم")
    }

    @Test func invalidSequencesBecomeReplacementCharacters() throws {
        // 0x82 0xA0 is あ in Shift_JIS; 0x82 at the end is truncated.
        let text = try CharsetDecoder.decode([0x41, 0x82, 0xA0, 0x42, 0x82], charset: "Shift_JIS")
        #expect(text == "AあB\u{FFFD}")
    }

    @Test func unknownCharsetThrows() {
        #expect(throws: MarkupError.self) {
            try CharsetDecoder.decode([0x41], charset: "x-no-such-charset")
        }
    }

    @Test(
        arguments: [
            ("text/html; charset=windows-1256", "windows-1256"),
            ("application/rss+xml;charset=\"KOI8-R\"", "KOI8-R"),
            ("text/xml", nil),
            ("text/xml; foo=bar; CHARSET = utf-8 ", "utf-8"),
        ] as [(String, String?)])
    func charsetComesFromContentType(header: String, expected: String?) {
        #expect(CharsetDecoder.charset(fromContentType: header) == expected)
    }

    @Test func utf8UnderLatin1LabelIsReadAsUTF8() {
        let decoded = CharsetDecoder.decodeDocument(
            Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><t>é</t>".utf8),
            transportCharset: nil,
            html: false
        )
        #expect(decoded.encoding == "UTF-8")
        #expect(decoded.warnings.count == 1)
    }

    @Test func latin1UnderUTF8LabelIsReadAsWindows1252() {
        let decoded = CharsetDecoder.decodeDocument(
            [0x3C, 0x74, 0x3E, 0xE9, 0x3C, 0x2F, 0x74, 0x3E], transportCharset: "utf-8", html: false)
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == "<t>é</t>")
        #expect(decoded.encoding == "windows-1252")
        #expect(!decoded.warnings.isEmpty)
    }
}
