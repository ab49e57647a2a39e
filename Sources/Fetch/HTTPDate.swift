import Glibc

/// HTTP date parsing for `Retry-After` and `Expires`.
enum HTTPDate {
    /// Seconds since the epoch for an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), also
    /// accepting the RFC 850 form with dashes (`Sunday, 06-Nov-94 08:49:37 GMT`).
    static func parse(_ text: String) -> Int? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "-" })
        guard fields.count == 6, fields[5] == "GMT" else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let clock = fields[4].split(separator: ":")
        guard let day = Int32(fields[1]), let month = months.firstIndex(of: fields[2].lowercased()),
            var year = Int32(fields[3]), clock.count == 3,
            let hour = Int32(clock[0]), let minute = Int32(clock[1]), let second = Int32(clock[2])
        else { return nil }
        if year < 100 { year += year < 70 ? 2000 : 1900 }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = Int32(month)
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int(timegm(&parts))
    }

    /// Seconds since the epoch now.
    static func now() -> Int {
        Int(time(nil))
    }
}
