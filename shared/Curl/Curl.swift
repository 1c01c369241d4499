// Curl: filled in by its owner.
