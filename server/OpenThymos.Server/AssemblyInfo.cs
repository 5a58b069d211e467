// Assembly-wide facts: the sidecar uses Unix domain sockets and Unix file modes, so it does not run on Windows.
using System.Runtime.Versioning;

[assembly: UnsupportedOSPlatform("windows")]
