import Foundation

/// A small JSON Schema (2020-12 subset) validator over the OpenAPI document's components: `$ref`,
/// `type` (also lists), `required`, `properties`, `additionalProperties`, `items`, `enum`,
/// `const`, `anyOf`, `pattern`, `minLength`, `maxLength`, `minimum`, `maximum`, `maxItems`. Returns the violations found.
struct SchemaValidator {
    let document: [String: Any]

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/") else { return schema }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)] ?? [:]
        }
        return resolve(node as? [String: Any] ?? [:])
    }

    func validate(_ value: Any, _ rawSchema: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(rawSchema)
        var problems: [String] = []
        if let anyOf = schema["anyOf"] as? [[String: Any]] {
            if !anyOf.contains(where: { validate(value, $0, at: path).isEmpty }) { problems.append("\(path): matches no anyOf branch") }
        }
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }),
           !types.contains(where: { Self.has(value, type: $0) }) {
            return problems + ["\(path): \(value) is not of type \(types)"]
        }
        if let values = schema["enum"] as? [Any], !values.contains(where: { Self.equal($0, value) }) {
            problems.append("\(path): \(value) not in enum")
        }
        if let constant = schema["const"], !Self.equal(constant, value) { problems.append("\(path): \(value) != const") }
        // JSON Schema counts a string's length in code points.
        if let minLength = schema["minLength"] as? Int, let text = value as? String, text.unicodeScalars.count < minLength {
            problems.append("\(path): shorter than \(minLength)")
        }
        if let maxLength = schema["maxLength"] as? Int, let text = value as? String, text.unicodeScalars.count > maxLength {
            problems.append("\(path): longer than \(maxLength)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(path): \(text) does not match \(pattern)")
        }
        if let number = value as? Double, !(value is Bool) {
            if let minimum = schema["minimum"] as? Double, number < minimum { problems.append("\(path): below minimum") }
            if let maximum = schema["maximum"] as? Double, number > maximum { problems.append("\(path): above maximum") }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, child) in object {
                if let property = properties[key] {
                    problems += validate(child, property, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): unexpected \(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += validate(child, additional, at: "\(path).\(key)")
                }
            }
        }
        if let array = value as? [Any] {
            if let maxItems = schema["maxItems"] as? Int, array.count > maxItems { problems.append("\(path): too many items") }
            if let items = schema["items"] as? [String: Any] {
                for (index, element) in array.enumerated() { problems += validate(element, items, at: "\(path)[\(index)]") }
            }
        }
        return problems
    }

    /// JSON types as `JSONSerialization` decodes them (the document uses no booleans).
    static func has(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "null": value is NSNull
        case "integer": (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": value is NSNumber
        default: false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? NSNumber, let b = b as? NSNumber { return a == b }
        return false
    }
}
