import Configuration
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The configuration sources in precedence order: `--set` overrides, then `SIFT_*` environment
/// variables, then the YAML file; the built-in defaults are the `Codable` defaults the layers are
/// overlaid onto.
///
/// Every leaf is read as text and converted here, so a wrong type is reported with its key and a
/// fix instead of being silently replaced by the default.
struct ConfigLayers: Sendable {
    /// The type a key whose default is `null` takes.
    enum Kind: Sendable {
        case string
        case int
        case double
        case bool
    }

    let reader: ConfigReader
    /// The file that was read, if any.
    let filePath: String?
    /// The `--set` overrides, keyed by configuration key.
    let overrides: [String: String]

    /// Builds the layers.
    ///
    /// - Parameters:
    ///   - configFile: The `--config` path: it must exist. `nil` reads `defaultFile` when it exists.
    ///   - defaultFile: The file read when no `--config` is given, if it exists.
    ///   - environment: The process environment (`SIFT_` prefix).
    ///   - overrides: `key=value` texts from `--set` and the dedicated flags.
    init(
        configFile: String?,
        defaultFile: String?,
        environment: [String: String],
        overrides: [String]
    ) async throws(DaemonError) {
        var parsed: [String: String] = [:]
        for text in overrides {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .malformedOverride(text)
            }
            let key = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
            parsed[key] = String(text[text.index(after: equals)...])
        }
        self.overrides = parsed

        var path: String?
        if let configFile {
            guard Self.fileExists(configFile) else { throw .configFileNotFound(path: configFile) }
            path = configFile
        } else if let defaultFile, Self.fileExists(defaultFile) {
            path = defaultFile
        }
        self.filePath = path

