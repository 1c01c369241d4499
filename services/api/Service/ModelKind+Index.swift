import AdrecsDomain

extension ModelKind {
    /// The position in ``allCases``, for per-model arrays.
    var index: Int {
        switch self {
        case .topCTR: 0
        case .topProduct: 1
        }
    }
}
