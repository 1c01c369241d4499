/// The `type` column of `ads_views`.
public enum AdType: String, Sendable, Codable, CaseIterable {
    case impression
    case click

    /// Recognises exactly `impression` or `click`, byte for byte.
    @inline(__always)
    public init?(bytes: UnsafeRawBufferPointer) {
        switch bytes.count {
        case 10:
            // "impression"
            guard UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)) == 0x6973_7365_7270_6D69,
                  UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)) == 0x6E6F
            else { return nil }
            self = .impression
        case 5:
            // "click"
            guard UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) == 0x6369_6C63, bytes[4] == UInt8(ascii: "k") else { return nil }
            self = .click
        default:
            return nil
        }
    }
}
