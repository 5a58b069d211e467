// The PROPOSAL@REV form that names the revision a reviewer saw, and the hunk digests sent with it.
using System.Globalization;
using OpenThymos.Cli.Errors;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Commands;

/// <summary>Parses <c>PROPOSAL@REV</c> and collects the hunk digests of a shown proposal.</summary>
internal static class ReviewedRevision
{
    /// <summary>Splits <c>PROPOSAL@REV</c> at its last '@'; the revision is null when none is named.</summary>
    /// <exception cref="CliException">The text after '@' is not a positive revision number.</exception>
    public static (string ProposalId, int? Revision) Parse(string text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return (text, null);
        }

        var id = text[..at];
        var revision = text[(at + 1)..];
        if (id.Length == 0 || !int.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new CliException(ExitCodes.Usage, $"'{text}' is not PROPOSAL@REV: the revision after '@' must be a positive number, as `thymos show` prints it (for example p_1a2b@2).");
        }

        return (id, number);
    }

    /// <summary>The digest of every hunk of the proposal as shown, by <c>path#hunkId</c>.</summary>
    public static IReadOnlyDictionary<string, string> Digests(GetProposalResult shown) =>
        shown.Files.SelectMany(f => f.Hunks.Select(h => (Key: f.Path + "#" + h.Id, h.Digest)))
            .ToDictionary(p => p.Key, p => p.Digest, StringComparer.Ordinal);
}
