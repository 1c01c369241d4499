// AdrecsDatabase: filled in by issue 4.
