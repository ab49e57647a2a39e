import Foundation
import Testing

@testable import FeedParse

struct FeedDateParserTests {
    @Test(
        arguments: [
            // RFC 822 / 2822 and variants.
            ("Tue, 03 Jun 2003 09:39:21 GMT", "2003-06-03T09:39:21Z"),
            ("Thu, 01 Jan 2004 19:48:21 -0500", "2004-01-02T00:48:21Z"),
            ("01 Jan 2004 19:48:21 +0100", "2004-01-01T18:48:21Z"),
            ("Thu, 1 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
            ("Thu, 01 Jan 2004 19:48 GMT", "2004-01-01T19:48:00Z"),
            ("Thu 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
            ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"),
            ("Fri, 01 Jan 99 00:00:00 GMT", "1999-01-01T00:00:00Z"),
            ("Wed, 31 Dec 2003 10:14:55 EST", "2003-12-31T15:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 PDT", "2003-12-31T17:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 CEST", "2003-12-31T08:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 Z", "2003-12-31T10:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 A", "2003-12-31T11:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 N", "2003-12-31T09:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 +05:30", "2003-12-31T04:44:55Z"),
            ("Wed, 31 Dec 2003 10:14:55 GMT+0100", "2003-12-31T09:14:55Z"),
            ("Wed, 31 Dec 2003 10:14:55", "2003-12-31T10:14:55Z"),
            ("Wed, 31 December 2003 10:14:55 GMT", "2003-12-31T10:14:55Z"),
            ("Sept 5 2003 10:14:55 GMT", "2003-09-05T10:14:55Z"),
            ("Dec 31, 2003 10:14 PM EST", "2004-01-01T03:14:00Z"),
            ("Thu, 01 Jan 2004 19:48:21 -0500 (EST)", "2004-01-02T00:48:21Z"),
            ("Wed,31 Dec 2003 10:14:55 GMT", "2003-12-31T10:14:55Z"),
            ("Mon, 26 January 2004 16:31:00 AT", "2004-01-26T20:31:00Z"),
            ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z"),
            ("Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00Z"),
            ("Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00Z"),
            ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z"),
            ("31 Dec 2003", "2003-12-31T00:00:00Z"),
            // ISO 8601 / RFC 3339 / W3C-DTF.
            ("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"),
            ("2003-12-31T10:14:55.123-08:00", "2003-12-31T18:14:55Z"),
            ("2003-12-31T10:14:55+0100", "2003-12-31T09:14:55Z"),
            ("2003-12-31T10:14Z", "2003-12-31T10:14:00Z"),
            ("2003-12-31t10:14:55z", "2003-12-31T10:14:55Z"),
            ("2003-12-31 10:14:55", "2003-12-31T10:14:55Z"),
            ("2003-12-31 10:14:55 +02:00", "2003-12-31T08:14:55Z"),
            ("2003-12-31", "2003-12-31T00:00:00Z"),
            ("2003-12", "2003-12-01T00:00:00Z"),
            ("2003", "2003-01-01T00:00:00Z"),
            ("20031231T101455Z", "2003-12-31T10:14:55Z"),
            ("2003/12/31 10:14:55", "2003-12-31T10:14:55Z"),
            ("  2004-02-29T00:00:00Z  ", "2004-02-29T00:00:00Z"),
            // Localized: Arabic (Egyptian/Gulf and Levantine month names, Arabic-Indic digits), French, German.
            ("الثلاثاء، 03 يونيو 2003 09:39:21 GMT", "2003-06-03T09:39:21Z"),
            ("٠٣ حزيران ٢٠٠٣ ٠٩:٣٩ +0300", "2003-06-03T06:39:00Z"),
            ("3 كانون الثاني 2004", "2004-01-03T00:00:00Z"),
            ("الخميس 1 يناير 2004 - 10:30 م", "2004-01-01T22:30:00Z"),
            ("lun., 5 mai 2008 10:05:00 +0200", nil),
            ("5 mai 2008 10:05:00 +0200", "2008-05-05T08:05:00Z"),
            ("5. März 2008 10:05", "2008-03-05T10:05:00Z"),
            ("Thursday, March 24, 2011 - 10:00", "2011-03-24T10:00:00Z"),
            // Greek (weekday and month abbreviations, accented or not), Hungarian month inside ISO.
            ("Τετ, 05 Μάρ 2008 10:05:00 +0200", "2008-03-05T08:05:00Z"),
            ("Σαβ, 20 Δεκ 2008 23:00:00 GMT", "2008-12-20T23:00:00Z"),
            ("2008-március-05T10:05+01:00", "2008-03-05T09:05:00Z"),
            // Korean blog software: Korean Standard Time, 오전 / 오후 for am / pm.
            ("2008년 03월 05일 10:05:00", "2008-03-05T01:05:00Z"),
            ("2008-03-05 오후 02:05:00", "2008-03-05T05:05:00Z"),
            ("2008-03-05 오전 12:30:00", "2008-03-04T15:30:00Z"),
        ] as [(String, String?)])
    func parsesRealWorldFormats(text: String, expected: String?) {
        #expect(Fixture.iso(FeedDateParser.parse(text)) == expected)
    }

    /// ISO 8601's obsolete two-digit-year forms leave the century implied: the current one.
    @Test(
        arguments: [
            ("031231", "2003-12-31T00:00:00Z"),
            ("03-12-31", "2003-12-31T00:00:00Z"),
            ("031231T10:14:55Z", "2003-12-31T10:14:55Z"),
            ("03-12-31T10:14:55-05:00", "2003-12-31T15:14:55Z"),
            ("-0312", "2003-12-01T00:00:00Z"),
            ("-03-12", "2003-12-01T00:00:00Z"),
            ("93-01-02", "2093-01-02T00:00:00Z"),
            // A month written with a leading zero, followed by a day.
            ("2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55Z"),
            // Not these forms.
            ("03-13-31", nil), ("-0313", nil), ("-03-12T10:00", nil), ("031231Z", nil), ("2003-013-01", nil),
        ] as [(String, String?)])
    func readsTwoDigitYearISODatesInTheCurrentCentury(text: String, expected: String?) {
        // 2026-12-03T00:00:00Z.
        let now = Date(timeIntervalSince1970: 1_796_256_000)
        #expect(Fixture.iso(FeedDateParser.parse(text, now: now)) == expected)
    }

    @Test(
        arguments: [
            ("2003-012", "2003-01-12T00:00:00Z"), ("2003335", "2003-12-01T00:00:00Z"),
            ("2004-366T10:00Z", "2004-12-31T10:00:00Z"), ("2003-366", nil), ("2003-000", nil),
        ] as [(String, String?)])
    func readsOrdinalDates(text: String, expected: String?) {
        #expect(Fixture.iso(FeedDateParser.parse(text)) == expected)
    }

    @Test func theImpliedCenturyFollowsTheClock() {
        // 2100-01-01T00:00:00Z and 1999-12-31T23:59:59Z.
        #expect(
            Fixture.iso(FeedDateParser.parse("031231", now: Date(timeIntervalSince1970: 4_102_444_800)))
                == "2103-12-31T00:00:00Z")
        #expect(
            Fixture.iso(FeedDateParser.parse("031231", now: Date(timeIntervalSince1970: 946_684_799)))
                == "1903-12-31T00:00:00Z")
    }

    @Test(arguments: [
        "", "not a date", "2003-13-01", "2003-02-30T00:00:00Z", "Wed, 32 Dec 2003 10:14:55 GMT",
        "Wed, 31 Foo 2003 10:14:55 GMT", "2003-12-31T25:00:00Z", "yesterday", "12/31/2003",
        "Wed, 31 Dec 2003 10:14:55 XYZ", "22013", "2013-01-27-01",
        // "YYDDD" (a day of a two-digit year) cannot be told from a five-digit year.
        "03335",
    ])
    func unparseableTextGivesNoDate(text: String) {
        #expect(FeedDateParser.parse(text) == nil)
    }
}
