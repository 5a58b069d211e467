// The second, independent record of the ledger's head, kept in a per-user state folder apart from the workspace and the key folder.
namespace OpenThymos.Core.Ledger;

/// <summary>
/// The head anchor lives in the key folder; a backup that restores an older <c>ledger.db</c> together with the key
/// folder's <c>head.json</c> would pass it. The witness is the same signed head record written, after the anchor, to a
/// third place: <c>&lt;state folder&gt;/witness/&lt;workspace id&gt;.json</c>. Opening for writing and verify compare the
/// ledger with both, so restoring the ledger and the key folder together is still caught unless the state folder is
/// restored with them. The record is signed by the workspace key, so it cannot be forged without that key.
/// </summary>
public static class HeadWitness
{
    /// <summary>The environment variable that moves the state folder.</summary>
    public const string StateDirectoryVariable = "OPENTHYMOS_STATE_DIR";

    /// <summary>The witness file of a workspace inside a state folder.</summary>
    public static string PathFor(string stateDirectory, string workspaceId) =>
        Path.Combine(stateDirectory, "witness", workspaceId + ".json");

    /// <summary>
    /// The state folder: <c>$OPENTHYMOS_STATE_DIR</c> if set; else, when the key folder is the standard one,
    /// <c>$XDG_STATE_HOME/openthymos</c> or <c>~/.local/state/openthymos</c>; else (a key folder moved by
    /// <c>--key-dir</c> or <c>$OPENTHYMOS_KEY_DIR</c>, as tests and separate profiles do) the folder
    /// <c>&lt;key folder&gt;-state</c> beside it, so one setting moves all per-user state and no test touches the home folder.
    /// </summary>
    public static string DefaultStateDirectory(string keyDirectory)
    {
        var explicitDirectory = Environment.GetEnvironmentVariable(StateDirectoryVariable);
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        var keys = Path.TrimEndingDirectorySeparator(Path.GetFullPath(keyDirectory));
        if (!string.Equals(keys, Path.TrimEndingDirectorySeparator(Path.GetFullPath(StandardKeyDirectory())), StringComparison.Ordinal))
        {
            return keys + "-state";
        }

        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return !string.IsNullOrEmpty(stateHome)
            ? Path.Combine(stateHome, "openthymos")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "openthymos");
    }

    /// <summary>Writes the witness (owner-only, temp file and rename).</summary>
    public static void Write(string stateDirectory, HeadAnchor head) => Write(stateDirectory, head, createFolders: true);

    /// <summary>As <see cref="Write(string, HeadAnchor)"/>; a writer that already made the folders passes false.</summary>
    public static void Write(string stateDirectory, HeadAnchor head, bool createFolders)
    {
        if (createFolders)
        {
            OwnerOnly.CreateFolder(stateDirectory);
        }

        head.WriteTo(PathFor(stateDirectory, head.WorkspaceId), createFolders);
    }

    /// <summary>Reads the witness; null when there is none. Throws <see cref="InvalidDataException"/> when unreadable.</summary>
    public static HeadAnchor? Read(string stateDirectory, string workspaceId) =>
        HeadAnchor.ReadFrom(PathFor(stateDirectory, workspaceId));

    private static string StandardKeyDirectory()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return !string.IsNullOrEmpty(dataHome)
            ? Path.Combine(dataHome, "openthymos", "keys")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "openthymos", "keys");
    }
}
