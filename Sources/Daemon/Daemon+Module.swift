// Daemon module (in progress)
