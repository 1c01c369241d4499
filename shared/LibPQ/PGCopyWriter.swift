/// Feeds data into a running `COPY … FROM STDIN`; handed to the body of
/// ``PGConnection/copyFrom(_:fileID:line:_:)`` and valid only inside it.
public final class PGCopyWriter {
    private let connection: PGConnection
    private let fileID: String
    private let line: Int

    init(connection: PGConnection, fileID: String, line: Int) {
        self.connection = connection
        self.fileID = fileID
        self.line = line
    }

    /// Sends raw bytes, e.g. a chunk of a downloaded file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(PGError) {
        try connection.putCopyData(bytes, fileID: fileID, line: line)
    }

    /// Sends a chunk of bytes.
    public func write(_ bytes: [UInt8]) throws(PGError) {
        let outcome = bytes.withUnsafeBytes { buffer in Result { () throws(PGError) in try write(buffer) } }
        try outcome.get()
    }

    /// Sends text as UTF-8, e.g. a batch of tab-separated rows ending in `\n`.
    public func write(_ text: String) throws(PGError) {
        var text = text
        let outcome = text.withUTF8 { buffer in Result { () throws(PGError) in try write(UnsafeRawBufferPointer(buffer)) } }
        try outcome.get()
    }

    /// Sends one row in COPY's default text format: values tab-separated, `nil` as `\N`, and
    /// backslash, tab, newline and carriage return escaped, so any string is loaded verbatim.
    /// Only for `COPY … FROM STDIN` without `FORMAT csv`/`binary` or a custom `DELIMITER`/`NULL`.
    public func writeRow(_ values: [(any PGEncodable)?]) throws(PGError) {
        var row: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { row.append(UInt8(ascii: "\t")) }
            guard var text = value?.pgText else {
                Self.appendText(nil, to: &row)
                continue
            }
            text.withUTF8 { Self.appendText(UnsafeRawBufferPointer($0), to: &row) }
        }
        row.append(UInt8(ascii: "\n"))
        try write(row)
    }

    /// Appends one value in COPY's default text format to `row`: its bytes with backslash, tab,
    /// newline and carriage return escaped (`\\`, `\t`, `\n`, `\r`), or `\N` for `nil`. The
    /// caller separates values with a tab and ends the row with a newline (see ``writeRow(_:)``).
    public static func appendText(_ value: UnsafeRawBufferPointer?, to row: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        guard let value else {
            row.append(backslash)
            row.append(UInt8(ascii: "N"))
            return
        }
        for byte in value {
            switch byte {
            case backslash: row.append(backslash); row.append(backslash)
            case UInt8(ascii: "\t"): row.append(backslash); row.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): row.append(backslash); row.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): row.append(backslash); row.append(UInt8(ascii: "r"))
            default: row.append(byte)
            }
        }
    }
}
