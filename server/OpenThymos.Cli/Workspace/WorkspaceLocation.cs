// Where a workspace's ledger, key directory, socket and operator token are.
using OpenThymos.Cli.Errors;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Storage;

namespace OpenThymos.Cli.Workspace;

/// <summary>The paths of one governed workspace, resolved from <c>--workspace</c> and <c>--key-dir</c>.</summary>
internal sealed class WorkspaceLocation
{
    private string? _workspaceId;

    public WorkspaceLocation(string? workspace, string? keyDirectory)
    {
        Root = Path.GetFullPath(string.IsNullOrEmpty(workspace) ? Environment.CurrentDirectory : workspace);
        KeyDirectory = Path.GetFullPath(string.IsNullOrEmpty(keyDirectory) ? WorkspaceKey.DefaultKeyDirectory() : keyDirectory);
        LedgerPath = LedgerOptions.DefaultLedgerPath(Root);
    }

    /// <summary>The workspace folder.</summary>
    public string Root { get; }

    /// <summary>The key directory (outside the workspace).</summary>
    public string KeyDirectory { get; }

    /// <summary>The ledger file.</summary>
    public string LedgerPath { get; }

    /// <summary>Opens the workspace's ledger: every command that reads or writes it goes through this backend.</summary>
    public ILedgerStoreFactory Stores { get; } = LedgerStores.Default;

    /// <summary>True when the workspace has a ledger.</summary>
    public bool HasLedger => Stores.Exists(LedgerPath);

    /// <summary>The workspace id from the ledger's genesis, or null when there is no ledger yet.</summary>
    public string? WorkspaceId => _workspaceId ??= ReadWorkspaceId();

    /// <summary>The sidecar's agent socket, or null when there is no ledger yet.</summary>
    public string? SocketPath => WorkspaceId is { } id ? Path.Combine(KeyDirectory, id, "agent.sock") : null;

    /// <summary>The operator token file the sidecar writes at start-up.</summary>
    public string? OperatorTokenPath => WorkspaceId is { } id ? Path.Combine(KeyDirectory, id, "operator.token") : null;

    /// <summary>Throws a <see cref="CliException"/> when the workspace has no ledger.</summary>
    public void RequireLedger()
    {
        if (!HasLedger)
        {
            throw new CliException(
                ExitCodes.Refused,
                $"No ledger at {LedgerPath}: the folder {Root} is not governed by OpenThymos yet. Pass --workspace with the right folder, or create the ledger with `thymos grant` or `thymos serve`.");
        }
    }

    /// <summary>
    /// Throws a <see cref="CliException"/> when this folder's ledger is a copy of another folder's workspace (same
    /// workspace id, bound to that folder): the socket, operator token and head records filed under the id belong to the
    /// other folder, so using them would act on it.
    /// </summary>
    public void RequireOwnWorkspace()
    {
        if (WorkspaceId is { } id && WorkspaceFolderBinding.OriginalOf(KeyDirectory, id, Root, Stores) is { } original)
        {
            throw new CliException(ExitCodes.WorkspaceRefused, new WorkspaceCopiedException(id, WorkspaceFolderBinding.Normalize(Root), original, Stores).Message);
        }
    }

    private string? ReadWorkspaceId()
    {
        if (!HasLedger)
        {
            return null;
        }

        using var store = Stores.OpenReadOnly(LedgerPath);
        var genesis = store.Read(LedgerFormat.GenesisSeq)
            ?? throw new CliException(ExitCodes.Refused, $"The ledger {LedgerPath} has no genesis entry. Run `thymos verify` to see what is wrong with it.");
        return WorkspaceLedger.Deserialize(genesis, LedgerJsonContext.Default.GenesisPayload).WorkspaceId;
    }
}
