import Fingerprint
import Testing

struct StableHashTests {
    @Test(arguments: [
        ("", UInt64(0xEF46_DB37_51D8_E999)),
        ("abc", UInt64(0x44BC_2CF5_AD77_0999)),
        ("Nobody inspects the spammish repetition", UInt64(0xFBCE_A83C_8A37_8BF1)),
    ])
    func xxh64MatchesTheReferenceValues(input: String, expected: UInt64) {
        #expect(StableHash.xxh64(input) == expected)
    }

    @Test func combineDependsOnOrder() {
        let forward: [UInt64] = [1, 2, 3]
        let backward: [UInt64] = [3, 2, 1]
        let a = forward.withUnsafeBufferPointer { StableHash.combine($0) }
        let b = backward.withUnsafeBufferPointer { StableHash.combine($0) }
        #expect(a != b)
        #expect(a == forward.withUnsafeBufferPointer { StableHash.combine($0) })
    }
}
