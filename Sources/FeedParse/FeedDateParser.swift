import FoundationEssentials

/// Parses the dates found in feeds: RFC 822 and its many variants, ISO 8601 / RFC 3339 and
/// W3C-DTF, plus common odd forms. Every result is an absolute instant (UTC); a string that
/// cannot be read with confidence gives `nil`, never a guess.
enum FeedDateParser {
    /// Parses a date string from a feed.
    static func parse(_ raw: String) -> Date? { parse(raw, now: Date()) }

    /// Parses a date string from a feed; `now` gives the century of ISO 8601 two-digit years.
    static func parse(_ raw: String, now: Date) -> Date? {
        var text = raw.trimmedFeedText()
        guard !text.isEmpty else { return nil }
        // Drop comments such as "(EST)" at the end of RFC 822 dates.
        if let open = text.firstIndex(of: "("), text.last == ")" {
            text = String(text[..<open]).trimmedFeedText()
        }
        if !text.utf8.allSatisfy({ $0 < 0x80 }) {
            if let korean = koreanToISO(text) { text = korean } else { text = localizedToEnglish(text) }
        }
        var bytes = Array(text.utf8)
        if let expanded = expandingTruncatedISO(bytes, century: century(of: now)) { bytes = expanded }
        if bytes.count >= 4, bytes[0...3].allSatisfy(isDigit) {
            if let date = parseISO(bytes) { return date }
        }
        return parseRFC822(text)
    }

    // MARK: - Localized dates

    /// Month names in Arabic (Egyptian/Gulf and Levantine usage), French, German and Spanish,
    /// longest first so "كانون الثاني" wins over "كانون".
    private static let localizedMonths: [(name: String, month: String)] = {
        let table: [(String, String)] = [
            ("كانون الثاني", "jan"), ("شباط", "feb"), ("آذار", "mar"), ("نيسان", "apr"), ("أيار", "may"),
            ("حزيران", "jun"), ("تموز", "jul"), ("آب", "aug"), ("أيلول", "sep"), ("تشرين الأول", "oct"),
            ("تشرين الثاني", "nov"), ("كانون الأول", "dec"),
            ("يناير", "jan"), ("فبراير", "feb"), ("مارس", "mar"), ("أبريل", "apr"), ("ابريل", "apr"),
            ("إبريل", "apr"), ("مايو", "may"), ("يونيو", "jun"), ("يونية", "jun"), ("يوليو", "jul"),
            ("يوليه", "jul"), ("أغسطس", "aug"), ("اغسطس", "aug"), ("سبتمبر", "sep"), ("أكتوبر", "oct"),
            ("اكتوبر", "oct"), ("نوفمبر", "nov"), ("ديسمبر", "dec"),
            ("janvier", "jan"), ("février", "feb"), ("fevrier", "feb"), ("avril", "apr"), ("juillet", "jul"),
            ("août", "aug"), ("aout", "aug"), ("septembre", "sep"), ("octobre", "oct"), ("novembre", "nov"),
            ("décembre", "dec"), ("decembre", "dec"), ("märz", "mar"), ("oktober", "oct"), ("dezember", "dec"),
            ("enero", "jan"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "apr"), ("mayo", "may"),
            ("junio", "jun"), ("julio", "jul"), ("agosto", "aug"), ("setiembre", "sep"), ("octubre", "oct"),
            ("noviembre", "nov"), ("diciembre", "dec"),
        ]
        return table.sorted { $0.0.count > $1.0.count }
    }()

    /// Single-word month names in French, German and Spanish that the English rules miss.
    private static let localizedMonthWords: [String: Int] = [
        "janvier": 1, "januar": 1, "enero": 1, "février": 2, "fevrier": 2, "februar": 2, "febrero": 2,
        "mars": 3, "märz": 3, "marzo": 3, "avril": 4, "abril": 4, "mai": 5, "mayo": 5, "juin": 6, "juni": 6,
        "junio": 6, "juillet": 7, "juli": 7, "julio": 7, "août": 8, "aout": 8, "agosto": 8, "septembre": 9,
        "septiembre": 9, "setiembre": 9, "octobre": 10, "oktober": 10, "octubre": 10, "novembre": 11,
        "noviembre": 11, "décembre": 12, "decembre": 12, "dezember": 12, "diciembre": 12,
    ]

