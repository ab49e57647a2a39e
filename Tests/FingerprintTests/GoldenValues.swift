enum GoldenValues {
    /// The first four minima of the default signature of ``ArabicSamples/storyParagraphs``.
    static let storySignaturePrefix: [UInt64] = [54_695_102, 69_976_981, 10_516_340, 18_103_605]
}
