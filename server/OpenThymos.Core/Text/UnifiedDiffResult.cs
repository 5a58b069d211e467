// The outcome of applying a unified diff: the new text or the failure.
using System.Diagnostics.CodeAnalysis;

namespace OpenThymos.Core.Text;

/// <summary>Either the patched text or the failure that stopped the patch.</summary>
public sealed class UnifiedDiffResult
{
    private UnifiedDiffResult(string? text, UnifiedDiffFailure? failure)
    {
        Text = text;
        Failure = failure;
    }

    /// <summary>The full new text of the file when every hunk applied.</summary>
    public string? Text { get; }

    /// <summary>Why the diff was refused.</summary>
    public UnifiedDiffFailure? Failure { get; }

    /// <summary>Whether every hunk applied.</summary>
    [MemberNotNullWhen(true, nameof(Text))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Text is not null;

    /// <summary>A successful result.</summary>
    public static UnifiedDiffResult Success(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    /// <summary>A refused diff.</summary>
    public static UnifiedDiffResult Failed(UnifiedDiffFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));
}