        var providers: [any ConfigProvider] = []
        let overrideVariables = Dictionary(
            parsed.map { (Self.environmentName(forKey: $0.key, prefix: nil), $0.value) },
            uniquingKeysWith: { _, last in last }
        )
        providers.append(EnvironmentVariablesProvider(environmentVariables: overrideVariables))
        let siftVariables = environment.filter { $0.key.hasPrefix("SIFT_") }
        providers.append(EnvironmentVariablesProvider(environmentVariables: siftVariables).prefixKeys(with: "sift"))
        if let path {
            guard access(path, R_OK) == 0 else {
                throw .configFileUnreadable(path: path, message: "permission denied")
            }
            do {
                let pathReader = ConfigReader(
                    provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(path), isSecret: false)])
                )
                providers.append(try await FileProvider<YAMLSnapshot>(config: pathReader))
            } catch {
                throw .configFileUnreadable(path: path, message: Self.oneLine("\(error)"))
            }
        }
        self.reader = ConfigReader(providers: providers)
    }

    /// The environment variable name of a key: `fetch.total_timeout_seconds` → `SIFT_FETCH_TOTAL_TIMEOUT_SECONDS`.
    ///
    /// - Parameters:
    ///   - key: The dotted configuration key.
    ///   - prefix: `SIFT` for the process environment, `nil` for the internal override layer.
    /// - Returns: The variable name.
    static func environmentName(forKey key: String, prefix: String? = "SIFT") -> String {
        let body = String(
            key.uppercased().unicodeScalars.map { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            }
        )
        return prefix.map { "\($0)_\(body)" } ?? body
    }

    /// Overlays every layer onto the defaults of a `Codable` value and decodes the result.
    ///
    /// - Parameters:
    ///   - defaults: The built-in defaults.
    ///   - optionalKeys: Keys whose default is `nil` (so absent from the encoded defaults), with their kinds.
    ///   - arrayOfObjects: For an array key whose elements are objects, the element field a string fills.
    /// - Returns: The merged value and the list of every key it knows.
    /// - Throws: ``DaemonError/invalidValue(key:value:fix:)`` for a value of the wrong type,
    ///   ``DaemonError/unknownKey(key:)`` for a `--set` key that does not exist.
    func resolve<T: Codable>(
        _ defaults: T,
        optionalKeys: [String: Kind],
        arrayOfObjects: [String: String]
    ) throws(DaemonError) -> (value: T, keys: [String]) {
        let tree: ConfigValueTree
        do {
            tree = try JSONDecoder().decode(ConfigValueTree.self, from: JSONEncoder().encode(defaults))
        } catch {
            throw .invalidValue(key: "(defaults)", value: "", fix: "internal encoding failure: \(error)")
        }
        var withOptionals = tree
        for key in optionalKeys.keys {
            withOptionals = Self.inserting(.null, at: key.split(separator: ".").map(String.init), into: withOptionals)
        }
        var keys: [String] = []
        var origins: [String: String] = [:]
        let merged = try overlay(
            withOptionals,
            path: [],
            optionalKeys: optionalKeys,
            arrayOfObjects: arrayOfObjects,
            keys: &keys,
            origins: &origins
        )
        for key in overrides.keys where !keys.contains(key) {
            throw .unknownKey(key: key)
        }
        do {
            let data = try JSONEncoder().encode(merged)
            return (try JSONDecoder().decode(T.self, from: data), keys)
        } catch let error as DecodingError {
            let key = Self.key(of: error)
            if origins[key] == nil, let suspect = Self.fractionalWhereWholeExpected(merged, defaults: withOptionals) {
                // Some decoders report a fraction in an integer field without its key.
                throw .invalidValue(key: suspect, value: origins[suspect] ?? "", fix: "expected a whole number")
            }
            throw .invalidValue(key: key, value: origins[key] ?? "", fix: Self.fix(for: error))
        } catch {
            throw .invalidValue(key: "(configuration)", value: "", fix: Self.oneLine("\(error)"))
        }
    }

    private func overlay(
        _ node: ConfigValueTree,
        path: [String],
        optionalKeys: [String: Kind],
        arrayOfObjects: [String: String],
        keys: inout [String],
        origins: inout [String: String]
    ) throws(DaemonError) -> ConfigValueTree {
        if case .object(let object) = node {
            var result: [String: ConfigValueTree] = [:]
            for name in object.keys.sorted() {
                guard let child = object[name] else { continue }
                let component = path.isEmpty && name.contains(".") ? name : name
                result[name] = try overlay(
                    child,
                    path: path + [component],
                    optionalKeys: optionalKeys,
                    arrayOfObjects: arrayOfObjects,
                    keys: &keys,
                    origins: &origins
                )
            }
            return .object(result)
        }
        let key = path.map(snakeCase).joined(separator: ".")
        keys.append(key)
        if case .array(let defaults) = node {
            guard let texts = readArray(key) else { return node }
            origins[key] = texts.joined(separator: ",")
            if let field = arrayOfObjects[key] {
                return .array(texts.map { .object([field: .string($0)]) })
            }
            let template = defaults.first ?? .string("")
            return .array(try texts.map { text throws(DaemonError) in try Self.parse(text, like: template, key: key) })
        }
        guard let text = reader.string(forKey: ConfigKey(key)) else { return node }
        origins[key] = text
        if case .null = node {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "null" || trimmed == "~" { return .null }
            let template: ConfigValueTree
            switch optionalKeys[key] ?? .string {
            case .string: template = .string("")
            case .int: template = .int(0)
            case .double: template = .double(0)
            case .bool: template = .bool(false)
            }
            return try Self.parse(text, like: template, key: key)
        }
        return try Self.parse(text, like: node, key: key)
    }

    private func readArray(_ key: String) -> [String]? {
        if let array = reader.stringArray(forKey: ConfigKey(key)) {
            return array.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let text = reader.string(forKey: ConfigKey(key)) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "[]" { return [] }
            return trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return nil
    }

    /// Converts a text to the type of `template`, with a message saying what is expected.
    static func parse(_ text: String, like template: ConfigValueTree, key: String) throws(DaemonError)
        -> ConfigValueTree
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch template {
        case .bool:
            switch trimmed.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: throw .invalidValue(key: key, value: text, fix: "expected true or false")
            }
        case .int, .uint, .double:
            if let value = Int64(trimmed) { return .int(value) }
            if let value = UInt64(trimmed) { return .uint(value) }
            if trimmed.lowercased().hasPrefix("0x"), let value = UInt64(trimmed.dropFirst(2), radix: 16) {
                return .uint(value)
            }
            if let value = Double(trimmed), value.isFinite { return .double(value) }
            throw .invalidValue(key: key, value: text, fix: "expected a number")
        case .string, .null:
            return .string(text)
        case .array, .object:
            throw .invalidValue(key: key, value: text, fix: "expected a section, not a single value")
        }
    }

    /// The first key whose default is a whole number and whose value is a fraction.
    private static func fractionalWhereWholeExpected(
        _ value: ConfigValueTree,
        defaults: ConfigValueTree,
        path: [String] = []
    ) -> String? {
        switch (value, defaults) {
        case (.object(let object), .object(let defaultObject)):
            for name in object.keys.sorted() {
                guard let child = object[name], let defaultChild = defaultObject[name] else { continue }
                if let key = fractionalWhereWholeExpected(child, defaults: defaultChild, path: path + [name]) {
                    return key
                }
            }
            return nil
        case (.double(let number), .int), (.double(let number), .uint):
            return number == number.rounded() ? nil : path.map(snakeCase).joined(separator: ".")
        default:
            return nil
        }
    }

    private static func inserting(_ value: ConfigValueTree, at path: [String], into tree: ConfigValueTree)
        -> ConfigValueTree
    {
        guard let first = path.first, case .object(var object) = tree else { return tree }
        let camel = object.keys.first { snakeCase($0) == first } ?? camelCase(first)
        if path.count == 1 {
            if object[camel] == nil { object[camel] = value }
        } else {
            object[camel] = inserting(value, at: Array(path.dropFirst()), into: object[camel] ?? .object([:]))
        }
        return .object(object)
    }

    private static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_")
        guard let first = parts.first else { return snake }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private static func key(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let value), .valueNotFound(_, let value), .keyNotFound(_, let value),
            .dataCorrupted(let value):
            context = value
        @unknown default:
            return "(configuration)"
        }
        return context.codingPath.filter { $0.intValue == nil }.map { snakeCase($0.stringValue) }
            .joined(separator: ".")
    }

    private static func fix(for error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _):
            let name = "\(type)"
            if name.contains("Int") { return "expected a whole number" }
            if name.contains("Double") || name.contains("Float") { return "expected a number" }
            if name.contains("Bool") { return "expected true or false" }
            return "expected a value of type \(name)"
        case .dataCorrupted(let context):
            return "not an accepted value (\(context.debugDescription))"
        case .valueNotFound, .keyNotFound:
            return "a value is required"
        @unknown default:
            return "not an accepted value"
        }
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
