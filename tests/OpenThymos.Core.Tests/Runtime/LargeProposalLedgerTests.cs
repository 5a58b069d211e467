// No single proposal stops the ledger: large ones are staged with their hunks in blobs or refused as a value, every
// entry stays under the per-entry cap, and a write the store rolls back leaves the ledger writable.
using System.Text;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Ledger.Payloads;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Runtime.State;
using OpenThymos.Core.Storage.LiteDb;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class LargeProposalLedgerTests
{
    [Fact]
    public void ANineMegabyteFileIsStagedWithItsHunksInABlobAndTheReviewersRejectIsRecorded()
    {
        using var harness = new RuntimeHarness();
        var text = Lines(9 * 1024 * 1024);

        var id = harness.Stage(RuntimeHarness.Create("big.txt", text));

        var staged = harness.Entries(EntryKind.ProposalStaged)[^1];
        Assert.True(staged.Payload.Length < LedgerFormat.MaxEntryBytes, $"the staged entry is {staged.Payload.Length} bytes");
        var stored = WorkspaceLedger.Deserialize(staged, LedgerJsonContext.Default.ProposalStagedPayload);
        Assert.Equal(LedgerFormat.HunkBlobPayloadFormat, stored.Format);
        Assert.Empty(stored.Files[0].Hunks);
        Assert.NotNull(harness.Runtime.Ledger.ReadBlob(OpenThymos.Core.Hashing.ContentHash.Parse(stored.Files[0].HunksBlob!)));
        Assert.Equal(text, string.Concat(harness.Runtime.GetProposal(id)!.Files["big.txt"].Record.Hunks.SelectMany(h => h.Added)));

        var rejected = harness.Runtime.Reject(new RejectRequest(id, 1, "human:tester", HunkSelection.All, "too big"));
        Assert.Null(rejected.Error);
        AssertVerifies(harness);

        var before = Describe(harness.Runtime.GetProposal(id)!);
        harness.Restart();
        Assert.Equal(before, Describe(harness.Runtime.GetProposal(id)!));
        Assert.Equal(text, string.Concat(harness.Runtime.GetProposal(id)!.Files["big.txt"].Record.Hunks.SelectMany(h => h.Added)));
    }

    [Fact]
    public void FiveHundredFilesOf27KilobytesInOneProposalAreStagedApprovedAndRefoldedAfterARestart()
    {
        using var harness = new RuntimeHarness();
        var files = Enumerable.Range(0, 500).Select(i => RuntimeHarness.Create($"gen/file{i:D3}.txt", Lines(27 * 1024, seed: i))).ToArray();

        var id = harness.Stage(files);
        Assert.All(harness.Runtime.Ledger.Read(), entry => Assert.True(entry.Payload.Length <= LedgerFormat.MaxEntryBytes, $"entry {entry.Seq} ({entry.Kind}) is {entry.Payload.Length} bytes"));
        var approved = harness.ApproveAll(id);
        Assert.Null(approved.Error);
        Assert.Equal(files[123].Content, harness.Workspace.ReadText("gen/file123.txt"));
        AssertVerifies(harness);

        var before = Describe(harness.Runtime.GetProposal(id)!);
        harness.Restart();
        Assert.Equal(before, Describe(harness.Runtime.GetProposal(id)!));
        Assert.Equal(harness.Stage(RuntimeHarness.Create("after.txt", "next\n")), harness.Runtime.ListProposals()[0].Id);
    }

    [Fact]
    public void AFortyMegabyteFileIsStagedAndTheNextSubmissionAndARejectStillSucceed()
    {
        using var harness = new RuntimeHarness();
        var text = Lines(40 * 1024 * 1024);

        var big = harness.Submit(RuntimeHarness.Create("huge.txt", text));
        Assert.True(big.Outcome == SubmitOutcome.Staged, $"{big.Outcome}: {big.Error}");
        Assert.All(harness.Runtime.Ledger.Read(), entry => Assert.True(entry.Payload.Length <= LedgerFormat.MaxEntryBytes));

        var next = harness.Stage(RuntimeHarness.Create("small.txt", "small\n"));
        Assert.Null(harness.Runtime.Reject(new RejectRequest(big.ProposalId!, 1, "human:tester", HunkSelection.All, "no")).Error);
        Assert.Null(harness.ApproveAll(next).Error);
        AssertVerifies(harness);
        harness.Restart();
        Assert.Equal(ProposalStatus.Rejected, harness.Runtime.GetProposal(big.ProposalId!)!.Status);
    }

    [Fact]
    public void AProposalWhoseApprovalCouldNotBeRecordedIsRefusedAsTooLargeAndTheRefusalIsLedgered()
    {
        using var harness = new RuntimeHarness();
        // Every other line changes under a path near the 4 KiB limit: hundreds of hunks, each named "path#hN" (and given a
        // digest) by the approval that would decide them. Few enough changed lines that the diff stays within its step
        // budget and keeps them as separate hunks instead of one whole-region replacement.
        var path = string.Join("/", Enumerable.Range(0, 15).Select(i => new string((char)('a' + i), 250))) + "/many.txt";
        var lines = Enumerable.Range(0, 1200).Select(i => $"line {i}\n").ToArray();
        harness.Workspace.Write(path, string.Concat(lines));
        var changed = string.Concat(lines.Select((line, i) => i % 2 == 0 ? "changed " + line : line));
        var head = harness.Runtime.Ledger.Head.Seq;

        var result = harness.Submit(harness.Modify(path, changed));

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        Assert.Equal(RuntimeErrorCode.ProposalTooLarge, result.Error!.Code);
        Assert.Contains("too large to record", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Split it", result.Error.Message, StringComparison.Ordinal);
        var entry = Assert.Single(harness.Runtime.Ledger.Read(head + 1, long.MaxValue));
        var rejection = WorkspaceLedger.Deserialize(entry, LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal(RejectionReason.TooLarge, rejection.ReasonCode);
        Assert.True(entry.Payload.Length < 4096, $"the refusal entry is {entry.Payload.Length} bytes");
        Assert.Empty(harness.Runtime.ListProposals());
        harness.Stage(RuntimeHarness.Create("fine.txt", "fine\n"));
    }

    [Fact]
    public void AnAppendTheStoreRollsBackIsRefusedAndLedgeredAndTheLedgerStaysWritable()
    {
        using var harness = new RuntimeHarness();
        var first = harness.Stage(RuntimeHarness.Create("first.txt", "first\n"));
        var store = (LiteDbLedgerStore)harness.Runtime.Ledger.Store;
        var failures = 0;
        store.BeforeCommit = _ =>
        {
            if (failures++ == 0)
            {
                throw new IOException("injected: the store refused the transaction");
            }
        };

        var refused = harness.Submit(RuntimeHarness.Create("second.txt", "second\n"));
        store.BeforeCommit = null;

        Assert.Equal(SubmitOutcome.Refused, refused.Outcome);
        Assert.Equal(RuntimeErrorCode.LedgerWriteFailed, refused.Error!.Code);
        Assert.Contains("injected", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Send it again", refused.Error.Message, StringComparison.Ordinal);
        // Nothing of the rolled-back submission is in the state or the ledger; its refusal is.
        Assert.Equal([first], harness.Runtime.ListProposals().Select(p => p.Id));
        var rejection = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.Rejection)[^1], LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal((RejectionReason.LedgerWriteFailed, (string?)null), (rejection.ReasonCode, rejection.ProposalId));
        Assert.Equal(["second.txt"], rejection.Paths);

        // The reviewer's reject and another submission are recorded.
        Assert.Null(harness.Reject(first, "first.txt#h1").Error);
        var third = harness.Stage(RuntimeHarness.Create("third.txt", "third\n"));
        AssertVerifies(harness);
        var before = harness.Runtime.ListProposals().Select(Describe).ToList();
        harness.Restart();
        Assert.Equal(before, harness.Runtime.ListProposals().Select(Describe).ToList());
        Assert.Equal(ProposalStatus.Pending, harness.Runtime.GetProposal(third)!.Status);
    }

    [Fact]
    public void AStoreFailureAfterTheCommitMakesTheRuntimeSayTheLedgerCannotGoOn()
    {
        using var harness = new RuntimeHarness();
        var reasons = new List<string>();
        harness.Runtime.LedgerFailed += reasons.Add;
        var store = (LiteDbLedgerStore)harness.Runtime.Ledger.Store;
        store.AfterCommit = () => throw new IOException("injected: fsync failed");

        Assert.ThrowsAny<IOException>(() => harness.Submit(RuntimeHarness.Create("x.txt", "x\n")));
        store.AfterCommit = null;

        var reason = Assert.Single(reasons);
        Assert.Contains("cannot take more entries", reason, StringComparison.Ordinal);
        Assert.Contains("injected: fsync failed", reason, StringComparison.Ordinal);
        Assert.Contains("restart", reason, StringComparison.Ordinal);
        Assert.True(harness.Runtime.Ledger.IsFaulted);
        Assert.ThrowsAny<IOException>(() => harness.Submit(RuntimeHarness.Create("y.txt", "y\n")));
        Assert.Single(reasons);
    }

    [Fact]
    public void TheLedgerRefusesToStageAnEntryOverTheCapAndStaysWritable()
    {
        using var harness = new RuntimeHarness();
        var ledger = harness.Runtime.Ledger;
        var head = ledger.Head.Seq;
        var huge = new PendingEntry(EntryKind.Rejection, "runtime", Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', LedgerFormat.MaxEntryBytes) + "\"}"));

        var refused = Assert.Throws<LedgerEntryTooLargeException>(() => ledger.Stage([huge], []));

        Assert.Contains("over the ledger's limit", refused.Message, StringComparison.Ordinal);
        Assert.Equal(head, ledger.StagedSeq);
        harness.Stage(RuntimeHarness.Create("ok.txt", "ok\n"));
        Assert.Equal(head + 1, ledger.Head.Seq);
    }

    [Fact]
    public void AFormatOneStagedPayloadWithInlineHunksStillFoldsAndVerifies()
    {
        // Written as every ledger before format 2 was (hunks inline, no format field): read back unchanged.
        using var harness = new RuntimeHarness();
        var id = harness.Stage(RuntimeHarness.Create("small.txt", "one\ntwo\n"));
        var staged = harness.Entries(EntryKind.ProposalStaged)[^1];
        var text = Encoding.UTF8.GetString(staged.Payload);
        Assert.DoesNotContain("\"format\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunksBlob", text, StringComparison.Ordinal);
        Assert.Contains("\"added\":[\"one\\n\",\"two\\n\"]", text, StringComparison.Ordinal);
        harness.Restart();
        Assert.Equal(["one\n", "two\n"], harness.Runtime.GetProposal(id)!.Files["small.txt"].Record.Hunks[0].Added);
        AssertVerifies(harness);
    }

    [Fact]
    public void VerifyReportsAHunkBlobThatIsMissing()
    {
        using var harness = new RuntimeHarness();
        harness.Stage(RuntimeHarness.Create("big.txt", Lines(200 * 1024)));
        var stored = WorkspaceLedger.Deserialize(harness.Entries(EntryKind.ProposalStaged)[^1], LedgerJsonContext.Default.ProposalStagedPayload);
        var hunksBlob = OpenThymos.Core.Hashing.ContentHash.Parse(stored.Files[0].HunksBlob!);
        var seq = harness.Entries(EntryKind.ProposalStaged)[^1].Seq;

        var references = EntryReferences.BlobsOf(harness.Entries(EntryKind.ProposalStaged)[^1]).ToList();
        Assert.Contains(hunksBlob, references);
        Assert.Equal(EntryReferences.InspectTyped(harness.Entries(EntryKind.ProposalStaged)[^1], out var typed), EntryReferences.Inspect(harness.Entries(EntryKind.ProposalStaged)[^1], out var scanned));
        Assert.Equal(typed, scanned);

        var verification = LedgerVerifier.Verify(new WithoutBlob(harness.Runtime.Ledger.Store, hunksBlob), harness.Workspace.KeyDirectory);
        var problem = Assert.Single(verification.Problems, p => p.Code == VerificationProblemCode.BlobMissing);
        Assert.Equal(seq, problem.Seq);
    }

    private static void AssertVerifies(RuntimeHarness harness)
    {
        harness.Runtime.Ledger.FlushHeadAnchor();
        var verification = LedgerVerifier.Verify(harness.Runtime.Ledger.Store, harness.Workspace.KeyDirectory);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems.Select(p => p.Message)));
    }

    private static string Describe(ProposalState proposal) =>
        $"{proposal.Id} r{proposal.Revision} {proposal.Status} " + string.Join(",", proposal.Files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => f.Key + ":" + string.Join("/", f.Value.Hunks.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + "=" + h.Value))));

    /// <summary>About <paramref name="bytes"/> bytes of distinct text lines.</summary>
    private static string Lines(int bytes, int seed = 0)
    {
        var text = new StringBuilder(bytes + 100);
        for (var line = 0; text.Length < bytes; line++)
        {
            text.Append("line ").Append(seed).Append(' ').Append(line).Append(" of a large generated file, with some words to fill it\n");
        }

        return text.ToString();
    }

    /// <summary>A store that answers as if one blob were missing.</summary>
    private sealed class WithoutBlob(ILedgerStore inner, OpenThymos.Core.Hashing.ContentHash missing) : ILedgerStore
    {
        public string Location => inner.Location;

        public LedgerEntry? ReadLast() => inner.ReadLast();

        public LedgerEntry? Read(long seq) => inner.Read(seq);

        public IEnumerable<LedgerEntry> ReadRange(long fromSeq, long toSeq) => inner.ReadRange(fromSeq, toSeq);

        public long MaxSeq() => inner.MaxSeq();

        public long Count() => inner.Count();

        public void Append(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<BlobWrite> blobs) => throw new InvalidOperationException("read only");

        public bool ContainsBlob(OpenThymos.Core.Hashing.ContentHash hash) => hash != missing && inner.ContainsBlob(hash);

        public byte[]? ReadBlob(OpenThymos.Core.Hashing.ContentHash hash) => hash == missing ? null : inner.ReadBlob(hash);

        public IEnumerable<OpenThymos.Core.Hashing.ContentHash> ListBlobs() => inner.ListBlobs().Where(h => h != missing);

        public void Dispose()
        {
        }
    }
}
