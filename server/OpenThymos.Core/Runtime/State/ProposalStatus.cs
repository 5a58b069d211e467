// Where a proposal stands, and where each of its hunks stands.
namespace OpenThymos.Core.Runtime.State;

/// <summary>The state of a proposal as a whole.</summary>
public enum ProposalStatus
{
    /// <summary>At least one hunk awaits a decision.</summary>
    Pending,

    /// <summary>Every hunk was approved and applied.</summary>
    Approved,

    /// <summary>Every hunk was decided; some approved, some rejected.</summary>
    PartiallyApproved,

    /// <summary>Every hunk was rejected.</summary>
    Rejected,

    /// <summary>The files changed under the proposal in lines it touches; it cannot be applied.</summary>
    Stale,

    /// <summary>An approved change could not be applied; nothing pending remains.</summary>
    Failed,
}

/// <summary>The decision state of one hunk.</summary>
public enum HunkStatus
{
    /// <summary>Awaiting a decision.</summary>
    Pending,

    /// <summary>Approved (and applied once its commit is recorded).</summary>
    Approved,

    /// <summary>Rejected by a reviewer or by the runtime.</summary>
    Rejected,

    /// <summary>Approved, but applying it failed.</summary>
    Failed,
}
