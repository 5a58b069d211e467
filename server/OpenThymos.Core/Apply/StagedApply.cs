// Temp files written for an apply whose commit is not yet durable.
namespace OpenThymos.Core.Apply;

/// <summary>The writes of an apply and, for each, its temp file's name inside the staging folder (null for a deletion).</summary>
/// <param name="Writes">Each planned write with its temp file.</param>
public sealed record StagedApply(IReadOnlyList<(PlannedFileWrite Write, string? TempPath)> Writes);
