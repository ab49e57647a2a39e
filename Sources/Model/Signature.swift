/// The parameters a MinHash ``Signature`` was computed with.
///
/// Two signatures are comparable only when their parameters are equal.
public struct SignatureParameters: Codable, Sendable, Hashable {
    /// Number of hash permutations (the signature length).
    public var permutations: Int
    /// Seed of the permutation generator.
    public var seed: UInt64
    /// Shingle size in words (or characters, for scripts without spaces).
    public var shingleSize: Int
    /// Version of the normalisation and hashing scheme; bumped when either changes.
    public var schemeVersion: Int

    /// Creates signature parameters.
    ///
    /// - Parameters:
    ///   - permutations: Number of permutations.
    ///   - seed: Permutation seed.
    ///   - shingleSize: Shingle size.
    ///   - schemeVersion: Normalisation and hashing scheme version.
    public init(permutations: Int, seed: UInt64, shingleSize: Int, schemeVersion: Int) {
        self.permutations = permutations
        self.seed = seed
        self.shingleSize = shingleSize
        self.schemeVersion = schemeVersion
    }
}

/// A MinHash signature of one document.
public struct Signature: Codable, Sendable, Hashable {
    /// How the signature was computed.
    public var parameters: SignatureParameters
    /// One minimum per permutation; `parameters.permutations` values.
    public var values: [UInt64]
    /// Number of distinct shingles the document produced (0 for an empty document).
    public var shingleCount: Int

    /// Creates a signature.
    ///
    /// - Parameters:
    ///   - parameters: How it was computed.
    ///   - values: The minima.
    ///   - shingleCount: Distinct shingles in the document.
    public init(parameters: SignatureParameters, values: [UInt64], shingleCount: Int) {
        self.parameters = parameters
        self.values = values
        self.shingleCount = shingleCount
    }
}
