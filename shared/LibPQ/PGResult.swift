import CLibPQ

/// The rows of a finished statement (`PGresult`), decoded lazily from libpq's text format.
///
/// `deinit` frees the result (`PQclear`). `@unchecked Sendable` because libpq documents a
/// `PGresult` as read-only after creation, so it "can be passed around freely between threads";
/// this type never mutates it.
public final class PGResult: @unchecked Sendable {
    let handle: OpaquePointer
    /// Column names in result order (`PQfname`).
    public let columns: [String]
    /// Column type OIDs in result order (`PQftype`), e.g. `23` for `int4`.
    public let columnTypes: [UInt32]
    private let columnIndexByName: [String: Int]

    init(_ handle: OpaquePointer) {
        self.handle = handle
        let count = Int(PQnfields(handle))
        // A COPY result has a column count but no names.
        columns = (0..<count).map { PQfname(handle, Int32($0)).map { String(cString: $0) } ?? "" }
        columnTypes = (0..<count).map { UInt32(PQftype(handle, Int32($0))) }
        var byName: [String: Int] = [:]
        for (index, name) in columns.enumerated() where byName[name] == nil { byName[name] = index }
        columnIndexByName = byName
    }

    deinit {
        PQclear(handle)
    }

    /// The number of rows affected by `INSERT`, `UPDATE`, `DELETE`, `MERGE`, `COPY`, or returned by
    /// `SELECT` (`PQcmdTuples`); `0` for statements that report none.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The command tag, e.g. `INSERT 0 3` or `COMMIT` (`PQcmdStatus`).
    public var commandTag: String { String(cString: PQcmdStatus(handle)) }

    /// The index of the first column called `name`.
    public func columnIndex(_ name: String) -> Int? { columnIndexByName[name] }

    /// The value at `row`, `column`; `text` is `nil` for SQL NULL.
    func value(row: Int, column: Int) -> PGValue {
        let typeOID = columnTypes[column]
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return PGValue(text: nil, typeOID: typeOID) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        let bytes = UnsafeRawPointer(PQgetvalue(handle, Int32(row), Int32(column))!)
        let text = String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
        return PGValue(text: text, typeOID: typeOID)
    }
}

extension PGResult: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(handle)) }
    public subscript(position: Int) -> PGRow {
        precondition(indices.contains(position), "row index out of range")
        return PGRow(result: self, index: position)
    }
}
