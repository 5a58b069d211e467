// The exploits of issue 13 items 1, 2 and 10, replayed deterministically: a folder swapped for a link exactly between the check and the rename.
using OpenThymos.Core.Hashing;
using OpenThymos.Core.Policy;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Signing;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.FileSystem;

/// <summary>
/// Each test swaps a workspace folder for a symbolic link at the instant the inotify attacker did: after
/// the runtime checked the path, staged the temp file and made the approval durable, right before the rename or
/// unlink. Before the fix the runtime renamed and unlinked by full path, so each write or delete went through the link.
/// </summary>
public sealed class SwapBetweenCheckAndUseTests
{
    private const string AutoApproveEverything = """{"version": 1, "defaultOutcome": "auto-approve"}""";

    [Fact]
    public void AnApprovedModifyWhoseFolderIsSwappedForALinkOutsideJustBeforeTheRenameWritesNothingOutside()
    {
        using var harness = new RuntimeHarness();
        var outside = Outside(harness, ("a.txt", "outside canary\n"));
        harness.Workspace.Write("src/a.txt", "inside\n");
        var proposalId = harness.Stage(harness.Modify("src/a.txt", "approved\n"));
        SwapJustBeforeTheRename(harness, "src", outside);

        var result = harness.ApproveAll(proposalId);

        Assert.Equal("outside canary\n", File.ReadAllText(Path.Combine(outside, "a.txt")));
        Assert.Single(Directory.GetFiles(outside));
        Assert.NotEqual(DecisionOutcome.Committed, result.Outcome);
    }

    [Fact]
    public void AnApprovedCreateWhoseFolderIsSwappedForALinkToThymosDoesNotWriteThePolicy()
    {
        using var harness = new RuntimeHarness();
        Directory.CreateDirectory(harness.Workspace.PathOf("sub"));
        var proposalId = harness.Stage(RuntimeHarness.Create("sub/policy.json", AutoApproveEverything));
        SwapJustBeforeTheRename(harness, "sub", harness.Workspace.PathOf(".thymos"));

        harness.ApproveAll(proposalId);

        Assert.False(File.Exists(harness.Workspace.PathOf(".thymos/policy.json")), "the approved create wrote .thymos/policy.json through the swapped link");
        Assert.Equal(WorkspacePolicy.Default.Hash, harness.Runtime.Policy.Hash);
    }

    [Fact]
    public void AnApprovedCreateIntoANewFolderWhoseParentIsSwappedForALinkOutsideWritesNothingOutside()
    {
        using var harness = new RuntimeHarness();
        var outside = Outside(harness, ("keep.txt", "outside canary\n"));
        Directory.CreateDirectory(harness.Workspace.PathOf("src"));
        var proposalId = harness.Stage(RuntimeHarness.Create("src/new/deep.txt", "approved\n"));
        SwapJustBeforeTheRename(harness, "src", outside);

        harness.ApproveAll(proposalId);

        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void AnApprovedDeleteWhoseFolderIsSwappedForALinkOutsideDeletesNothingOutside()
    {
        using var harness = new RuntimeHarness();
        var outside = Outside(harness, ("victim.txt", "outside canary\n"));
        harness.Workspace.Write("src/victim.txt", "inside\n");
        var proposalId = harness.Stage(new FileIntent(FileIntentKind.Delete, "src/victim.txt", BaseHash: harness.HashOf("src/victim.txt")));
        SwapJustBeforeTheRename(harness, "src", outside);

        harness.ApproveAll(proposalId);

        Assert.Equal("outside canary\n", File.ReadAllText(Path.Combine(outside, "victim.txt")));
    }

    [Fact]
    public void ALinkSwappedInAfterEveryCheckIsRefusedAtTheRenameWithAMessageNamingTheLinkedFolder()
    {
        using var harness = new RuntimeHarness();
        var outside = Outside(harness, ("a.txt", "outside canary\n"));
        harness.Workspace.Write("src/a.txt", "inside\n");
        var proposalId = harness.Stage(harness.Modify("src/a.txt", "approved\n"));
        SwapJustBeforeTheRename(harness, "src", outside);

        var result = harness.ApproveAll(proposalId);

        Assert.Equal(DecisionOutcome.Failed, result.Outcome);
        Assert.Contains($"Path 'src/a.txt' leaves the workspace through the symbolic link 'src' (to '{outside}')", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("outside canary\n", File.ReadAllText(Path.Combine(outside, "a.txt")));
    }

    [Fact]
    public void DriftReportsALinkWhereTheLedgerHasAFileInsteadOfReadingThroughIt()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("src/a.txt", "inside\n");
        var proposalId = harness.Stage(harness.Modify("src/a.txt", "approved\n"));
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);

        // The same bytes behind the link: reading through it, drift would see nothing wrong.
        var outside = Outside(harness, ("a.txt", "approved\n"));
        Directory.Move(harness.Workspace.PathOf("src"), harness.Workspace.PathOf("src.real"));
        Directory.CreateSymbolicLink(harness.Workspace.PathOf("src"), outside);

        var report = WorldReplayer.Drift(harness.Runtime.Ledger.Store, harness.Workspace.Workspace);

        var item = Assert.Single(report.Items);
        Assert.Equal("src/a.txt", item.Path);
        Assert.Equal(DriftKind.NotARegularFile, item.Kind);
        Assert.Null(item.Actual);
    }

