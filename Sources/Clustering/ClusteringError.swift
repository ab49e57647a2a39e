public import Model

/// An error raised by the Clustering module.
public enum ClusteringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The similarity threshold is not in (0, 1].
    case invalidThreshold(Double)
    /// Bands and rows are inconsistent with each other or with the permutation count.
    case invalidBanding(bands: Int?, rows: Int?, permutations: Int)
    /// Another parameter is out of range.
    case invalidParameter(name: String, value: Double)
    /// A signature was computed with other parameters than the index's.
    case incompatibleSignature(documentID: String, expected: SignatureParameters, found: SignatureParameters)
    /// A signature's value count does not match its parameters.
    case malformedSignature(documentID: String, expectedValues: Int, foundValues: Int)
    /// The document is already in the index.
    case duplicateDocument(String)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .invalidThreshold(let value):
            "invalid similarity threshold \(value): expected a value in (0, 1]"
        case .invalidBanding(let bands, let rows, let permutations):
            "invalid LSH banding bands=\(bands.map(String.init) ?? "auto") rows=\(rows.map(String.init) ?? "auto")"
                + " for \(permutations) permutations: bands × rows must not exceed the permutations"
        case .invalidParameter(let name, let value):
            "invalid clustering parameter \(name)=\(value)"
        case .incompatibleSignature(let documentID, let expected, let found):
            "incompatible signature for \(documentID): index uses \(Self.describe(expected)),"
                + " signature has \(Self.describe(found))"
        case .malformedSignature(let documentID, let expectedValues, let foundValues):
            "malformed signature for \(documentID): \(foundValues) values, expected \(expectedValues)"
        case .duplicateDocument(let documentID):
            "document \(documentID) is already in the cluster index"
        }
    }

    private static func describe(_ parameters: SignatureParameters) -> String {
        "permutations=\(parameters.permutations) seed=\(parameters.seed) shingle=\(parameters.shingleSize)"
            + " scheme=\(parameters.schemeVersion)"
    }
}
