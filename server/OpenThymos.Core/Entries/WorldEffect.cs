// What an entry kind changes in the world that replay folds.
namespace OpenThymos.Core.Entries;

/// <summary>How entries of a kind move the world of <c>WorldFold</c> and the runtime's file state.</summary>
public enum WorldEffect
{
    /// <summary>The kind changes no file state.</summary>
    None,

    /// <summary>The payload's <c>files[]</c> are file changes that were applied (commit, revert).</summary>
    FileChanges,

    /// <summary>The payload (an <c>ExternalChangeObservedPayload</c>) records a file's content observed after a change outside the runtime.</summary>
    ObservedChange,
}
