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

    /// <summary>
    /// How long repeats of one refusal (same session or token scope, reason and error) are counted before they are
    /// ledgered as one aggregate entry (docs/protocol.md, "Refused attempts"). The first refusal of each window is
    /// ledgered at once.
    /// </summary>
    public TimeSpan RefusalWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What is told about the steps of the runtime's operations (the benchmarks time them; tests hold an operation at
    /// one). Null in production: the runtime then pays one null check per step.
    /// </summary>
    internal IRuntimeMeter? Meter { get; init; }
}
