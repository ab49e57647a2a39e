/// Resolves relative references against a base URL (RFC 3986 section 5.2), without touching
/// the network or percent-encoding anything the feed did not.
enum URLResolver {
    /// `reference` made absolute against `base`; unchanged when it is already absolute or when
    /// there is no usable base (none, or one whose scheme runs code, such as `javascript:`).
    static func resolve(_ reference: String, against base: String?) -> String {
        let reference = reference.trimmedFeedText()
        if hasScheme(reference) { return reference }
        guard let base, !HTMLSanitizer.isDangerousURL(base), let parsedBase = Parts(base), parsedBase.scheme != nil
        else { return reference }
        let scheme = parsedBase.scheme ?? ""
        if reference.hasPrefix("//") { return scheme + ":" + reference }
        guard let ref = Parts(reference) else { return reference }
        var path: String
        var query: String?
        let authority = parsedBase.authority
        if ref.path.isEmpty {
            path = parsedBase.path
            query = ref.query ?? parsedBase.query
        } else {
            if ref.path.hasPrefix("/") {
                path = removeDotSegments(ref.path)
            } else if authority != nil && parsedBase.path.isEmpty {
                path = removeDotSegments("/" + ref.path)
            } else {
                let directory = parsedBase.path.lastIndex(of: "/").map { String(parsedBase.path[...$0]) } ?? ""
                path = removeDotSegments(directory + ref.path)
            }
            query = ref.query
        }
        var result = scheme + ":"
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment = ref.fragment { result += "#" + fragment }
        return result
    }

    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter else { return false }
        return scheme.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
        }
    }

    private struct Parts {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?
        var fragment: String?

        init?(_ text: String) {
            var rest = Substring(text)
            if let hash = rest.firstIndex(of: "#") {
                fragment = String(rest[rest.index(after: hash)...])
                rest = rest[..<hash]
            }
            if let question = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: question)...])
                rest = rest[..<question]
            }
            if URLResolver.hasScheme(String(rest)), let colon = rest.firstIndex(of: ":") {
                scheme = rest[..<colon].lowercased()
                rest = rest[rest.index(after: colon)...]
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                authority = String(rest[..<end])
                rest = rest[end...]
            }
            path = String(rest)
        }
    }

    private static func removeDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if segment == "." {
                if isLast { output.append("") }
            } else if segment == ".." {
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            } else {
                output.append(segment)
            }
        }
        var result = output.joined(separator: "/")
        if path.hasPrefix("/") && !result.hasPrefix("/") { result = "/" + result }
        return result
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension StringProtocol {
    /// The text with surrounding whitespace (including no-break spaces) removed.
    func trimmedFeedText() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return String(self) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return String(self[start..<end])
    }

    /// The text with runs of whitespace collapsed to one space and the ends trimmed.
    func collapsingWhitespace() -> String {
        var view = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in unicodeScalars {
            // ASCII whitespace only: a no-break or typographic space is content.
            if scalar.value == 0x20 || (scalar.value >= 0x09 && scalar.value <= 0x0D) {
                pendingSpace = !view.isEmpty
            } else {
                if pendingSpace { view.append(" ") }
                pendingSpace = false
                view.append(scalar)
            }
        }
        return String(view)
    }
}
