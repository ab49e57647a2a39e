import Foundation
import Testing

@testable import ClusterStore

struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1_700_000_000, "2023-11-14T22:13:20Z"),
        (1_700_000_000.25, "2023-11-14T22:13:20.250Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"),
        (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
    ])
    func formatsUTCWithZ(seconds: Double, expected: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
        #expect(Timestamp.parse(expected) == Date(timeIntervalSince1970: seconds))
    }

    @Test func millisecondTimesRoundTripExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -2_000_000_000_000...5_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(Timestamp.parse(Timestamp.format(date)) == date)
        }
    }

    @Test func agreesWithFoundationsFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let date = Date(
                timeIntervalSince1970: Double(Int64.random(in: -3_000_000_000...4_000_000_000, using: &generator)))
            #expect(Timestamp.format(date) == formatter.string(from: date))
        }
    }

    @Test(arguments: [
        "", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14T22:13:20+02:00", "2023-13-14T22:13:20Z",
        "2023-11-14T22:13:20.Z", "2023-11-14 22:13:20Z", "abcd-11-14T22:13:20Z",
    ])
    func rejectsWhatItDoesNotWrite(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func acceptsOffsetZeroAndLongFractions() {
        #expect(Timestamp.parse("2023-11-14T22:13:20+00:00") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(Timestamp.parse("2023-11-14T22:13:20.123456Z") == Date(timeIntervalSince1970: 1_700_000_000.123))
        #expect(Timestamp.parse("2023-11-14T22:13:20.5Z") == Date(timeIntervalSince1970: 1_700_000_000.5))
    }
}
