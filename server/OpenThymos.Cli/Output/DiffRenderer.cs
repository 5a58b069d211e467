// Renders a proposal's hunks as a unified diff for `thymos show`.
using System.Text;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Text;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Output;

/// <summary>
/// Unified diff text of a proposal, one section per file, each hunk named <c>path#id</c> with its status. Agent text
/// (names, description, paths, lines) is neutralized by <see cref="VisibleText"/>: one-line fields with
/// <see cref="VisibleText.Line"/>, so they cannot forge diff lines; a hunk holding hidden or control characters is
/// announced by a warning line naming them.
/// </summary>
internal static class DiffRenderer
{
    /// <summary>The whole proposal: a header, then each file.</summary>
    public static string Render(GetProposalResult detail)
    {
        var p = detail.Proposal;
        var text = new StringBuilder();
        text.AppendLine(Colors.Bold($"proposal {Show(p.ProposalId)}@{p.Revision} [{Show(p.Status)}] by {Show(p.Agent)} (writ {Show(p.WritId)})"));
        if (!string.IsNullOrEmpty(p.Description))
        {
            text.AppendLine("  " + VisibleText.Block(p.Description).Replace("\n", "\n  ", StringComparison.Ordinal));
        }

        if (p.HiddenCharacters.Count > 0)
        {
            text.AppendLine(Colors.Yellow($"⚠ proposal contains hidden or control characters: {string.Join(" ", p.HiddenCharacters.Select(Show))}"));
        }

        text.AppendLine($"  policy: {detail.Policy.Outcome}");
        foreach (var file in detail.Files)
        {
            var path = Show(file.Path);
            var from = file.Effect == "create" ? "/dev/null" : "a/" + Show(file.FromPath ?? file.Path);
            var to = file.Effect == "delete" ? "/dev/null" : "b/" + path;
            text.AppendLine(Colors.Bold($"--- {from}"));
            text.AppendLine(Colors.Bold($"+++ {to}"));
            if (file.Binary)
            {
                text.AppendLine($"Binary file ({file.Effect}), one whole-file hunk: {path}#{(file.Hunks.Count > 0 ? Show(file.Hunks[0].Id) + " digest " + HunkDigest.Short(file.Hunks[0].Digest) : "h1")}");
                continue;
            }

            var offset = 0;
            foreach (var hunk in file.Hunks)
            {
                var oldStart = hunk.BaseStart + (hunk.Removed.Count > 0 ? 1 : 0);
                var newStart = hunk.BaseStart + offset + (hunk.Added.Count > 0 ? 1 : 0);
                offset += hunk.Added.Count - hunk.Removed.Count;
                if (hunk.HiddenCharacters.Count > 0)
                {
                    text.AppendLine(Colors.Yellow($"⚠ hunk contains hidden or control characters: {string.Join(" ", hunk.HiddenCharacters.Select(Show))}"));
                }

                text.AppendLine(Colors.Cyan($"@@ -{oldStart},{hunk.Removed.Count} +{newStart},{hunk.Added.Count} @@ {path}#{Show(hunk.Id)} [{Show(hunk.Status)}] digest {HunkDigest.Short(hunk.Digest)}"));
                foreach (var line in hunk.Removed)
                {
                    text.AppendLine(Colors.Red("-" + VisibleText.Block(Chomp(line))));
                }

                foreach (var line in hunk.Added)
                {
                    text.AppendLine(Colors.Green("+" + VisibleText.Block(Chomp(line))));
                }
            }
        }

        if (p.Status == "pending")
        {
            text.AppendLine($"approve this revision with: thymos approve {p.ProposalId}@{p.Revision}");
        }

        return text.ToString();
    }

    // The line without its own terminator; a CR left inside is shown as a marker, never as a return to the line start.
    private static string Chomp(string line) =>
        line.EndsWith("\r\n", StringComparison.Ordinal) ? line[..^2] : line.EndsWith('\n') || line.EndsWith('\r') ? line[..^1] : line;

    private static string Show(string? text) => VisibleText.Line(text);
}
