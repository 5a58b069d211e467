// Converts between Effects flags and the lowercase names used in JSON, messages and canonical forms.
namespace OpenThymos.Core.Writs;

/// <summary>The JSON names of <see cref="Effects"/>: "create", "modify", "delete", "rename".</summary>
public static class EffectNames
{
    // Ordinal name order, which is also the order canonical forms list effects in.
    private static readonly (string Name, Effects Effect)[] Table =
    [
        ("create", Effects.Create),
        ("delete", Effects.Delete),
        ("modify", Effects.Modify),
        ("rename", Effects.Rename),
    ];

    /// <summary>The name of exactly one effect.</summary>
    /// <exception cref="ArgumentException">The value is not a single effect.</exception>
    public static string Name(Effects effect)
    {
        foreach (var (name, value) in Table)
        {
            if (value == effect)
            {
                return name;
            }
        }

        throw new ArgumentException($"'{effect}' is not a single effect.", nameof(effect));
    }

    /// <summary>The names of every effect in the set, sorted ordinally.</summary>
    public static IReadOnlyList<string> Names(Effects effects) =>
        [.. Table.Where(entry => (effects & entry.Effect) != 0).Select(entry => entry.Name)];

    /// <summary>Parses one effect name; false for anything else (names are case-sensitive).</summary>
    public static bool TryParse(string name, out Effects effect)
    {
        foreach (var (known, value) in Table)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                effect = value;
                return true;
            }
        }

        effect = Effects.None;
        return false;
    }

    /// <summary>True when the value is exactly one of the four effects.</summary>
    public static bool IsSingle(Effects effect) => Table.Any(entry => entry.Effect == effect);

    /// <summary>The names joined for messages, as in "[create, modify]".</summary>
    public static string Describe(Effects effects) => "[" + string.Join(", ", Names(effects)) + "]";
}
