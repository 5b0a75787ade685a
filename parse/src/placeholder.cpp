// Removed once the stage has real sources.
