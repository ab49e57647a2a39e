/// How the ``ClusterIndex`` decides that two documents tell the same story.
///
/// Every field has a default, and decoding fills absent keys with it.
///
/// A new document joins the cluster of its best-matching indexed document when their estimated
/// Jaccard similarity reaches ``threshold``, or when one is almost contained in the other
/// (estimated containment ≥ ``containmentThreshold``, for truncated copies) while their Jaccard
/// similarity is at least ``minimumJaccard`` (so sharing one paragraph is never enough). It must
/// also resemble the cluster's founder (Jaccard ≥ ``founderThreshold``), which stops clusters from
/// drifting through chains of pairwise matches.
///
/// When leads are known, a match below ``leadCheckCeiling`` also needs the leads to agree, and two
/// documents whose leads are the same paragraph (lead similarity ≥ ``sharedLeadSimilarity``) match
/// from ``minimumJaccard`` on: a heavily edited or truncated copy keeps its story's lead.
public struct ClusteringParameters: Codable, Sendable, Hashable {
    /// The default Jaccard threshold.
    public static let defaultThreshold = 0.25
    /// Estimated Jaccard similarity of two leads at or above which they are the same paragraph
    /// (edited at most lightly), so that the documents share their lead.
    ///
    /// Enough for a match once the documents' Jaccard similarity reaches ``minimumJaccard``. A
    /// paragraph borrowed from another story is seldom the borrower's lead, while every copy of a
    /// story, however edited further down, opens with (a version of) its lead. The value sits in the
    /// middle of the range where it makes no difference on the development corpus (0.3–0.6).
    public static let sharedLeadSimilarity = 0.5

    /// Estimated Jaccard similarity at or above which two documents match.
    public var threshold: Double
    /// LSH bands; derived from the candidate threshold when `nil`.
    public var bands: Int?
    /// Rows per band; derived from the candidate threshold when `nil`.
    public var rows: Int?
    /// Extra LSH bands over the lead paragraph's signature (``rows`` rows each, from its first
    /// values): candidates for copies that share their story's lead but little else, so that the
    /// signature's bands can aim higher (``candidateThreshold``). 0 for none; documents indexed
    /// without a lead have no lead bands.
    public var leadBands: Int
    /// Weight of false positives when deriving bands and rows.
    public var falsePositiveWeight: Double
    /// Weight of false negatives when deriving bands and rows.
    public var falseNegativeWeight: Double
    /// Estimated containment of the smaller document in the larger at or above which they match.
    public var containmentThreshold: Double
    /// The lowest Jaccard similarity at which containment alone can match.
    public var minimumJaccard: Double
    /// The lowest Jaccard similarity to the cluster's founder for a document to join the cluster.
    public var founderThreshold: Double
    /// The most documents examined per LSH bucket (the most recent first).
    public var maximumBucketScan: Int
    /// The estimated share of each document's lead found in the other for a match (when leads
    /// are given).
    public var leadContainment: Double
    /// Estimated Jaccard similarity of two leads at or above which they are the same lead.
    public var leadSimilarity: Double
    /// Jaccard similarity at or above which two documents match without comparing their leads.
    public var leadCheckCeiling: Double

    /// Creates clustering parameters.
    ///
    /// - Parameters:
    ///   - threshold: Jaccard threshold.
    ///   - bands: LSH bands, or `nil` to derive.
    ///   - rows: Rows per band, or `nil` to derive.
    ///   - leadBands: Extra bands over the lead signature.
    ///   - falsePositiveWeight: Weight of false positives in the derivation.
    ///   - falseNegativeWeight: Weight of false negatives in the derivation.
    ///   - containmentThreshold: Containment threshold.
    ///   - minimumJaccard: Jaccard floor for containment matches.
    ///   - founderThreshold: Jaccard floor against the cluster's founder.
    ///   - maximumBucketScan: Documents examined per bucket.
    ///   - leadContainment: Lead containment required both ways.
    ///   - leadSimilarity: Lead similarity that suffices alone.
    ///   - leadCheckCeiling: Similarity above which leads are not compared.
    public init(
        threshold: Double = ClusteringParameters.defaultThreshold,
        bands: Int? = nil,
        rows: Int? = nil,
        leadBands: Int = 8,
        falsePositiveWeight: Double = 0.5,
        falseNegativeWeight: Double = 0.5,
        containmentThreshold: Double = 0.6,
        minimumJaccard: Double = 0.15,
        founderThreshold: Double = 0.1,
        maximumBucketScan: Int = 256,
        leadContainment: Double = 0.2,
        leadSimilarity: Double = 0.2,
        leadCheckCeiling: Double = 0.8
    ) {
        self.threshold = threshold
        self.bands = bands
        self.rows = rows
        self.leadBands = leadBands
        self.falsePositiveWeight = falsePositiveWeight
        self.falseNegativeWeight = falseNegativeWeight
        self.containmentThreshold = containmentThreshold
        self.minimumJaccard = minimumJaccard
        self.founderThreshold = founderThreshold
        self.maximumBucketScan = maximumBucketScan
        self.leadContainment = leadContainment
        self.leadSimilarity = leadSimilarity
        self.leadCheckCeiling = leadCheckCeiling
    }

