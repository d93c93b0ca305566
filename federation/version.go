package federation

// Version is Pollen's version, as NodeInfo and User-Agent name it.
var Version = "0.1.0"
