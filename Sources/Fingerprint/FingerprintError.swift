/// An error raised by the Fingerprint module.
///
/// Only parameter validation can fail: computing a signature from text never throws.
public enum FingerprintError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The shingle size is outside the supported range.
    case invalidShingleSize(Int)
    /// The permutation count is outside the supported range.
    case invalidPermutationCount(Int)
    /// A boilerplate-filter setting is out of range.
    case invalidBoilerplateSetting(name: String, value: Int)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .invalidShingleSize(let size):
            "invalid shingle size \(size): expected 1...\(FingerprintParameters.maximumShingleSize)"
        case .invalidPermutationCount(let count):
            "invalid permutation count \(count): expected a multiple of 8 in"
                + " 8...\(FingerprintParameters.maximumPermutations)"
        case .invalidBoilerplateSetting(let name, let value):
            "invalid boilerplate filter setting \(name)=\(value)"
        }
    }
}
