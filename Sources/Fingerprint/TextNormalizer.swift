/// The text normalization every signature is computed on.
///
/// Per scalar: compatibility decomposition (NFKD), removal of combining accents and Arabic
/// diacritics (tashkeel, Quranic marks, superscript alef), tatweel and format/bidi controls
/// (ZWJ, ZWNJ, LRM/RLM, embeddings, isolates, BOM); recomposition (NFC) and Unicode case folding;
/// Arabic letter folding (أ إ آ ٱ → ا, ى ی ې ئ → ي, ة ۀ ہ ھ → ه, ک ڪ → ك, ؤ → و); every decimal digit
/// (Eastern Arabic, Persian, fullwidth, …) to ASCII. Letters, marks and numbers form words; all
/// punctuation, symbols and spaces separate them; line breaks separate paragraphs. Han, kana,
/// Thai, Lao, Khmer and Myanmar scalars are single-character tokens.
///
/// Because the folding is applied per scalar after decomposition, composed and decomposed inputs
/// (and Arabic presentation forms) give the same result.
public enum TextNormalizer {
    /// Normalizes text: tokens separated by one space, paragraphs by one line break.
    ///
    /// Empty paragraphs are dropped. The fingerprint is computed on exactly these tokens.
    ///
    /// - Parameters:
    ///   - text: Any text.
    /// - Returns: The normalized text.
    public static func normalize(_ text: String) -> String {
        var sink = StringSink()
        var copy = text
        copy.withUTF8 { Tokenizer.tokenize($0, into: &sink) }
        return String(decoding: sink.output, as: UTF8.self)
    }

    /// The normalized tokens of a text, in order.
    ///
    /// - Parameters:
    ///   - text: Any text.
    /// - Returns: The tokens (words, or single characters for scripts without spaces).
    public static func tokens(of text: String) -> [String] {
        normalize(text).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }
}

/// Collects tokens into normalized text.
private struct StringSink: TokenSink {
    var output: [UInt8] = []
    var paragraphHasToken = false

    mutating func token(_ bytes: UnsafeBufferPointer<UInt8>, isCharacter: Bool) {
        if paragraphHasToken {
            output.append(0x20)
        } else if !output.isEmpty {
            output.append(0x0A)
        }
        output.append(contentsOf: bytes)
        paragraphHasToken = true
    }

    mutating func paragraphBreak() {
        paragraphHasToken = false
    }
}
