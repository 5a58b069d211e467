// How much work a writ allows in total; null limits mean unlimited.
namespace OpenThymos.Core.Writs;

/// <summary>Limits on everything done under one writ. A null limit means unlimited.</summary>
/// <param name="MaxProposals">The most proposals that may be staged.</param>
/// <param name="MaxFiles">The most distinct files that may be touched.</param>
/// <param name="MaxBytes">The most bytes of new content that may be written in total.</param>
public sealed record WritBudget(int? MaxProposals, int? MaxFiles, long? MaxBytes)
{
    /// <summary>A budget with no limits.</summary>
    public static WritBudget Unlimited { get; } = new(null, null, null);
}