    /// Decodes parameters, using the default for every absent key.
    ///
    /// - Parameters:
    ///   - decoder: The decoder to read from.
    /// - Throws: A `DecodingError` when a present key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ClusteringParameters()
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold
        bands = try container.decodeIfPresent(Int.self, forKey: .bands)
        rows = try container.decodeIfPresent(Int.self, forKey: .rows)
        leadBands = try container.decodeIfPresent(Int.self, forKey: .leadBands) ?? defaults.leadBands
        falsePositiveWeight =
            try container.decodeIfPresent(Double.self, forKey: .falsePositiveWeight) ?? defaults.falsePositiveWeight
        falseNegativeWeight =
            try container.decodeIfPresent(Double.self, forKey: .falseNegativeWeight) ?? defaults.falseNegativeWeight
        containmentThreshold =
            try container.decodeIfPresent(Double.self, forKey: .containmentThreshold)
            ?? defaults.containmentThreshold
        minimumJaccard = try container.decodeIfPresent(Double.self, forKey: .minimumJaccard) ?? defaults.minimumJaccard
        founderThreshold =
            try container.decodeIfPresent(Double.self, forKey: .founderThreshold) ?? defaults.founderThreshold
        maximumBucketScan =
            try container.decodeIfPresent(Int.self, forKey: .maximumBucketScan) ?? defaults.maximumBucketScan
        leadContainment =
            try container.decodeIfPresent(Double.self, forKey: .leadContainment) ?? defaults.leadContainment
        leadSimilarity =
            try container.decodeIfPresent(Double.self, forKey: .leadSimilarity) ?? defaults.leadSimilarity
        leadCheckCeiling =
            try container.decodeIfPresent(Double.self, forKey: .leadCheckCeiling) ?? defaults.leadCheckCeiling
    }

    /// The Jaccard similarity the signature's LSH bands must surface candidates at.
    ///
    /// Without lead bands, the lower of the two match paths (``minimumJaccard``, where shared
    /// leads and containment match). With lead bands, those low-similarity copies share their
    /// story's lead, which the lead bands find, so the signature bands aim halfway between
    /// ``minimumJaccard`` and ``threshold``: copies whose leads differ are still found at the
    /// threshold, with about half the bands (28 × 2 instead of 51 × 2 by default), hence about half
    /// the random memory accesses per operation.
    public var candidateThreshold: Double {
        let floor = max(minimumJaccard, 0.05)
        return min(threshold, leadBands > 0 ? (floor + threshold) / 2 : floor)
    }

    /// Checks every value, for signatures of `permutations` values.
    ///
    /// - Parameters:
    ///   - permutations: The signature length.
    /// - Throws: ``ClusteringError`` naming the first bad value.
    public func validate(permutations: Int) throws(ClusteringError) {
        guard threshold > 0, threshold <= 1 else { throw .invalidThreshold(threshold) }
        try Self.checkFraction("containmentThreshold", containmentThreshold)
        try Self.checkFraction("minimumJaccard", minimumJaccard)
        try Self.checkFraction("founderThreshold", founderThreshold)
        try Self.checkFraction("leadContainment", leadContainment)
        try Self.checkFraction("leadSimilarity", leadSimilarity)
        try Self.checkFraction("leadCheckCeiling", leadCheckCeiling)
        guard falsePositiveWeight >= 0, falseNegativeWeight >= 0, falsePositiveWeight + falseNegativeWeight > 0 else {
            throw .invalidParameter(name: "falsePositiveWeight", value: falsePositiveWeight)
        }
        guard leadBands >= 0, leadBands <= 64 else {
            throw .invalidParameter(name: "leadBands", value: Double(leadBands))
        }
        guard maximumBucketScan >= 1 else {
            throw .invalidParameter(name: "maximumBucketScan", value: Double(maximumBucketScan))
        }
        guard permutations >= 1 else {
            throw .invalidBanding(bands: bands, rows: rows, permutations: permutations)
        }
        if let bands, bands < 1 || bands > permutations {
            throw .invalidBanding(bands: bands, rows: rows, permutations: permutations)
        }
        if let rows, rows < 1 || rows > permutations {
            throw .invalidBanding(bands: bands, rows: rows, permutations: permutations)
        }
        if let bands, let rows, bands * rows > permutations {
            throw .invalidBanding(bands: bands, rows: rows, permutations: permutations)
        }
    }

    private static func checkFraction(_ name: String, _ value: Double) throws(ClusteringError) {
        guard value >= 0, value <= 1 else { throw .invalidParameter(name: name, value: value) }
    }

    /// The signature's bands and rows used for `permutations`: explicit values, or the derived
    /// optimum (for ``candidateThreshold``). The ``leadBands`` use the same rows and must fit
    /// in the 64 lead values an index keeps.
    ///
    /// With only one of them given, the other is the largest that fits the permutations.
    ///
    /// - Parameters:
    ///   - permutations: The signature length.
    /// - Returns: Bands and rows.
    /// - Throws: ``ClusteringError`` when the parameters are invalid.
    public func banding(permutations: Int) throws(ClusteringError) -> (bands: Int, rows: Int) {
        let banding = try signatureBanding(permutations: permutations)
        // Lead bands take their rows from the lead signature's first values, of which the index
        // keeps 64.
        guard leadBands * banding.rows <= min(64, permutations) else {
            throw .invalidParameter(name: "leadBands", value: Double(leadBands))
        }
        return banding
    }

    private func signatureBanding(permutations: Int) throws(ClusteringError) -> (bands: Int, rows: Int) {
        try validate(permutations: permutations)
        switch (bands, rows) {
        case (let bands?, let rows?):
            return (bands, rows)
        case (let bands?, nil):
            return (bands, permutations / bands)
        case (nil, let rows?):
            return (permutations / rows, rows)
        case (nil, nil):
            return LSHBanding.optimal(
                threshold: candidateThreshold,
                permutations: permutations,
                falsePositiveWeight: falsePositiveWeight,
                falseNegativeWeight: falseNegativeWeight
            )
        }
    }
}