    [Fact]
    public void ALinkedPolicyIsRefusedAndThePreviousPolicyStaysInForce()
    {
        using var harness = new RuntimeHarness(policyJson: """{"version": 1, "defaultOutcome": "require-approval"}""");
        var before = harness.Runtime.Policy.Hash;
        harness.Workspace.Write("shared/policy.json", AutoApproveEverything);
        File.Delete(harness.Workspace.PathOf(".thymos/policy.json"));
        File.CreateSymbolicLink(harness.Workspace.PathOf(".thymos/policy.json"), harness.Workspace.PathOf("shared/policy.json"));

        var result = harness.Submit(RuntimeHarness.Create("b.txt", "x\n"));

        Assert.Equal(before, harness.Runtime.Policy.Hash);
        Assert.NotEqual(SubmitOutcome.AutoApproved, result.Outcome);
        Assert.False(File.Exists(harness.Workspace.PathOf("b.txt")));
        var status = harness.Runtime.GetPolicyStatus();
        Assert.Contains("symbolic link", status.DiskError ?? "", StringComparison.Ordinal);
        Assert.Null(harness.Runtime.AdoptPolicy(ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(AutoApproveEverything)).ToString(), "human:test").Status);
        Assert.Equal(before, harness.Runtime.Policy.Hash);
    }

    [Fact]
    public void AKeyFolderInsideTheWorkspaceIsRefusedAtOpenWithAClearMessage()
    {
        using var workspace = new TempWorkspace();
        var options = workspace.Options() with { KeyDirectory = Path.Combine(workspace.Workspace, "keys") };

        var refusal = Assert.Throws<WorkspaceKeyException>(() => ThymosRuntime.Open(new RuntimeOptions { Ledger = options }));

        Assert.Contains("inside the workspace", refusal.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Workspace, "keys")));
    }

    /// <summary>A folder beside the workspace holding canary files; the test asserts they never change.</summary>
    private static string Outside(RuntimeHarness harness, params (string Name, string Text)[] files)
    {
        var outside = Path.Combine(harness.Workspace.Root, "outside");
        Directory.CreateDirectory(outside);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(outside, name), text);
        }

        return outside;
    }

    /// <summary>Once, right before the first rename or unlink: the folder moves aside and a link to <paramref name="target"/> takes its name.</summary>
    private static void SwapJustBeforeTheRename(RuntimeHarness harness, string folder, string target)
    {
        var swapped = false;
        harness.Probe.BeforeEachRename = _ =>
        {
            if (swapped)
            {
                return;
            }

            swapped = true;
            Directory.Move(harness.Workspace.PathOf(folder), harness.Workspace.PathOf(folder + ".real"));
            Directory.CreateSymbolicLink(harness.Workspace.PathOf(folder), target);
        };
    }
}