    /// Arabic weekday names (dropped, like English ones).
    private static let arabicWeekdays = [
        "الأحد", "الاحد", "الإثنين", "الاثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت",
    ]

    /// Hungarian month names, as written between the dashes of an ISO date ("2004-július-13").
    private static let hungarianMonths = [
        "január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember",
        "október", "november", "december",
    ]

    /// Greek month abbreviations (accents removed, lower case): the first letters of the
    /// month's name, with the variants found in feeds.
    private static let greekMonths: [(stem: String, month: String)] = [
        ("ιουν", "jun"), ("ιουλ", "jul"), ("ιον", "jun"), ("ιολ", "jul"), ("ιαν", "jan"), ("φεβ", "feb"),
        ("μαρ", "mar"), ("απρ", "apr"), ("μαι", "may"), ("αυγ", "aug"), ("σεπ", "sep"), ("οκτ", "oct"),
        ("νοε", "nov"), ("δεκ", "dec"),
    ]

    /// Greek weekday abbreviations (accents removed, lower case), dropped like English ones.
    private static let greekWeekdays: Set<String> = ["κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ"]

    /// A Greek word with its tonos and dialytika removed, so "Ιούλ" and "ιουλ" compare equal.
    private static func greekWithoutAccents(_ word: Substring) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            switch scalar {
            case "ά": scalars.append("α")
            case "έ": scalars.append("ε")
            case "ή": scalars.append("η")
            case "ί", "ϊ", "ΐ": scalars.append("ι")
            case "ό": scalars.append("ο")
            case "ύ", "ϋ", "ΰ": scalars.append("υ")
            case "ώ": scalars.append("ω")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Korean blog dates, "2004년 05월 28일 01:31:15" and "2004-05-25 오후 11:23:17" (오전 = am,
    /// 오후 = pm), as ISO 8601 in Korean Standard Time, the zone such dates are written in.
    private static func koreanToISO(_ text: String) -> String? {
        let hasDateWords = text.contains("년") && text.contains("월")
        let afternoon = text.contains("오후")
        let morning = text.contains("오전")
        guard hasDateWords || afternoon || morning else { return nil }
        let numbers = text.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 5 || numbers.count == 6, numbers[0] >= 1000 else { return nil }
        var hour = numbers[3]
        if afternoon, hour < 12 { hour += 12 }
        if morning, hour == 12 { hour = 0 }
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let second = numbers.count == 6 ? numbers[5] : 0
        return "\(numbers[0])-\(twoDigits(numbers[1]))-\(twoDigits(numbers[2]))T\(twoDigits(hour)):"
            + "\(twoDigits(numbers[4])):\(twoDigits(second))+09:00"
    }

    /// Rewrites a non-ASCII date into the English form the parsers read: Arabic-Indic and
    /// Persian digits become ASCII, the Arabic comma a comma, localized month names English
    /// abbreviations (Arabic, French, German, Spanish, Greek; Hungarian inside ISO dates),
    /// Arabic and Greek weekdays disappear and ص / م become am / pm.
    private static func localizedToEnglish(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0660...0x0669: scalars.append(Unicode.Scalar(scalar.value - 0x0660 + 0x30) ?? scalar)
            case 0x06F0...0x06F9: scalars.append(Unicode.Scalar(scalar.value - 0x06F0 + 0x30) ?? scalar)
            case 0x060C: scalars.append(",")
            default: scalars.append(scalar)
            }
        }
        var result = String(scalars).lowercased()
        for weekday in arabicWeekdays { result = result.replacingAll(weekday, with: " ") }
        for (index, name) in hungarianMonths.enumerated() where result.contains("-" + name + "-") {
            let number = index < 9 ? "0\(index + 1)" : "\(index + 1)"
            return result.replacingAll("-" + name + "-", with: "-" + number + "-")
        }
        for (name, month) in localizedMonths where result.contains(name) {
            result = result.replacingAll(name, with: " \(month) ")
        }
        let tokens = result.split(separator: " ").compactMap { token -> String? in
            switch token {
            case "ص": return "am"
            case "م": return "pm"
            default:
                guard let first = token.unicodeScalars.first, (0x0370...0x03FF).contains(first.value) else {
                    return String(token)
                }
                // Greek: "Κυρ, 11 Ιούλ 2004".
                let word = greekWithoutAccents(token.prefix { $0 != "," && $0 != "." })
                if greekWeekdays.contains(String(word.prefix(3))) { return token.hasSuffix(",") ? "," : nil }
                if let (_, month) = greekMonths.first(where: { word.hasPrefix($0.stem) }) { return month }
                return String(token)
            }
        }
        return tokens.joined(separator: " ")
    }

