package android.os

/** Stand-in for android.os.CancellationSignal, so Credential Manager's stand-in keeps its real signature. */
class CancellationSignal
