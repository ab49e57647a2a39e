enum GoldenValues {
    /// The first four bins of the default signature of ``ArabicSamples/storyParagraphs`` (scheme
    /// version 2: `StableHash.tokenHash` tokens, fast similarity sketching). 78 shingles fill 128
    /// bins over several rounds, so values carry their round in the high 32 bits.
    static let storySignaturePrefix: [UInt64] = [25_033_535_835, 3_111_137_342, 4_516_333_818, 5_583_014_746]
}
