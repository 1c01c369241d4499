// AdrecsWire: filled in by its owner.
