// Fetch module (in progress)
