// AdrecsDomain: filled in by its owner.
