/// Which dates a run computes.
public enum DaySelection: Sendable, Hashable {
    /// One date; rows of other dates are skipped.
    case single(Day)
    /// Every date present among the valid rows, each computed separately.
    case all
}
