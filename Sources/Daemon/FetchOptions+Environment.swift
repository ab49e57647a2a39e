import Fetch
import Foundation

extension FetchOptions {
    /// Fills an unset proxy from the usual environment variables, as curl and most HTTP clients do.
    ///
    /// `https_proxy`, then `http_proxy`, then `all_proxy` (lower case first, then upper case) give
    /// the proxy; `no_proxy` / `NO_PROXY` the hosts that bypass it. Values set in the configuration
    /// (file, `SIFT_FETCH_PROXY`, `--set fetch.proxy=…`) win.
    ///
    /// - Parameter environment: The process environment.
    mutating func applyProxyEnvironment(_ environment: [String: String]) {
        func value(_ name: String) -> String? {
            for key in [name, name.uppercased()] {
                if let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                    return value
                }
            }
            return nil
        }
        if proxy == nil {
            proxy = value("https_proxy") ?? value("http_proxy") ?? value("all_proxy")
        }
        if proxy != nil, noProxy == nil {
            noProxy = value("no_proxy")
        }
    }
}
