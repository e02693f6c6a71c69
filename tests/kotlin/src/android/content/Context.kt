package android.content

/** Stand-in for android.content.Context, so the stand-in SDKs keep the real signatures. */
abstract class Context

/** Stand-in for android.content.Intent. */
class Intent(val action: String)

/** The context the tests pass to the adapters. */
class TestContext : Context()
