public import Model

/// How the ``Fingerprinter`` turns text into a MinHash ``Model/Signature``.
///
/// Every field has a default, and decoding fills absent keys with it, so a configuration file may
/// name only what it changes. The parameters that decide whether two signatures are comparable are
/// carried in every signature (``signatureParameters``).
public struct FingerprintParameters: Codable, Sendable, Hashable {
    /// The version of the normalisation, tokenisation and hashing scheme.
    ///
    /// Version 2: fast similarity sketching (version 1: independent multiply-add-shift
    /// permutations). Bumped whenever any of them changes, so stored signatures computed differently are rejected
    /// as incompatible rather than silently compared.
    public static let schemeVersion = 2
    /// The largest accepted shingle size.
    public static let maximumShingleSize = 16
    /// The largest accepted permutation count.
    public static let maximumPermutations = 1024
    /// The default shingle size in words (chosen by measurement on Arabic news copies).
    public static let defaultShingleSize = 3
    /// The default permutation seed.
    public static let defaultSeed: UInt64 = 0x5349_4654_4D48_0001

    /// Shingle size in words; scripts written without spaces (CJK, Thai, …) use character trigrams.
    public var shingleSize: Int
    /// Number of MinHash bins (the signature length; called permutations for compatibility); a
    /// multiple of 8.
    public var permutations: Int
    /// Seed of the permutation generator.
    public var seed: UInt64

    /// Creates fingerprint parameters.
    ///
    /// - Parameters:
    ///   - shingleSize: Shingle size in words.
    ///   - permutations: Number of permutations.
    ///   - seed: Permutation seed.
    public init(
        shingleSize: Int = FingerprintParameters.defaultShingleSize,
        permutations: Int = 128,
        seed: UInt64 = FingerprintParameters.defaultSeed
    ) {
        self.shingleSize = shingleSize
        self.permutations = permutations
        self.seed = seed
    }

    /// Decodes parameters, using the default for every absent key.
    ///
    /// - Parameters:
    ///   - decoder: The decoder to read from.
    /// - Throws: A `DecodingError` when a present key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shingleSize = try container.decodeIfPresent(Int.self, forKey: .shingleSize) ?? Self.defaultShingleSize
        permutations = try container.decodeIfPresent(Int.self, forKey: .permutations) ?? 128
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? Self.defaultSeed
    }

    /// The parameters recorded in every signature computed with these settings.
    public var signatureParameters: SignatureParameters {
        SignatureParameters(
            permutations: permutations,
            seed: seed,
            shingleSize: shingleSize,
            schemeVersion: Self.schemeVersion
        )
    }

    /// Checks that every value is in range.
    ///
    /// - Throws: ``FingerprintError/invalidShingleSize(_:)`` or
    ///   ``FingerprintError/invalidPermutationCount(_:)``.
    public func validate() throws(FingerprintError) {
        guard (1...Self.maximumShingleSize).contains(shingleSize) else {
            throw .invalidShingleSize(shingleSize)
        }
        guard (8...Self.maximumPermutations).contains(permutations), permutations % 8 == 0 else {
            throw .invalidPermutationCount(permutations)
        }
    }
}
