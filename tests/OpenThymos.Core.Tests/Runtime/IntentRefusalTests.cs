// Intents that must be refused, each with a clear message, a stable code and a ledgered rejection.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class IntentRefusalTests
{
    private static void Check(Func<RuntimeHarness, FileIntent> intent, RuntimeErrorCode expected, string reasonCode, string messagePart)
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("a.txt", "a\n");
        var outside = Path.Combine(harness.Workspace.Root, "outside.txt");
        File.WriteAllText(outside, "secret\n");
        File.CreateSymbolicLink(harness.Workspace.PathOf("escape.txt"), outside);
        File.CreateSymbolicLink(harness.Workspace.PathOf("escape-dir"), harness.Workspace.Root);
        var ledgerBefore = harness.Runtime.Ledger.Head.Seq;

        var result = harness.Submit(intent(harness));

        Assert.Equal(SubmitOutcome.Refused, result.Outcome);
        Assert.Equal(expected, result.Error!.Code);
        Assert.Contains(messagePart, result.Error.Message, StringComparison.OrdinalIgnoreCase);
        var entries = harness.Runtime.Ledger.Read(ledgerBefore + 1, long.MaxValue).ToList();
        var rejection = WorkspaceLedger.Deserialize(Assert.Single(entries), LedgerJsonContext.Default.RejectionPayload);
        Assert.Equal(reasonCode, rejection.ReasonCode);
        Assert.Null(rejection.ProposalId);
        Assert.Equal("a\n", harness.Workspace.ReadText("a.txt"));
        Assert.Equal("secret\n", File.ReadAllText(outside));
    }

    [Fact]
    public void ModifyWithoutABaseHashIsRefused() =>
        Check(_ => new FileIntent(FileIntentKind.Modify, "a.txt", Content: "b\n"), RuntimeErrorCode.IntentInvalid, "intent-invalid", "baseHash");

    [Fact]
    public void DeleteWithoutABaseHashIsRefused() =>
        Check(_ => new FileIntent(FileIntentKind.Delete, "a.txt"), RuntimeErrorCode.IntentInvalid, "intent-invalid", "baseHash");

    [Fact]
    public void RenameWithoutABaseHashIsRefused() =>
        Check(_ => new FileIntent(FileIntentKind.Rename, "b.txt", FromPath: "a.txt"), RuntimeErrorCode.IntentInvalid, "intent-invalid", "baseHash");

    [Fact]
    public void ModifyAgainstAnOlderVersionIsRefusedAsStale() =>
        Check(h => new FileIntent(FileIntentKind.Modify, "a.txt", BaseHash: RuntimeHarness.Hash("old\n"u8.ToArray()), Content: "b\n"), RuntimeErrorCode.StaleBase, "stale-base", "changed since you read it");

    [Fact]
    public void CreatingAnExistingFileIsRefused() =>
        Check(_ => RuntimeHarness.Create("a.txt", "b\n"), RuntimeErrorCode.FileStateMismatch, "intent-invalid", "already exists");

    [Fact]
    public void DotDotPathsAreRefused() =>
        Check(_ => RuntimeHarness.Create("../escape.txt", "x"), RuntimeErrorCode.PathRefused, "path-refused", "..");

    [Fact]
    public void AbsolutePathsAreRefused() =>
        Check(_ => RuntimeHarness.Create("/etc/passwd", "x"), RuntimeErrorCode.PathRefused, "path-refused", "/etc/passwd");

    [Fact]
    public void NulBytesInPathsAreRefused() =>
        Check(_ => RuntimeHarness.Create("a\0b.txt", "x"), RuntimeErrorCode.PathRefused, "path-refused", "");

    [Fact]
    public void OverLongPathsAreRefused() =>
        Check(_ => RuntimeHarness.Create(string.Join('/', Enumerable.Repeat(new string('d', 200), 30)), "x"), RuntimeErrorCode.PathRefused, "path-refused", "");

    [Fact]
    public void SymlinksLeavingTheWorkspaceAreRefused() =>
        Check(_ => new FileIntent(FileIntentKind.Modify, "escape.txt", BaseHash: RuntimeHarness.Hash("secret\n"u8.ToArray()), Content: "pwned\n"), RuntimeErrorCode.PathRefused, "path-refused", "escape.txt");

    [Fact]
    public void WritingThroughASymlinkedDirectoryIsRefused() =>
        Check(_ => RuntimeHarness.Create("escape-dir/planted.txt", "x"), RuntimeErrorCode.PathRefused, "path-refused", "escape-dir");

    [Fact]
    public void DeviceFilesAreRefused()
    {
        using var harness = new RuntimeHarness();
        File.CreateSymbolicLink(harness.Workspace.PathOf("null"), "/dev/null");
        var result = harness.Submit(new FileIntent(FileIntentKind.Modify, "null", BaseHash: RuntimeHarness.Hash([]), Content: "x"));
        Assert.Equal(RuntimeErrorCode.PathRefused, result.Error!.Code);
    }

    [Fact]
    public void ASearchBlockThatDoesNotMatchIsRefusedNamingTheFile() =>
        Check(h => h.Edit("a.txt", "not in the file", "x"), RuntimeErrorCode.EditDoesNotApply, "intent-invalid", "a.txt");

    [Fact]
    public void AnEmptyIntentIsRefused()
    {
        using var harness = new RuntimeHarness();
        var result = harness.Runtime.Submit(harness.Session, new Intent("n", "nothing", []));
        Assert.Equal(RuntimeErrorCode.IntentInvalid, result.Error!.Code);
    }
}
