// Where a workspace ledger lives and how it is opened.
namespace OpenThymos.Core.Ledger;

/// <summary>Options for opening a workspace's ledger.</summary>
public sealed record LedgerOptions
{
    /// <summary>The workspace folder the ledger governs.</summary>
    public required string WorkspaceRoot { get; init; }

    /// <summary>
    /// Opens the ledger's store: the backend. The composition root chooses it (<c>LedgerStores.Default</c> is LiteDB);
    /// every open of this workspace's ledger, for writing or reading, goes through it.
    /// </summary>
    public required ILedgerStoreFactory StoreFactory { get; init; }

    /// <summary>The ledger file; defaults to <c>&lt;workspace&gt;/.thymos/ledger.db</c>.</summary>
    public string? LedgerPath { get; init; }

    /// <summary>
    /// Where the workspace signing key and head anchor live, outside the workspace; defaults to
    /// <c>$OPENTHYMOS_KEY_DIR</c>, then <c>$XDG_DATA_HOME/openthymos/keys</c>, then <c>~/.local/share/openthymos/keys</c>.
    /// </summary>
    public string? KeyDirectory { get; init; }

    /// <summary>
    /// Where the head witness lives, outside the workspace and the key folder; defaults to
    /// <see cref="HeadWitness.DefaultStateDirectory"/> of the key folder.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// When the ledger is behind its signed head anchor or witness (restored from an older copy), opening for writing
    /// is refused with <see cref="LedgerRolledBackException"/> unless this is set: then a <c>ledger.rollback-accepted</c>
    /// entry recording both heads is appended and the ledger goes on from there. Only an operator's explicit command sets it.
    /// </summary>
    public bool AcceptRestoredLedger { get; init; }

    /// <summary>Describes the writer in lock messages, e.g. "thymos sidecar".</summary>
    public string HolderDescription { get; init; } = "OpenThymos";

    /// <summary>The clock entries are stamped with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The ledger path after applying the default.</summary>
    public string ResolvedLedgerPath => LedgerPath ?? DefaultLedgerPath(WorkspaceRoot);

    /// <summary>The default ledger location for a workspace.</summary>
    public static string DefaultLedgerPath(string workspaceRoot) =>
        Path.Combine(Path.GetFullPath(workspaceRoot), ".thymos", "ledger.db");
}
