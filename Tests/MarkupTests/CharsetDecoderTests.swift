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

    /// `<?xml version="1.0" encoding="NAME"?><t>` then 0x80, `</t>`, in an EBCDIC code page.
    private static func ebcdicDocument(declaring name: String) throws -> [UInt8] {
        let head = "<?xml version=\"1.0\" encoding=\"\(name)\"?><t>"
        var bytes = try #require(ebcdic(head))
        bytes.append(0x80)
        bytes += try #require(ebcdic("</t>"))
        return bytes
    }

    /// Invariant characters in IBM037 (XML 1.0 appendix F's `4C 6F A7 94` is `<?xm`).
    private static func ebcdic(_ text: String) -> [UInt8]? {
        let table: [Character: UInt8] = [
            "<": 0x4C, "?": 0x6F, ">": 0x6E, "/": 0x61, "=": 0x7E, "\"": 0x7F, " ": 0x40, ".": 0x4B, "-": 0x60,
            "_": 0x6D, "0": 0xF0, "1": 0xF1, "2": 0xF2, "3": 0xF3, "4": 0xF4, "5": 0xF5, "6": 0xF6, "7": 0xF7,
            "8": 0xF8, "9": 0xF9,
            "a": 0x81, "b": 0x82, "c": 0x83, "d": 0x84, "e": 0x85, "g": 0x87, "i": 0x89, "l": 0x93, "m": 0x94,
            "n": 0x95, "o": 0x96, "p": 0x97, "r": 0x99, "s": 0xA2, "t": 0xA3, "u": 0xA4, "v": 0xA5, "x": 0xA7,
        ]
        var bytes: [UInt8] = []
        for character in text {
            guard let byte = table[character] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    @Test(
        arguments: [
            ("cp037", "Ø"), ("ibm039", "Ø"), ("ebcdic_cp_be", "Ø"), ("ebcdic-cp-us", "Ø"), ("cp500", "Ø"),
            ("cp875", "\u{0385}"), ("cp1140", "Ø"),
        ] as [(String, String)])
    func ebcdicDocumentsAreReadThroughTheirDeclaration(name: String, character: String) throws {
        let decoded = CharsetDecoder.decodeDocument(
            try Self.ebcdicDocument(declaring: name), transportCharset: nil, html: false)
        let text = String(decoding: decoded.utf8, as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"\(name)\"?>"))
        #expect(text.hasSuffix("<t>\(character)</t>"))
        #expect(decoded.warnings.isEmpty)
        #expect(!decoded.bytesWereInvalid)
    }

    @Test(arguments: [("macgreek", "\u{C4}\u{3B1}"), ("x-mac-greek", "\u{C4}\u{3B1}"), ("macturkish", "\u{C4}\u{11E}")])
    func macCodePagesIconvLacksAreDecoded(label: String, text: String) {
        let second: UInt8 = label.hasSuffix("turkish") ? 0xDA : 0xE1
        let decoded = CharsetDecoder.decodeDocument(
            Array("<?xml version=\"1.0\" encoding=\"\(label)\"?><t>".utf8) + [0x80, second] + Array("</t>".utf8),
            transportCharset: nil, html: false)
        #expect(String(decoding: decoded.utf8, as: UTF8.self).hasSuffix("<t>\(text)</t>"))
        #expect(decoded.warnings.isEmpty)
        #expect(!decoded.bytesWereInvalid)
    }
}
