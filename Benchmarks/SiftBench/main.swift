print("sift-bench")
