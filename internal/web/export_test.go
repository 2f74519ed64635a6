package web

// Compress is the portal's compression, for the load benchmark's baselines: they deliver their
// pages as the portal does.
var Compress = compress
