// Builds a realistic ledger through the runtime: writs, proposals, partial decisions, rejections, a revert.
using OpenThymos.Core.Runtime;
using Xunit;

namespace OpenThymos.Core.Tests.Support;

public static class SampleHistory
{
    /// <summary>Runs a varied workflow and returns the commit seqs in order.</summary>
    public static IReadOnlyList<long> Build(RuntimeHarness harness, int rounds = 4)
    {
        var commits = new List<long>();
        harness.Workspace.Write("src/app.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");
        for (var round = 0; round < rounds; round++)
        {
            var created = harness.ApproveAll(harness.Stage(RuntimeHarness.Create($"src/file{round}.txt", $"round {round}\r\nline two\r\n")));
            commits.Add(created.CommitSeq!.Value);

            var lines = harness.Workspace.ReadText("src/app.txt").Split('\n');
            lines[0] = $"first {round}";
            lines[^2] = $"last {round}";
            var edit = harness.Stage(harness.Modify("src/app.txt", string.Join('\n', lines)));
            var partial = harness.Approve(edit, "src/app.txt#h1");
            Assert.Equal(DecisionOutcome.Committed, partial.Outcome);
            commits.Add(partial.CommitSeq!.Value);
            harness.Reject(edit, "src/app.txt#h2");

            harness.Reject(harness.Stage(RuntimeHarness.Create($"junk{round}.txt", "no\n")));
        }

        var reverted = harness.Runtime.Revert(commits[0], "human:tester", "sample revert");
        Assert.Equal(DecisionOutcome.Committed, reverted.Outcome);
        commits.Add(reverted.CommitSeq!.Value);
        return commits;
    }
}
