// The documented exit codes of `thymos` (docs/cli.md), and the help epilog that lists them.
namespace OpenThymos.Cli.Errors;

/// <summary>Exit codes of the <c>thymos</c> tool.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The runtime refused the request or it failed; the message is on stderr.</summary>
    public const int Refused = 1;

    /// <summary>The command line was malformed.</summary>
    public const int Usage = 2;

    /// <summary>The ledger is locked by another writer, or the sidecar could not be reached.</summary>
    public const int Unavailable = 3;

    /// <summary>Verification found problems.</summary>
    public const int VerificationFailed = 4;

    /// <summary>
    /// The workspace was refused as it is: its ledger is behind the head recorded outside the workspace (restored from an
    /// older copy; <c>thymos accept-restored</c>), or the folder is a copy of another folder's workspace. The message
    /// says which, where, and what to run.
    /// </summary>
    public const int WorkspaceRefused = 5;

    /// <summary>The epilog appended to every <c>--help</c>.</summary>
    public const string Epilog = """
        Exit codes:
          0  ok
          1  refused or failed by the runtime (message on stderr)
          2  usage error
          3  ledger locked by another writer, or sidecar unreachable
          4  verification found problems
          5  workspace refused: ledger behind its recorded head (restored), or folder copied from another workspace
        """;
}
