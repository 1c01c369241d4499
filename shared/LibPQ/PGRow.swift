/// One row of a ``PGResult``, with typed access by column name or position.
public struct PGRow: Sendable {
    /// The result this row belongs to; it stays alive as long as the row does.
    public let result: PGResult
    /// The row's position in the result.
    public let index: Int

    /// Decodes the column called `column` as `T`; decode a nullable column as `Optional`.
    ///
    /// Throws a ``PGError`` with operation `.decode` naming the column, its type and `T` when the
    /// column is missing, NULL for a non-optional `T`, of an incompatible type, or unparsable.
    public func decode<T: PGDecodable>(
        _ column: String, as type: T.Type = T.self, fileID: String = #fileID, line: Int = #line
    ) throws(PGError) -> T {
        guard let position = result.columnIndex(column) else {
            throw PGError(
                .decode,
                message: "no column \"\(column)\" in result (columns: \(result.columns.joined(separator: ", ")))",
                fileID: fileID, line: line
            )
        }
        return try decode(position, as: type, fileID: fileID, line: line)
    }

    /// Decodes the column at `column` (0-based) as `T`.
    public func decode<T: PGDecodable>(
        _ column: Int, as type: T.Type = T.self, fileID: String = #fileID, line: Int = #line
    ) throws(PGError) -> T {
        guard result.columns.indices.contains(column) else {
            throw PGError(
                .decode, message: "column index \(column) out of range 0..<\(result.columns.count)",
                fileID: fileID, line: line
            )
        }
        let value = result.value(row: index, column: column)
        do {
            return try T.decode(value)
        } catch {
            let name = result.columns[column]
            let typeName = PGTypeName.of(value.typeOID)
            let message = switch error {
            case .null:
                "column \"\(name)\" (\(typeName)) is NULL; decode it as \(T.self)? instead"
            case .type:
                "column \"\(name)\" of type \(typeName) cannot be decoded as \(T.self)"
            case .text:
                "column \"\(name)\" (\(typeName)) value \"\(value.text.map { String($0.prefix(40)) } ?? "")\" is not a valid \(T.self)"
            }
            throw PGError(.decode, message: message, fileID: fileID, line: line)
        }
    }

    /// `true` when the column at `column` is SQL NULL.
    public func isNull(_ column: Int) -> Bool { result.value(row: index, column: column).text == nil }
}
