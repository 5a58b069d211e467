// The outcome of applying search/replace blocks: the new text or the first failure.
using System.Diagnostics.CodeAnalysis;

namespace OpenThymos.Core.Text;

/// <summary>Either the edited text or the failure that stopped the edit.</summary>
public sealed class SearchReplaceResult
{
    private SearchReplaceResult(string? text, SearchReplaceFailure? failure)
    {
        Text = text;
        Failure = failure;
    }

    /// <summary>The full new text of the file when every block applied.</summary>
    public string? Text { get; }

    /// <summary>The first failing block, when the edit was refused.</summary>
    public SearchReplaceFailure? Failure { get; }

    /// <summary>Whether every block applied.</summary>
    [MemberNotNullWhen(true, nameof(Text))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Text is not null;

    /// <summary>A successful result.</summary>
    public static SearchReplaceResult Success(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    /// <summary>A refused edit.</summary>
    public static SearchReplaceResult Failed(SearchReplaceFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));
}
