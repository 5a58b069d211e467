// A view of text with "\r\n" folded to "\n", mapping positions back to the original.
namespace OpenThymos.Core.Text;

/// <summary>
/// Text with every "\r\n" replaced by "\n", plus a map from each normalized position to the
/// original one, so a match found line-ending-insensitively can be cut out of the original
/// text without disturbing any byte around it.
/// </summary>
internal sealed class LfNormalizedText
{
    private readonly int[] _originalIndex;

    public LfNormalizedText(string original)
    {
        var builder = new System.Text.StringBuilder(original.Length);
        var map = new List<int>(original.Length + 1);
        for (int i = 0; i < original.Length; i++)
        {
            // The '\n' of a CRLF maps to the '\r', so a match that starts or ends there takes the pair.
            if (original[i] == '\r' && i + 1 < original.Length && original[i + 1] == '\n')
            {
                map.Add(i);
                builder.Append('\n');
                i++;
                continue;
            }

            map.Add(i);
            builder.Append(original[i]);
        }

        map.Add(original.Length);
        Text = builder.ToString();
        _originalIndex = [.. map];
    }

    /// <summary>The normalized text.</summary>
    public string Text { get; }

    /// <summary>Folds "\r\n" to "\n" in any string.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The original index of normalized position <paramref name="normalizedIndex"/> (0..Text.Length).</summary>
    public int OriginalIndex(int normalizedIndex) => _originalIndex[normalizedIndex];
}
