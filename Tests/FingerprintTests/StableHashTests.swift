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

    /// Values from an independent implementation of the documented construction (every length
    /// branch: empty, 1–3, 4–7, 8–16, more than 16 bytes).
    @Test(arguments: [
        ("", UInt64(0xA076_1D64_78BD_642F)),
        ("a", UInt64(0x6CF8_4E5A_2465_E867)),
        ("abc", UInt64(0xB480_8DF2_2D44_FFCF)),
        ("خبر", UInt64(0xD144_F6E6_2EB4_ED3B)),
        ("abcde", UInt64(0x4908_F54B_787F_5CED)),
        ("الرياض", UInt64(0xB87C_3839_0017_8E9C)),
        ("abcdefghijklmnop", UInt64(0xDDFF_A38E_ED08_930F)),
        ("abcdefghijklmnopq", UInt64(0x8CD5_A4CE_274C_DC75)),
        ("Nobody inspects the spammish repetition", UInt64(0xDFBB_2E4B_66DA_65F9)),
    ])
    func tokenHashMatchesTheDocumentedConstruction(input: String, expected: UInt64) {
        var copy = input
        let hash = copy.withUTF8 { StableHash.tokenHash(UnsafeRawBufferPointer($0)) }
        #expect(hash == expected)
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
