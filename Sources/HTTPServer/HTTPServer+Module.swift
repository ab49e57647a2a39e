// HTTPServer module (in progress)
