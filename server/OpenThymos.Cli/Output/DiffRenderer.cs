// Renders a proposal's hunks as a unified diff for `thymos show`.
using System.Text;
using OpenThymos.Core.Runtime;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Cli.Output;

/// <summary>Unified diff text of a proposal, one section per file, each hunk named <c>path#id</c> with its status.</summary>
internal static class DiffRenderer
{
    /// <summary>The whole proposal: a header, then each file.</summary>
    public static string Render(GetProposalResult detail)
    {
        var p = detail.Proposal;
        var text = new StringBuilder();
        text.AppendLine(Colors.Bold($"proposal {p.ProposalId}@{p.Revision} [{p.Status}] by {p.Agent} (writ {p.WritId})"));
        if (!string.IsNullOrEmpty(p.Description))
        {
            text.AppendLine("  " + p.Description);
        }

        text.AppendLine($"  policy: {detail.Policy.Outcome}");
        foreach (var file in detail.Files)
        {
            var from = file.Effect == "create" ? "/dev/null" : "a/" + (file.FromPath ?? file.Path);
            var to = file.Effect == "delete" ? "/dev/null" : "b/" + file.Path;
            text.AppendLine(Colors.Bold($"--- {from}"));
            text.AppendLine(Colors.Bold($"+++ {to}"));
            if (file.Binary)
            {
                text.AppendLine($"Binary file ({file.Effect}), one whole-file hunk: {file.Path}#{(file.Hunks.Count > 0 ? file.Hunks[0].Id + " digest " + HunkDigest.Short(file.Hunks[0].Digest) : "h1")}");
                continue;
            }

            var offset = 0;
            foreach (var hunk in file.Hunks)
            {
                var oldStart = hunk.BaseStart + (hunk.Removed.Count > 0 ? 1 : 0);
                var newStart = hunk.BaseStart + offset + (hunk.Added.Count > 0 ? 1 : 0);
                offset += hunk.Added.Count - hunk.Removed.Count;
                text.AppendLine(Colors.Cyan($"@@ -{oldStart},{hunk.Removed.Count} +{newStart},{hunk.Added.Count} @@ {file.Path}#{hunk.Id} [{hunk.Status}] digest {HunkDigest.Short(hunk.Digest)}"));
                foreach (var line in hunk.Removed)
                {
                    text.AppendLine(Colors.Red("-" + Chomp(line)));
                }

                foreach (var line in hunk.Added)
                {
                    text.AppendLine(Colors.Green("+" + Chomp(line)));
                }
            }
        }

        if (p.Status == "pending")
        {
            text.AppendLine($"approve this revision with: thymos approve {p.ProposalId}@{p.Revision}");
        }

        return text.ToString();
    }

    private static string Chomp(string line) => line.TrimEnd('\n').TrimEnd('\r');
}
