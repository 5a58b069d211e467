// An approval names the revision and the hunk content digests the reviewer saw; anything newer is refused and writes nothing.
using System.Text.Json;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ReviewPinTests
{
    private const string Ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

    [Fact]
    public void ApprovingWithTheDigestsTheReviewerSawCommitsAndRecordsThemInTheApproval()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        var (revision, digests) = Seen(harness, proposalId);

        var result = harness.Runtime.Approve(new ApproveRequest(proposalId, revision, "human:tester", HunkSelection.All, HunkDigests: digests));

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        Assert.Equal(Ten.Replace("9\n", "NINE\n"), harness.Workspace.ReadText("a.txt"));
        using var approval = JsonDocument.Parse(Assert.Single(harness.Entries(EntryKind.Approval)).Payload);
        Assert.Equal(digests["a.txt#h1"], approval.RootElement.GetProperty("hunkDigests").GetProperty("a.txt#h1").GetString());
        Assert.False(approval.RootElement.TryGetProperty("pinned", out _));
    }

    [Fact]
    public void AnAgentsShellEditThatRevisesTheProposalAfterTheReviewerLookedIsRefusedAndNothingIsWritten()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));
        var (seenRevision, seenDigests) = Seen(harness, proposalId);

        // Between the reviewer's look and the click, the agent's shell inserts a line above the hunk: the runtime rebases
        // the proposal into revision 2, whose hunk sits one line lower.
        var shellEdit = "inserted\n" + Ten;
        harness.Workspace.Write("a.txt", shellEdit);
        Assert.Equal(DecisionOutcome.Rebased, Assert.Single(harness.Runtime.ObserveChangedFiles(["a.txt"])).Outcome);
        var entries = harness.Runtime.Ledger.Head.Seq;

        var olderRevision = harness.Runtime.Approve(new ApproveRequest(proposalId, seenRevision, "human:tester", HunkSelection.All, HunkDigests: seenDigests));
        var currentRevisionOlderDigests = harness.Runtime.Approve(new ApproveRequest(proposalId, 2, "human:tester", HunkSelection.All, HunkDigests: seenDigests));
        var rejectOlderDigests = harness.Runtime.Reject(new RejectRequest(proposalId, 2, "human:tester", HunkSelection.All, "no", seenDigests));

        Assert.Equal((DecisionOutcome.Refused, RuntimeErrorCode.RevisionMismatch), (olderRevision.Outcome, olderRevision.Error!.Code));
        Assert.Contains("revision 2", olderRevision.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"thymos approve {proposalId}@2", olderRevision.Error.Message, StringComparison.Ordinal);
        Assert.Equal((DecisionOutcome.Refused, RuntimeErrorCode.ReviewOutdated), (currentRevisionOlderDigests.Outcome, currentRevisionOlderDigests.Error!.Code));
        Assert.Contains("a.txt#h1", currentRevisionOlderDigests.Error.Message, StringComparison.Ordinal);
        Assert.Contains("review revision 2 again", currentRevisionOlderDigests.Error.Message, StringComparison.Ordinal);
        Assert.Equal(RuntimeErrorCode.ReviewOutdated, rejectOlderDigests.Error!.Code);
        Assert.Equal(shellEdit, harness.Workspace.ReadText("a.txt"));
        Assert.Equal(entries, harness.Runtime.Ledger.Head.Seq);
        Assert.True(harness.Runtime.GetProposal(proposalId)!.IsPending);

        var (revision, digests) = Seen(harness, proposalId);
        Assert.Equal(DecisionOutcome.Committed, harness.Runtime.Approve(new ApproveRequest(proposalId, revision, "human:tester", HunkSelection.All, HunkDigests: digests)).Outcome);
        Assert.Equal(shellEdit.Replace("9\n", "NINE\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AnApprovalCoveringAHunkTheReviewerDidNotSeeIsRefused()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("2\n", "TWO\n").Replace("9\n", "NINE\n")));
        var (revision, digests) = Seen(harness, proposalId);
        var onlyTheFirst = new Dictionary<string, string> { ["a.txt#h1"] = digests["a.txt#h1"] };

        var all = harness.Runtime.Approve(new ApproveRequest(proposalId, revision, "human:tester", HunkSelection.All, HunkDigests: onlyTheFirst));
        var first = harness.Runtime.Approve(new ApproveRequest(proposalId, revision, "human:tester", new HunkSelection(Hunks: ["a.txt#h1"]), HunkDigests: onlyTheFirst));

        Assert.Equal(RuntimeErrorCode.ReviewOutdated, all.Error!.Code);
        Assert.Contains("'a.txt#h2'", all.Error.Message, StringComparison.Ordinal);
        Assert.Equal(DecisionOutcome.Committed, first.Outcome);
        Assert.Equal(Ten.Replace("2\n", "TWO\n"), harness.Workspace.ReadText("a.txt"));
    }

    [Fact]
    public void AnUnpinnedApprovalIsRecordedAsUnpinned()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", Ten);
        var proposalId = harness.Stage(harness.Modify("a.txt", Ten.Replace("9\n", "NINE\n")));

        var result = harness.Runtime.Approve(new ApproveRequest(proposalId, 1, "human:tester", HunkSelection.All, Pinned: false));

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        using var approval = JsonDocument.Parse(Assert.Single(harness.Entries(EntryKind.Approval)).Payload);
        Assert.False(approval.RootElement.GetProperty("pinned").GetBoolean());
        Assert.False(approval.RootElement.TryGetProperty("hunkDigests", out _));
    }

    private static (int Revision, Dictionary<string, string> Digests) Seen(RuntimeHarness harness, string proposalId)
    {
        var proposal = harness.Runtime.GetProposal(proposalId)!;
        var digests = proposal.Files.Values
            .SelectMany(f => f.Record.Hunks.Select(h => (Key: HunkKey.Of(f.Record.Path, h.Id), Digest: HunkDigest.Of(f.Record, h))))
            .ToDictionary(p => p.Key, p => p.Digest, StringComparer.Ordinal);
        return (proposal.Revision, digests);
    }
}
