// ClusterStore module (in progress)
