import Testing

/// The chain suites run one after another: each starts real processes, and in parallel they
/// would compete for the machine's two cores and turn the time limits they check into noise.
@Suite(.serialized) struct ChainSuites {}
