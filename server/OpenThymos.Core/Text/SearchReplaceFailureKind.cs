// Why a search/replace block could not be applied.
namespace OpenThymos.Core.Text;

/// <summary>The reason a search/replace block was refused.</summary>
public enum SearchReplaceFailureKind
{
    /// <summary>The search text does not occur in the file.</summary>
    NotFound,

    /// <summary>The search text occurs more than once, so the edit's location is ambiguous.</summary>
    Ambiguous,

    /// <summary>The search text is empty, which would match everywhere.</summary>
    EmptySearch,
}
