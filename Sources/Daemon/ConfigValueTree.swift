import FoundationEssentials

/// A JSON-shaped value used to overlay configuration layers onto `Codable` defaults.
///
/// Numbers keep their exact integer form (a 64-bit seed must survive the round trip).
enum ConfigValueTree: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([ConfigValueTree])
    case object([String: ConfigValueTree])

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var object: [String: ConfigValueTree] = [:]
            for key in keyed.allKeys {
                object[key.stringValue] = try keyed.decode(ConfigValueTree.self, forKey: key)
            }
            self = .object(object)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var array: [ConfigValueTree] = []
            while !unkeyed.isAtEnd {
                array.append(try unkeyed.decode(ConfigValueTree.self))
            }
            self = .array(array)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? single.decode(UInt64.self) {
            self = .uint(value)
        } else if let value = try? single.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .int(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .uint(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .double(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let values):
            var unkeyed = encoder.unkeyedContainer()
            for value in values { try unkeyed.encode(value) }
        case .object(let object):
            var keyed = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in object { try keyed.encode(value, forKey: AnyKey(key)) }
        }
    }

    /// The value as YAML scalar text.
    var scalarText: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .uint(let value): String(value)
        case .double(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): Self.quoted(value)
        case .array(let values): "[" + values.map(\.scalarText).joined(separator: ", ") + "]"
        case .object: "{…}"
        }
    }

    /// Quotes a string for YAML when it would otherwise be read as something else.
    static func quoted(_ value: String) -> String {
        let plainSafe =
            !value.isEmpty
            && value.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                    || "/._-+@".unicodeScalars.contains(scalar)
            }
        let ambiguous =
            ["true", "false", "null", "yes", "no", "on", "off", "~"].contains(value.lowercased())
            || Double(value) != nil
        if plainSafe && !ambiguous { return value }
        var out = "\""
        for character in value {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}

/// A coding key with any name.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        self.stringValue = string
        self.intValue = nil
    }

    init?(stringValue: String) {
        self.init(stringValue)
    }

    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Converts a Swift property name to a configuration key component: `maxRedirects` → `max_redirects`,
/// `verifyTLS` → `verify_tls`.
func snakeCase(_ name: String) -> String {
    var out = ""
    let characters = Array(name)
    for (index, character) in characters.enumerated() {
        if character.isUppercase {
            let previous = index > 0 ? characters[index - 1] : nil
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let startsWord = previous.map { $0.isLowercase || $0.isNumber } ?? false
            let endsAcronym = (previous?.isUppercase ?? false) && (next?.isLowercase ?? false)
            if index > 0 && (startsWord || endsAcronym) { out += "_" }
            out += character.lowercased()
        } else {
            out.append(character)
        }
    }
    return out
}

extension ConfigValueTree {
    /// Dotted snake-case keys of every leaf (arrays are leaves), scalars before sections.
    func leafKeys(path: [String] = []) -> [String] {
        guard case .object(let object) = self else {
            return [path.map(snakeCase).joined(separator: ".")]
        }
        return Self.orderedKeys(object).flatMap { object[$0]?.leafKeys(path: path + [$0]) ?? [] }
    }

    /// Renders the tree as block YAML with snake-case keys; `optionalKeys` that are absent print as `null`.
    func yaml(indent: Int, optionalKeys: [String], path: [String]) -> String {
        guard case .object(var object) = self else { return scalarText + "\n" }
        let prefix = path.map(snakeCase).joined(separator: ".")
        for key in optionalKeys {
            let parts = key.split(separator: ".").map(String.init)
            guard parts.count == path.count + 1, parts.dropLast().joined(separator: ".") == prefix else { continue }
            let name = parts[parts.count - 1]
            if !object.keys.contains(where: { snakeCase($0) == name }) {
                object[name] = .null
            }
        }
        var out = ""
        let pad = String(repeating: " ", count: indent)
        for key in Self.orderedKeys(object) {
            guard let value = object[key] else { continue }
            switch value {
            case .object(let fields) where path == ["feedOverrides"]:
                // Entry names are URLs or hosts: always quoted, never case-converted.
                let name = key.replacing("\\", with: "\\\\")
                    .replacing("\"", with: "\\\"")
                out += "\(pad)\"\(name)\":" + (fields.isEmpty ? " {}\n" : "\n")
                out += value.yaml(indent: indent + 2, optionalKeys: optionalKeys, path: path + [key])
            case .object(let fields) where fields.isEmpty:
                out += "\(pad)\(snakeCase(key)): {}\n"
            case .object:
                out += "\(pad)\(snakeCase(key)):\n"
                out += value.yaml(indent: indent + 2, optionalKeys: optionalKeys, path: path + [key])
            case .array(let values) where !values.isEmpty:
                out += "\(pad)\(snakeCase(key)):\n"
                for element in values {
                    if case .object(let fields) = element, let url = fields["url"] {
                        out += "\(pad)  - \(url.scalarText)\n"
                    } else {
                        out += "\(pad)  - \(element.scalarText)\n"
                    }
                }
            default:
                out += "\(pad)\(snakeCase(key)): \(value.scalarText)\n"
            }
        }
        return out
    }

    private static func orderedKeys(_ object: [String: ConfigValueTree]) -> [String] {
        object.keys.sorted { left, right in
            let leftSection = { if case .object = object[left] { return true } else { return false } }()
            let rightSection = { if case .object = object[right] { return true } else { return false } }()
            if leftSection != rightSection { return !leftSection }
            return snakeCase(left) < snakeCase(right)
        }
    }
}
