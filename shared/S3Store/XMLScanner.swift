/// A small XML reader for S3's response documents: elements, text, the five predefined
/// entities and numeric character references. Attributes, comments, processing
/// instructions and the XML declaration are skipped; CDATA is taken as text; a DOCTYPE
/// is rejected. Namespace prefixes are dropped from element names.
struct XMLScanner {
    /// One element with its direct children and its concatenated direct text.
    struct Element: Equatable {
        var name: String
        var children: [Element] = []
        var text: String = ""

        /// The first direct child called `name`.
        func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// Every direct child called `name`, in document order.
        func children(_ name: String) -> [Element] { children.filter { $0.name == name } }

        /// The text of the first direct child called `name`.
        func text(of name: String) -> String? { child(name)?.text }
    }

    /// A malformed document, with the byte offset where reading stopped.
    struct Failure: Error, Equatable {
        var reason: String
        var offset: Int
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a whole document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> Element {
        var scanner = XMLScanner(bytes)
        return try scanner.document()
    }

    static func parse(_ text: String) throws(Failure) -> Element { try parse(Array(text.utf8)) }

    /// Escapes text for element content or attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    // MARK: - Grammar

    private mutating func document() throws(Failure) -> Element {
        try skipMisc()
        guard peek() == UInt8(ascii: "<") else { throw fail("expected the root element") }
        let root = try element()
        try skipMisc()
        guard position == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Skips whitespace, comments, processing instructions and the declaration.
    private mutating func skipMisc() throws(Failure) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<!") {
                throw fail("DOCTYPE and other declarations are not supported")
            } else {
                return
            }
        }
    }

    /// Reads `<name …>` … `</name>` or `<name …/>`, positioned at `<`.
    private mutating func element() throws(Failure) -> Element {
        position += 1
        let qualified = try name()
        var element = Element(name: Self.localName(qualified))
        try skipAttributes()
        if starts(with: "/>") {
            position += 2
            return element
        }
        guard peek() == UInt8(ascii: ">") else { throw fail("expected '>'") }
        position += 1
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("unterminated element <\(qualified)>") }
            if byte == UInt8(ascii: "<") {
                if starts(with: "</") {
                    position += 2
                    let closing = try name()
                    guard closing == qualified else {
                        throw fail("mismatched closing tag </\(closing)> for <\(qualified)>")
                    }
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ">") else { throw fail("expected '>'") }
                    position += 1
                    element.text = try Self.decodeText(text, at: position)
                    return element
                } else if starts(with: "<!--") {
                    try skip(past: "-->")
                } else if starts(with: "<![CDATA[") {
                    position += 9
                    let start = position
                    try skip(past: "]]>")
                    text.append(contentsOf: Self.escapedForText(bytes[start..<(position - 3)]))
                } else if starts(with: "<?") {
                    try skip(past: "?>")
                } else if starts(with: "<!") {
                    throw fail("declarations are not allowed in content")
                } else {
                    element.children.append(try self.element())
                }
            } else {
                text.append(byte)
                position += 1
            }
        }
    }

    private mutating func name() throws(Failure) -> String {
        let start = position
        while let byte = peek(), !Self.isNameEnd(byte) { position += 1 }
        guard position > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Skips `name="value"` pairs; values may contain `>` and `/`.
    private mutating func skipAttributes() throws(Failure) {
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw fail("unterminated tag") }
            if byte == UInt8(ascii: ">") || starts(with: "/>") { return }
            _ = try name()
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else { throw fail("expected '=' in attribute") }
            position += 1
            skipWhitespace()
            guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw fail("expected a quoted attribute value")
            }
            position += 1
            while let next = peek(), next != quote { position += 1 }
            guard peek() == quote else { throw fail("unterminated attribute value") }
            position += 1
        }
    }

    // MARK: - Text and entities

    /// CDATA is literal: re-escape `&` so the later entity pass leaves it unchanged.
    private static func escapedForText(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        for byte in raw {
            if byte == UInt8(ascii: "&") { out.append(contentsOf: Array("&amp;".utf8)) } else { out.append(byte) }
        }
        return out
    }

    private static func decodeText(_ raw: [UInt8], at offset: Int) throws(Failure) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "&") else {
                out.append(byte)
                index += 1
                continue
            }
            guard let end = raw[index...].firstIndex(of: UInt8(ascii: ";")), end - index <= 12 else {
                throw Failure(reason: "unterminated entity reference", offset: offset)
            }
            let entity = String(decoding: raw[(index + 1)..<end], as: UTF8.self)
            out.append(contentsOf: Array(try resolve(entity, at: offset).utf8))
            index = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func resolve(_ entity: String, at offset: Int) throws(Failure) -> String {
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            var value: UInt32?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                value = UInt32(entity.dropFirst(2), radix: 16)
            } else if entity.hasPrefix("#") {
                value = UInt32(entity.dropFirst(), radix: 10)
            }
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else {
                throw Failure(reason: "unknown entity &\(entity);", offset: offset)
            }
            return String(Character(scalar))
        }
    }

    // MARK: - Bytes

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != pointer[offset] { return false }
        return true
    }

    private mutating func skip(past literal: StaticString) throws(Failure) {
        while position < bytes.count {
            if starts(with: literal) {
                position += literal.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw fail("expected '\(literal)'")
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), Self.isWhitespace(byte) { position += 1 }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameEnd(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "<")
    }

    private static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private func fail(_ reason: String) -> Failure { Failure(reason: reason, offset: position) }
}
