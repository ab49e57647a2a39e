// StateStore module (in progress)
