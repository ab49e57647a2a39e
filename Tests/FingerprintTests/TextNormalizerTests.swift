import Fingerprint
import Testing

struct TextNormalizerTests {
    @Test(arguments: [
        ("مُحَمَّدٌ رَسُولُ", "محمد رسول"),  // tashkeel
        ("العـــربية", "العربيه"),  // tatweel, ta marbuta
        ("أحمد إسلام آمن ٱلله", "احمد اسلام امن الله"),  // hamza / madda / wasla alef
        ("مستشفى على", "مستشفي علي"),  // alef maqsura
        ("مدرسة", "مدرسه"),  // ta marbuta
        ("کتاب ایران", "كتاب ايران"),  // Persian keheh and yeh
        ("مسؤول قائد", "مسوول قايد"),  // hamza on waw and yeh
        ("٢٠٢٣ ۱۴۰۲ ١٢٫٥", "2023 1402 12 5"),  // Eastern Arabic and Persian digits
        ("ﻻ ﺍﻟﺴﻼﻡ", "لا السلام"),  // presentation forms (NFKC)
        ("\u{200F}مرحبا\u{200E} \u{202B}بكم\u{202C}", "مرحبا بكم"),  // bidi controls
        ("مي\u{200C}خواهم", "ميخواهم"),  // ZWNJ
        ("قال، ثم؛ لماذا؟ «نعم»", "قال ثم لماذا نعم"),  // Arabic punctuation
        ("HELLO Straße Ｆｕｌｌ", "hello strasse full"),  // case folding, fullwidth
        ("café cafe\u{301}", "cafe cafe"),  // composed and decomposed accents
    ])
    func foldsArabicAndLatinText(input: String, expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func keepsParagraphsOnSeparateLines() {
        #expect(TextNormalizer.normalize("الأول  هنا\n\n\nالثاني - هناك\r\nالثالث") == "الاول هنا\nالثاني هناك\nالثالث")
    }

    @Test func splitsScriptsWithoutSpacesIntoCharacters() {
        #expect(TextNormalizer.tokens(of: "中文新闻abc") == ["中", "文", "新", "闻", "abc"])
        #expect(TextNormalizer.tokens(of: "ข่าววันนี้").count > 3)
    }

    @Test func dropsPunctuationOnlyText() {
        #expect(TextNormalizer.normalize("… — ! ؟ ، *** ") == "")
        #expect(TextNormalizer.tokens(of: "").isEmpty)
    }
}
