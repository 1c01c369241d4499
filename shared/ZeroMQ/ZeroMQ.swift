// ZeroMQ: filled in by its owner.
