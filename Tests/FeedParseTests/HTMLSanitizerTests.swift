import Testing

@testable import FeedParse

struct HTMLSanitizerTests {
    @Test(arguments: [
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<p onclick=\"x()\" onmouseover=\"y()\">a</p>", "<p>a</p>"),
        ("<a href=\"javascript:alert(1)\">a</a>", "<a href=\"\">a</a>"),
        ("<a href=\"  java\tscript:alert(1)\">a</a>", "<a href=\"\">a</a>"),
        ("<a href=\"vbscript:x\">a</a>", "<a href=\"\">a</a>"),
        ("<img src=\"data:image/svg+xml;base64,AAAA\">", "<img src=\"\" />"),
        ("<iframe src=\"http://evil.example/\"></iframe>text", "text"),
        ("<object data=\"x.swf\"><param name=\"a\" value=\"b\"></object>after", "after"),
        ("<embed src=\"x.swf\">after", "after"),
        ("<p>ok <embed src=\"x\">after <b>b</b> <embed>c</p>", "<p>ok after <b>b</b> c</p>"),
        ("<style>body{}</style><p style=\"color:red\">a</p>", "<p style=\"color: red;\">a</p>"),
        ("<p style=\"background: url(javascript:x)\">a</p>", "<p>a</p>"),
        ("<p style=\"color: expression(alert(1))\">a</p>", "<p>a</p>"),
        ("<p style=\"position: fixed; color: red\">a</p>", "<p style=\"color: red;\">a</p>"),
        ("<blink>a</blink><marquee>b</marquee><iframe>c</iframe>", "abc"),
        ("<span autoplay=\"\" checked=\"\">a</span>", "<span checked=\"\">a</span>"),
        ("<br><hr>", "<br /><hr />"),
        (
            "<form action=\"http://e.x/\"><input name=\"q\">text</form>",
            "<form action=\"http://e.x/\"><input name=\"q\" />text</form>"
        ),
        ("<!-- comment --><b>b</b>", "<b>b</b>"),
        ("<p>caf&eacute; &amp; cr&egrave;me</p>", "<p>café &amp; crème</p>"),
        ("plain text", "plain text"),
        ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x.dtd\"><p>page</p>", "<p>page</p>"),
        ("<!DOCTYPE", "&lt;!DOCTYPE"),
        ("a <!doctype <b>b</b>", "a &lt;!doctype <b>b</b>"),
    ])
    func activeContentIsRemoved(html: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(html, base: nil) == expected)
    }

    @Test(arguments: [
        ("no declarations, café", "no declarations, café"),
        ("a <! b", "a &lt;! b"),
        ("<!-- c --><![CDATA[x]]>", "<!-- c -->&lt;![CDATA[x]]>"),
        ("é<!DocType html>ü<!doctype", "éü&lt;!doctype"),
        ("<!doctype a <b>", "&lt;!doctype a <b>"),
        ("<!", "&lt;!"), ("<", "<"), ("!<!-", "!&lt;!-"),
        // A comment never closed by `-->` ends at its first `--…>`; with none, it is left to hide the rest.
        ("sa<!-- -- x >fe", "safe"), ("a<!-- b -- c -->d", "a<!-- b -- c -->d"), ("a<!-- b", "a<!-- b"),
    ])
    func markupDeclarationsOtherThanCommentsAreEscaped(html: String, expected: String) {
        #expect(HTMLSanitizer.escapingMarkupDeclarations(html) == expected)
    }

    @Test(arguments: [
        (
            "<svg viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\" fill=\"red\"/></svg>",
            "<svg viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">"
                + "<rect fill=\"red\" height=\"5\" width=\"5\"></rect></svg>"
        ),
        (
            "<svg:svg><svg:lineargradient id=\"g\"/><svg:text x=\"1\">Hi</svg:text></svg:svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><linearGradient id=\"g\"></linearGradient>"
                + "<text x=\"1\">Hi</text></svg>"
        ),
        (
            "<svg><script>alert(1)</script><style>*{}</style><circle r=\"1\" onload=\"x()\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"></circle></svg>"
        ),
        (
            "<svg><a xlink:href=\"javascript:alert(1)\"><animate attributeName=\"href\" to=\"javascript:x\"/>"
                + "<set attributeName=\"href\" to=\"javascript:x\"/>a</a></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a xlink:href=\"\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
                + "a</a></svg>"
        ),
        (
            "<svg><a xlink:href=\"/p\">p</a><foreignObject><iframe src=\"x\"></iframe>t</foreignObject></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a xlink:href=\"http://example.org/p\" "
                + "xmlns:xlink=\"http://www.w3.org/1999/xlink\">p</a>t</svg>"
        ),
        (
            "<svg><desc><b onclick=\"x()\">bold</b></desc><title>T</title></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><desc><b>bold</b></desc><title>T</title></svg>"
        ),
        (
            "<math display=\"block\"><mfrac><mi>a</mi><mn>2</mn></mfrac><mi onclick=\"x\">b</mi></math>",
            "<math display=\"block\" xmlns=\"http://www.w3.org/1998/Math/MathML\">"
                + "<mfrac><mi>a</mi><mn>2</mn></mfrac><mi>b</mi></math>"
        ),
    ])
    func svgAndMathMLAreKeptUnderTheirOwnLists(html: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(html, base: "http://example.org/") == expected)
    }

    @Test func relativeURLsResolveAgainstTheBase() {
        let html = "<a href=\"../x\">x</a><img src=\"/i.png\">"
        #expect(
            HTMLSanitizer.sanitize(html, base: "http://example.org/a/b/")
                == "<a href=\"http://example.org/a/x\">x</a><img src=\"http://example.org/i.png\" />"
        )
    }

    @Test(arguments: [
        ("Vector<T> in C++", "Vector<T> in C++"),
        ("a < b and c > d", "a < b and c > d"),
        ("AT&T", "AT&T"),
        ("<b>Bold</b> title", "Bold title"),
        ("caf&eacute;", "café"),
        ("line<br>break", "linebreak"),
        ("testing &doesnotexist; entity", "testing &doesnotexist; entity"),
        ("&doesnotexist; &amp; &#169;", "&doesnotexist; & ©"),
    ])
    func undeclaredTitlesAreHTMLOnlyWhenTheyLookLikeIt(text: String, expected: String) {
        #expect(HTMLSanitizer.plainTextGuessingMarkup(text) == expected)
    }

    @Test func plainTextDropsTagsAndDecodesEntities() {
        #expect(HTMLSanitizer.plainText("<b>Bold</b> &amp; <i>it</i>\n  alic") == "Bold & it alic")
        #expect(HTMLSanitizer.plainText("a <script>x()</script>b") == "a b")
        #expect(HTMLSanitizer.plainText("   ") == nil)
    }

    @Test func feedTextFlattensSanitizedHTML() {
        #expect(FeedText.plainText("<b>Bold</b> &amp; <i>title</i>") == "Bold & title")
        #expect(FeedText.plainText("  plain   text ") == "plain text")
        #expect(FeedText.plainText("<br />") == nil)
    }
}
