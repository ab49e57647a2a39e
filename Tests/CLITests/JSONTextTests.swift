import Foundation
import Testing

@testable import CLI

struct JSONTextTests {
    /// Strings that exercise every escape, multi-byte UTF-8 on both sides of one, and runs.
    static let samples: [String] = [
        "",
        "plain ASCII",
        "quote \" backslash \\ slash /",
        "\n\r\t",
        String((0..<0x20).map { Character(Unicode.Scalar($0)!) }),
        "before\u{2028}between\u{2029}after",
        "\u{2027}\u{202A}\u{E2}\u{80}",  // neighbours of U+2028/U+2029 stay as they are
        "عاجل: \"الأمطار\" تغمر\tالرياض\n٢٠٢٦",
        "😀\\😀\"😀",
        "\u{7F}\u{0}end",
    ]

    @Test(arguments: samples)
    func aQuotedStringDecodesBackToItself(_ text: String) throws {
        let quoted = JSONText.quote(text)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(decoded == [text])
    }

    @Test func escapesAreTheShortForms() {
        #expect(JSONText.quote("a\"b\\c\nd\re\tf") == #""a\"b\\c\nd\re\tf""#)
        #expect(JSONText.quote("\u{1}\u{1F}") == #""\u0001\u001f""#)
        #expect(JSONText.quote("x\u{2028}y\u{2029}z") == #""x\u2028y\u2029z""#)
        #expect(JSONText.quote("عربي") == "\"عربي\"")
    }

    @Test func datesAreUTCWithZ() {
        #expect(JSONText.utc(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(JSONText.utc(Date(timeIntervalSince1970: 1_072_865_695)) == "2003-12-31T10:14:55Z")
        #expect(JSONText.utc(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(JSONText.utc(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }
}
