import Curl

/// Puts article and feed URLs in one canonical form, so one article is stored once.
public enum URLCanonicalizer {
    /// Query parameters that only track the visit.
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "_hsenc", "_hsmi", "mkt_tok", "oly_enc_id", "oly_anon_id", "vero_id", "vero_conv", "_ga", "_gl",
        "ncid", "cmpid", "sr_share", "ref_src", "ref_url", "wt_mc", "__twitter_impression",
    ]

    /// Prefixes of query parameters that only track the visit.
    static let trackingPrefixes = ["utm_", "mc_", "pk_", "piwik_", "matomo_", "hsa_"]

    /// The canonical form of `url`.
    ///
    /// Resolves `url` against `base` when it is relative, lower-cases scheme and host, drops the
    /// default port, the fragment and tracking parameters (`utm_*`, `mc_*`, `fbclid`, `gclid`, …),
    /// keeps the other parameters in their order, and drops an empty query.
    ///
    /// - Parameters:
    ///   - url: An absolute or relative URL (surrounding whitespace is ignored).
    ///   - base: The URL `url` is relative to, if any.
    /// - Returns: The canonical absolute `http`/`https` URL, or `nil` when `url` cannot be parsed
    ///   or has another scheme.
    public static func canonicalize(_ url: String, relativeTo base: String? = nil) -> String? {
        let cleaned = url.trimmingWhitespace().replacingSpaces()
        guard !cleaned.isEmpty else { return nil }
        let absolute: String?
        if let base {
            absolute = CurlURL.resolve(cleaned, relativeTo: base.trimmingWhitespace().replacingSpaces())
        } else {
            absolute = CurlURL.resolve(cleaned, relativeTo: nil)
        }
        guard let absolute, let parts = CurlURL.parse(absolute) else { return nil }
        let scheme = parts.scheme.lowercased()
        guard scheme == "http" || scheme == "https", !parts.host.isEmpty else { return nil }
        var out = scheme + "://"
        if let user = parts.user {
            out += user
            if let password = parts.password { out += ":" + password }
            out += "@"
        }
        out += parts.host.lowercased()
        if let port = parts.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
            out += ":\(port)"
        }
        out += parts.path.isEmpty ? "/" : parts.path
        if let query = parts.query {
            let kept = query.split(separator: "&", omittingEmptySubsequences: true).filter { pair in
                let name = (pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "").lowercased()
                return !trackingParameters.contains(name) && !trackingPrefixes.contains { name.hasPrefix($0) }
            }
            if !kept.isEmpty { out += "?" + kept.joined(separator: "&") }
        }
        return out
    }
}

extension String {
    fileprivate func replacingSpaces() -> String {
        guard contains(" ") else { return self }
        return split(separator: " ", omittingEmptySubsequences: false).joined(separator: "%20")
    }
}
