// Fingerprint module (in progress)
