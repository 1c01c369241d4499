// S3Store: filled in by its owner.
