package androidx.credentials

/** Stand-in with the real name and no-argument constructor of Credential Manager's `ClearCredentialStateRequest`. */
class ClearCredentialStateRequest
