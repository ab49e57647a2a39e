// Extraction module (in progress)
