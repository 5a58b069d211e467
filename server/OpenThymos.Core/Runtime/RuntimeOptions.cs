// How a runtime is opened for a workspace.
using OpenThymos.Core.Ledger;

namespace OpenThymos.Core.Runtime;

/// <summary>Options for <see cref="ThymosRuntime.Open"/>.</summary>
public sealed record RuntimeOptions
{
    /// <summary>The ledger location, key directory, clock and holder description.</summary>
    public required LedgerOptions Ledger { get; init; }

    /// <summary>The workspace folder.</summary>
    public string WorkspaceRoot => Ledger.WorkspaceRoot;

    /// <summary>The most files one intent may name.</summary>
    public int MaxFilesPerIntent { get; init; } = 500;
}
