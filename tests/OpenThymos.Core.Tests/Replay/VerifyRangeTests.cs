// The chain check on its own: a run of entries from a given parent and signer, without a store.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Replay;

public sealed class VerifyRangeTests
{
    [Fact]
    public void ARunFromTheMiddleWithItsParentAndSignerVerifies()
    {
        using var harness = Ledger(out var entries);
        var from = entries.FindIndex(e => e.Kind == EntryKind.WritIssued);
        var result = LedgerVerifier.VerifyRange(entries.Skip(from), entries[from].Seq, entries[from - 1].Hash, harness.Runtime.Ledger.Genesis.WorkspaceKey);
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(entries.Count - from, result.EntriesChecked);
        Assert.Equal(entries[^1].Seq, result.HeadSeq);
    }

    [Fact]
    public void TheWholeLedgerFromAZeroParentWithNoSignerVerifies()
    {
        using var harness = Ledger(out var entries);
        Assert.True(LedgerVerifier.VerifyRange(entries, LedgerFormat.GenesisSeq, ContentHash.Zero, signerKey: null).IsValid);
    }

    [Fact]
    public void ARunThatDoesNotContinueTheGivenParentIsAParentMismatch()
    {
        using var harness = Ledger(out var entries);
        var result = LedgerVerifier.VerifyRange(entries.Skip(2), entries[2].Seq, ContentHash.Of([1, 2, 3]), harness.Runtime.Ledger.Genesis.WorkspaceKey);
        Assert.Equal(VerificationProblemCode.ParentMismatch, Assert.Single(result.Problems).Code);
        Assert.Equal(entries[2].Seq, result.Problems[0].Seq);
    }

    [Fact]
    public void AWritCheckedAgainstAnotherSignerIsASignatureProblem()
    {
        using var harness = Ledger(out var entries);
        var from = entries.FindIndex(e => e.Kind == EntryKind.WritIssued);
        var otherKey = new string('a', harness.Runtime.Ledger.Genesis.WorkspaceKey.Length);
        var result = LedgerVerifier.VerifyRange(entries.Skip(from), entries[from].Seq, entries[from - 1].Hash, otherKey);
        Assert.Contains(result.Problems, p => p.Code == VerificationProblemCode.SignatureInvalid && p.Seq == entries[from].Seq);
    }

    [Fact]
    public void ARunThatStartsAfterTheGivenFirstSeqReportsTheMissingEntries()
    {
        using var harness = Ledger(out var entries);
        var result = LedgerVerifier.VerifyRange(entries.Skip(3), entries[1].Seq, entries[0].Hash, harness.Runtime.Ledger.Genesis.WorkspaceKey);
        Assert.Contains(result.Problems, p => p.Code == VerificationProblemCode.SeqGap && p.Seq == entries[1].Seq);
    }

    [Fact]
    public void AnEntryChangedInsideTheRunIsAHashMismatch()
    {
        using var harness = Ledger(out var entries);
        var changed = entries[3] with { Actor = entries[3].Actor + "!" };
        var run = entries.Skip(1).Select(e => e.Seq == changed.Seq ? changed : e);
        var result = LedgerVerifier.VerifyRange(run, entries[1].Seq, entries[0].Hash, harness.Runtime.Ledger.Genesis.WorkspaceKey);
        Assert.Contains(result.Problems, p => p.Code == VerificationProblemCode.HashMismatch && p.Seq == changed.Seq);
    }

    private static RuntimeHarness Ledger(out List<LedgerEntry> entries)
    {
        var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "one\n");
        harness.ApproveAll(harness.Stage(harness.Modify("a.txt", "two\n")));
        entries = [.. harness.Runtime.Ledger.Read()];
        Assert.Contains(entries, e => e.Kind == EntryKind.WritIssued);
        return harness;
    }
}
