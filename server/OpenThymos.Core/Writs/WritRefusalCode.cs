// Stable codes for why a writ does not cover a change; recorded in the ledger, so never renumber them.
namespace OpenThymos.Core.Writs;

/// <summary>Why <see cref="WritAuthority"/> refused a change.</summary>
public enum WritRefusalCode
{
    /// <summary>No include glob of the writ (or an ancestor) matches the path.</summary>
    OutOfScope = 1,

    /// <summary>An exclude glob of the writ (or an ancestor) matches the path.</summary>
    Excluded = 2,

    /// <summary>The writ (or an ancestor) does not allow the change's effect.</summary>
    EffectNotAllowed = 3,

    /// <summary>The writ's proposal budget is used up.</summary>
    BudgetProposals = 4,

    /// <summary>The change would touch more distinct files than the writ allows.</summary>
    BudgetFiles = 5,

    /// <summary>The change would write more bytes than the writ allows.</summary>
    BudgetBytes = 6,

    /// <summary>The writ (or an ancestor) is not valid yet.</summary>
    NotYetValid = 7,

    /// <summary>The writ (or an ancestor) has expired.</summary>
    Expired = 8,
}
