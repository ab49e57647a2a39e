// Clustering module (in progress)