    // MARK: - ISO 8601 / RFC 3339 / W3C-DTF

    /// The complete ("YYYY-MM-DD…") spelling of a date written in one of ISO 8601's obsolete
    /// two-digit-year forms, which leave the century implied: "YYMMDD" and "YY-MM-DD" (a time
    /// may follow), "-YYMM" and "-YY-MM" (a month, nothing after it). The implied century is
    /// the current one, as ISO 8601 has it ("93" is 2093). Also the month with a leading zero
    /// that Google's feeds once wrote, "2003-012-31": three digits and then a day cannot be a
    /// day of the year; and ordinal dates, "2003-335" and "2003335" (an impossible day of the
    /// year gives an empty, unparseable spelling). `nil` for anything else.
    private static func expandingTruncatedISO(_ bytes: [UInt8], century: Int) -> [UInt8]? {
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= bytes.count && bytes[range].allSatisfy(isDigit) }
        func byte(_ index: Int, is character: Unicode.Scalar) -> Bool {
            index < bytes.count && bytes[index] == UInt8(ascii: character)
        }
        // A time (or nothing) after a date: "T10:14", " 10:14", the end.
        func timeOrEnd(_ index: Int) -> Bool {
            index == bytes.count || byte(index, is: "T") || byte(index, is: "t") || byte(index, is: " ")
        }
        let centuryDigits = Array(String(century / 100).utf8)
        guard centuryDigits.count == 2 else { return nil }
        let dash = UInt8(ascii: "-")
        if digits(0..<6), timeOrEnd(6) {
            // YYMMDD
            return centuryDigits + bytes[0..<2] + [dash] + bytes[2..<4] + [dash] + bytes[4...]
        }
        if digits(0..<2), byte(2, is: "-"), digits(3..<5), byte(5, is: "-"), digits(6..<8), timeOrEnd(8) {
            // YY-MM-DD
            return centuryDigits + bytes
        }
        if byte(0, is: "-"), digits(1..<3) {
            // -YYMM, -YY-MM
            if bytes.count == 5, digits(3..<5) { return centuryDigits + bytes[1..<3] + [dash] + bytes[3..<5] }
            if bytes.count == 6, byte(3, is: "-"), digits(4..<6) { return centuryDigits + bytes[1...] }
            return nil
        }
        if digits(0..<4), byte(4, is: "-"), byte(5, is: "0"), digits(6..<8), byte(8, is: "-"), digits(9..<11) {
            // YYYY-0MM-DD
            return Array(bytes[0..<5]) + bytes[6...]
        }
        // YYYY-DDD, YYYYDDD: a day of the year.
        let ordinalStart = byte(4, is: "-") ? 5 : 4
        if digits(0..<4), digits(ordinalStart..<ordinalStart + 3), timeOrEnd(ordinalStart + 3),
            let year = Int(String(decoding: bytes[0..<4], as: UTF8.self)),
            var day = Int(String(decoding: bytes[ordinalStart..<ordinalStart + 3], as: UTF8.self))
        {
            var month = 1
            while month <= 12, day > daysIn(month, year) {
                day -= daysIn(month, year)
                month += 1
            }
            guard day >= 1, month <= 12 else { return [] }
            let monthDay = (month < 10 ? "0\(month)" : "\(month)") + (day < 10 ? "-0\(day)" : "-\(day)")
            return Array(bytes[0..<4]) + [dash] + Array(monthDay.utf8) + bytes[(ordinalStart + 3)...]
        }
        return nil
    }

    /// The first year of the century `date` falls in (2000 for 2026), in UTC.
    private static func century(of date: Date) -> Int {
        // Days since 1970-01-01 to a civil year (H. Hinnant's algorithm, the inverse of daysFromCivil).
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let year = yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
        return year / 100 * 100
    }

    private static func parseISO(_ bytes: [UInt8]) -> Date? {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.number(digits: 4) else { return nil }
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset = 0
        let separator = cursor.peek
        let hasSeparator =
            separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/")
            || separator == UInt8(ascii: ".")
        if hasSeparator { cursor.advance() }
        // Without separators ("20031231") the month and day have two digits each.
        let minDigits = hasSeparator ? 1 : 2
        if !cursor.atEnd {
            guard let parsedMonth = cursor.number(minDigits: minDigits, maxDigits: 2) else { return nil }
            month = parsedMonth
            if let next = cursor.peek, hasSeparator, next == separator { cursor.advance() }
            if !cursor.atEnd, let next = cursor.peek, isDigit(next) {
                guard let parsedDay = cursor.number(minDigits: minDigits, maxDigits: 2) else { return nil }
                day = parsedDay
            }
        }
        var hasTime = false
        if let next = cursor.peek, next == UInt8(ascii: "T") || next == UInt8(ascii: "t") || next == 0x20 {
            cursor.advance()
            while cursor.peek == 0x20 { cursor.advance() }
            if let digit = cursor.peek, isDigit(digit) {
                guard let parsedHour = cursor.number(minDigits: 1, maxDigits: 2) else { return nil }
                hour = parsedHour
                hasTime = true
                if cursor.peek == UInt8(ascii: ":") { cursor.advance() }
                guard let parsedMinute = cursor.number(digits: 2) else { return nil }
                minute = parsedMinute
                if cursor.peek == UInt8(ascii: ":") { cursor.advance() }
                if let digit = cursor.peek, isDigit(digit) {
                    guard let parsedSecond = cursor.number(digits: 2) else { return nil }
                    second = parsedSecond
                }
                if cursor.peek == UInt8(ascii: ".") || cursor.peek == UInt8(ascii: ",") {
                    cursor.advance()
                    var scale = 0.1
                    while let digit = cursor.peek, isDigit(digit) {
                        fraction += Double(digit - 0x30) * scale
                        scale /= 10
                        cursor.advance()
                    }
                }
            }
        }
        while cursor.peek == 0x20 { cursor.advance() }
        if !cursor.atEnd {
            // A numeric offset needs a time: "2013-01-27-01" is not a date with a zone.
            if !hasTime, cursor.peek == UInt8(ascii: "+") || cursor.peek == UInt8(ascii: "-") { return nil }
            guard let zone = zoneOffset(String(decoding: cursor.rest, as: UTF8.self)) else { return nil }
            offset = zone
        }
        return makeDate(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: fraction, offset: offset
        )
    }

    // MARK: - RFC 822 and variants

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    private static func parseRFC822(_ text: String) -> Date? {
        var tokens: [String] = []
        for piece in text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            tokens.append(String(piece))
        }
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        var offset: Int?
        var meridiem: String?
        var index = 0
        while index < tokens.count {
            var token = tokens[index]
            index += 1
            if token.hasSuffix(".") { token.removeLast() }
            guard let first = token.unicodeScalars.first else { continue }
            if token.utf8.contains(UInt8(ascii: ":")), time == nil, first.properties.numericType != nil {
                // A time, possibly with a zone glued on: "10:00:00gmt", "10:00+0100".
                var timePart = Substring(token)
                if let zoneStart = token.firstIndex(where: { $0 == "+" || $0 == "-" || $0.isLetter }) {
                    timePart = token[..<zoneStart]
                    let zonePart = String(token[zoneStart...])
                    if zonePart == "am" || zonePart == "pm" {
                        meridiem = zonePart
                    } else {
                        offset = zoneOffset(zonePart)
                    }
                }
                guard let parsed = parseTime(timePart) else { return nil }
                time = parsed
                continue
            }
            if token == "-" || token == "–" { continue }
            if token.hasPrefix("etc/"), let zone = zoneOffset(token) {
                offset = zone
                continue
            }
            if first == "+" || first == "-" {
                guard let zone = zoneOffset(token) else { return nil }
                offset = zone
                continue
            }
            if token.utf8.allSatisfy(isDigit) {
                guard let value = Int(token) else { return nil }
                if token.count >= 3 || (day != nil && year == nil) || (month == nil && day != nil) {
                    guard year == nil else { return nil }
                    year =
                        token.count == 2
                        ? (value < 50 ? 2000 + value : 1900 + value)
                        : (token.count == 3 ? 1900 + value : value)
                } else if day == nil {
                    day = value
                } else {
                    return nil
                }
                continue
            }
            if token.utf8.allSatisfy(isLetterByte) {
                let prefix = String(token.prefix(3))
                if token.count >= 3, let monthIndex = months.firstIndex(of: prefix), month == nil,
                    isMonthName(token, prefix: prefix)
                {
                    month = monthIndex + 1
                } else if month == nil, let localized = localizedMonthWords[token] {
                    month = localized
                } else if token.count >= 3, weekdays.contains(prefix) {
                    continue
                } else if token == "am" || token == "pm" {
                    meridiem = token
                } else if (token == "at" && time == nil) || token == "the" {
                    // "Dec 31 at 10:00"; after the time, "AT" is Atlantic time.
                    continue
                } else if let zone = zoneOffset(token) {
                    // "GMT+0100": a named zone followed by an explicit offset wins.
                    if offset == nil { offset = zone }
                } else {
                    return nil
                }
                continue
            }
            if let signIndex = token.firstIndex(where: { $0 == "+" || $0 == "-" }), signIndex != token.startIndex,
                token[..<signIndex].allSatisfy(\.isLetter), zoneOffset(String(token[..<signIndex])) != nil
            {
                guard let zone = zoneOffset(String(token[signIndex...])) else { return nil }
                offset = zone
                continue
            }
            if let dayValue = ordinalDay(token), day == nil {
                day = dayValue
                continue
            }
            if day == nil, month == nil, year == nil, case let parts = token.split(separator: "/"), parts.count == 3,
                parts[0].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isDigit) })
            {
                // Perforce style: "Fri, 2006/09/15 08:19:53 EDT".
                year = Int(parts[0])
                month = Int(parts[1])
                day = Int(parts[2])
                continue
            }
            return nil
        }
        guard let day, let month, let year else { return nil }
        var clock = time ?? (0, 0, 0)
        if let meridiem {
            guard clock.hour >= 1 && clock.hour <= 12 else { return nil }
            if meridiem == "pm" && clock.hour < 12 { clock.hour += 12 }
            if meridiem == "am" && clock.hour == 12 { clock.hour = 0 }
        }
        return makeDate(
            year: year, month: month, day: day, hour: clock.hour, minute: clock.minute, second: clock.second,
            fraction: 0, offset: offset ?? 0
        )
    }

    private static let fullMonths = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    private static func isMonthName(_ token: String, prefix: String) -> Bool {
        if token.count == 3 { return true }
        if token == "sept" { return true }
        return fullMonths.contains(token)
    }

    private static func ordinalDay(_ token: String) -> Int? {
        for suffix in ["st", "nd", "rd", "th"] where token.hasSuffix(suffix) {
            let number = token.dropLast(2)
            if !number.isEmpty, number.count <= 2, let value = Int(number) { return value }
        }
        return nil
    }

    private static func parseTime(_ text: Substring) -> (hour: Int, minute: Int, second: Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        guard let hour = Int(parts[0]), let minute = Int(parts[1]), parts[0].count <= 2, parts[1].count == 2 else {
            return nil
        }
        var second = 0
        if parts.count == 3 {
            let secondText = parts[2].split(separator: ".").first ?? ""
            guard let value = Int(secondText), secondText.count <= 2 else { return nil }
            second = value
        }
        return (hour, minute, second)
    }

    // MARK: - Zones

    /// Offsets in minutes east of UTC for the zone names seen in feeds. Military letters follow
    /// RFC 822 as written (A = −1 … M = −12, N = +1 … Y = +12, Z = 0).
    private static let namedZones: [String: Int] = {
        var zones: [String: Int] = [
            "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
            "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
            "pst": -480, "pdt": -420, "ast": -240, "adt": -180, "akst": -540, "akdt": -480,
            "hst": -600, "nst": -210, "ndt": -150, "etc/gmt": 0, "etc/utc": 0,
            // US generic names (standard time, as feedparser reads them).
            "at": -240, "et": -300, "ct": -360, "mt": -420, "pt": -480,
            "bst": 60, "cet": 60, "met": 60, "west": 60, "cest": 120, "mest": 120, "eet": 120, "eest": 180,
            "msk": 180, "ist": 330, "pkt": 300, "ict": 420, "wib": 420, "sgt": 480, "hkt": 480, "awst": 480,
            "jst": 540, "kst": 540, "acst": 570, "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
        ]
        let letters = Array("abcdefghiklm")
        for (index, letter) in letters.enumerated() { zones[String(letter)] = -60 * (index + 1) }
        for (index, letter) in Array("nopqrstuvwxy").enumerated() { zones[String(letter)] = 60 * (index + 1) }
        return zones
    }()

    /// Minutes → seconds east of UTC for "+0100", "-05:00", "+05", "Z", "GMT", "EST", "UTC+2".
    static func zoneOffset(_ raw: String) -> Int? {
        let text = raw.lowercased()
        if let minutes = namedZones[text] { return minutes * 60 }
        var scalars = Array(text.utf8)
        guard let sign = scalars.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            for name in ["utc", "gmt"] where text.hasPrefix(name) && text.count > name.count {
                return zoneOffset(String(text.dropFirst(name.count)))
            }
            return nil
        }
        scalars.removeFirst()
        scalars.removeAll { $0 == UInt8(ascii: ":") }
        guard !scalars.isEmpty, scalars.count <= 4, scalars.allSatisfy(isDigit) else { return nil }
        let value = Int(String(decoding: scalars, as: UTF8.self)) ?? 0
        let hours: Int
        let minutes: Int
        if scalars.count <= 2 {
            hours = value
            minutes = 0
        } else {
            hours = value / 100
            minutes = value % 100
        }
        guard hours <= 14, minutes < 60 else { return nil }
        let total = (hours * 60 + minutes) * 60
        return sign == UInt8(ascii: "-") ? -total : total
    }

    // MARK: - Calendar arithmetic

    private static func makeDate(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double, offset: Int
    ) -> Date? {
        guard (1..<10_000).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month, year),
            (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        if hour == 24 && (minute != 0 || second != 0) { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// ASCII letters, and any byte of a non-ASCII letter (month names such as "märz").
    private static func isLetterByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte >= 0x80
    }

    /// A read position in an ASCII string.
    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }
        var rest: ArraySlice<UInt8> { bytes[index...] }

        mutating func advance() { index += 1 }

        mutating func number(digits: Int) -> Int? { number(minDigits: digits, maxDigits: digits) }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maxDigits, let byte = peek, byte >= 0x30 && byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                count += 1
                index += 1
            }
            return count >= minDigits ? value : nil
        }
    }
}

extension String {
    /// The string with every occurrence of `target` replaced (no Foundation needed).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
