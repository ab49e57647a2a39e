import Clustering
import Model
import Testing

struct LSHBandingTests {
    @Test func derivedBandingMatchesDatasketch() {
        // datasketch 2.0.0 `_optimal_param(threshold, 128, 0.5, 0.5)`.
        #expect(LSHBanding.optimal(threshold: 0.15, permutations: 128) == (bands: 51, rows: 2))
        #expect(LSHBanding.optimal(threshold: 0.3, permutations: 128) == (bands: 37, rows: 3))
        #expect(LSHBanding.optimal(threshold: 0.5, permutations: 128) == (bands: 25, rows: 5))
        #expect(LSHBanding.optimal(threshold: 0.8, permutations: 128) == (bands: 9, rows: 13))
    }

    @Test func derivedBandingFitsThePermutations() {
        for threshold in stride(from: 0.1, through: 0.9, by: 0.1) {
            let banding = LSHBanding.optimal(threshold: threshold, permutations: 128)
            #expect(banding.bands * banding.rows <= 128)
            // Pairs well above the threshold are nearly always candidates.
            let probability = LSHBanding.candidateProbability(
                similarity: min(1, threshold + 0.2),
                bands: banding.bands,
                rows: banding.rows
            )
            #expect(probability > 0.9)
        }
    }

    @Test func explicitBandingIsValidated() throws {
        #expect(throws: ClusteringError.invalidBanding(bands: 20, rows: 8, permutations: 128)) {
            try ClusteringParameters(bands: 20, rows: 8).validate(permutations: 128)
        }
        #expect(throws: ClusteringError.invalidThreshold(1.5)) {
            try ClusteringParameters(threshold: 1.5).validate(permutations: 128)
        }
        let banding = try ClusteringParameters(bands: 16).banding(permutations: 128)
        #expect(banding == (bands: 16, rows: 8))
    }

    @Test func leadBandsLetTheSignatureBandsAimBetweenTheTwoMatchPaths() throws {
        // With lead bands (the default), the signature's bands aim halfway between minimumJaccard
        // (0.15) and the threshold (0.25); without, at minimumJaccard.
        let defaults = ClusteringParameters()
        #expect(defaults.leadBands == 8)
        #expect(abs(defaults.candidateThreshold - 0.2) < 1e-9)
        #expect(try defaults.banding(permutations: 128) == (bands: 28, rows: 2))
        #expect(try ClusteringParameters(leadBands: 0).banding(permutations: 128) == (bands: 51, rows: 2))
    }

    @Test func leadBandsAreValidated() throws {
        #expect(throws: ClusteringError.invalidParameter(name: "leadBands", value: -1)) {
            try ClusteringParameters(leadBands: -1).validate(permutations: 128)
        }
        // 33 lead bands of 2 rows need 66 lead values; 64 are kept.
        #expect(throws: ClusteringError.invalidParameter(name: "leadBands", value: 33)) {
            try ClusteringParameters(rows: 2, leadBands: 33).banding(permutations: 128)
        }
        let parameters = SignatureParameters(permutations: 128, seed: 1, shingleSize: 5, schemeVersion: 1)
        #expect(throws: ClusteringError.invalidParameter(name: "leadBands", value: 33)) {
            try ClusterIndex(parameters: ClusteringParameters(rows: 2, leadBands: 33), signatureParameters: parameters)
        }
    }
}
