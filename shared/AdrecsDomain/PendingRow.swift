/// A kept row waiting in a batch: its advertiser index, product key and ad type.
struct PendingRow {
    var key: UInt64
    var advertiser: Int32
    var isClick: Bool
}
