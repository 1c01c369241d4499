// LibPQ: filled in by its owner.
