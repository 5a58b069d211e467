// Assembly attributes: the CLI talks to the sidecar over a Unix domain socket, like the sidecar itself, so it is not for Windows.
using System.Runtime.Versioning;

[assembly: UnsupportedOSPlatform("windows")]