/// The choice of LSH bands and rows (datasketch `_optimal_param`).
public enum LSHBanding {
    /// The bands × rows minimizing the weighted probabilities of false positives and negatives.
    ///
    /// A pair of similarity s becomes a candidate with probability 1 − (1 − sʳ)ᵇ. The false-positive
    /// area is its integral over [0, t], the false-negative area that of its complement over [t, 1];
    /// every (b, r) with b·r ≤ permutations is tried and the smallest weighted sum wins.
    ///
    /// - Parameters:
    ///   - threshold: The similarity threshold t.
    ///   - permutations: The signature length.
    ///   - falsePositiveWeight: Weight of the false-positive area.
    ///   - falseNegativeWeight: Weight of the false-negative area.
    /// - Returns: The optimal bands and rows.
    public static func optimal(
        threshold: Double,
        permutations: Int,
        falsePositiveWeight: Double = 0.5,
        falseNegativeWeight: Double = 0.5
    ) -> (bands: Int, rows: Int) {
        var best = (bands: 1, rows: max(1, permutations))
        var bestError = Double.infinity
        for bands in 1...max(1, permutations) {
            for rows in 1...max(1, permutations / bands) {
                let falsePositive = integrate(from: 0, to: threshold) { s in
                    1 - pow(1 - pow(s, Double(rows)), Double(bands))
                }
                let falseNegative = integrate(from: threshold, to: 1) { s in
                    pow(1 - pow(s, Double(rows)), Double(bands))
                }
                let error = falsePositive * falsePositiveWeight + falseNegative * falseNegativeWeight
                if error < bestError {
                    bestError = error
                    best = (bands, rows)
                }
            }
        }
        return best
    }

    /// The probability that a pair of Jaccard similarity `similarity` becomes a candidate.
    ///
    /// - Parameters:
    ///   - similarity: The pair's Jaccard similarity.
    ///   - bands: LSH bands.
    ///   - rows: Rows per band.
    /// - Returns: 1 − (1 − sʳ)ᵇ.
    public static func candidateProbability(similarity: Double, bands: Int, rows: Int) -> Double {
        1 - pow(1 - pow(similarity, Double(rows)), Double(bands))
    }

    /// Simpson's rule on 64 intervals (the integrands are smooth).
    private static func integrate(from low: Double, to high: Double, _ function: (Double) -> Double) -> Double {
        guard high > low else { return 0 }
        let intervals = 64
        let step = (high - low) / Double(intervals)
        var sum = function(low) + function(high)
        for index in 1..<intervals {
            sum += function(low + Double(index) * step) * (index % 2 == 1 ? 4 : 2)
        }
        return sum * step / 3
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        // Integer exponents only: repeated squaring, no libm dependency.
        var result = 1.0
        var factor = base
        var remaining = Int(exponent)
        while remaining > 0 {
            if remaining & 1 == 1 { result *= factor }
            factor *= factor
            remaining >>= 1
        }
        return result
    }
}
