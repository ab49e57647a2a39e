// Curl module (in progress)
