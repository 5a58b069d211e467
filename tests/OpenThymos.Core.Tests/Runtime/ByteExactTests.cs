// Line endings, BOMs, encodings, final newlines, binary content and file modes survive where unchanged.
using System.Text;
using OpenThymos.Core.Runtime;
using OpenThymos.Core.Tests.Support;
using Xunit;

namespace OpenThymos.Core.Tests.Runtime;

public sealed class ByteExactTests
{
    /// <summary>Writes <paramref name="original"/>, applies one search/replace through the runtime, compares bytes.</summary>
    private static void Check(byte[] original, string search, string replace, byte[] expected)
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("f.txt", original);
        var proposalId = harness.Stage(harness.Edit("f.txt", search, replace));
        Assert.Equal(DecisionOutcome.Committed, harness.ApproveAll(proposalId).Outcome);
        Assert.Equal(expected, harness.Workspace.Read("f.txt"));
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void CrlfLinesStayCrlf() => Check(B("a\r\nb\r\nc\r\n"), "b", "B", B("a\r\nB\r\nc\r\n"));

    [Fact]
    public void ACrlfSearchMatchesAndTheReplacementTakesTheFilesEnding() => Check(B("a\r\nb\r\nc\r\n"), "a\nb", "x\ny", B("x\r\ny\r\nc\r\n"));

    [Fact]
    public void MixedLineEndingsSurviveOutsideTheChange() => Check(B("a\r\nb\nc\r\nd\n"), "c", "C", B("a\r\nb\nC\r\nd\n"));

    [Fact]
    public void AMissingFinalNewlineStaysMissing() => Check(B("a\nb"), "a", "A", B("A\nb"));

    [Fact]
    public void AUtf8BomSurvives() => Check([0xEF, 0xBB, 0xBF, .. B("a\nb\n")], "b", "B", [0xEF, 0xBB, 0xBF, .. B("a\nB\n")]);

    [Fact]
    public void Latin1TextSurvivesByteForByte() => Check([0x63, 0x61, 0x66, 0xE9, 0x0A, 0x78, 0x0A], "x", "y", [0x63, 0x61, 0x66, 0xE9, 0x0A, 0x79, 0x0A]);

    [Fact]
    public void AFullContentRewriteWithLfKeepsTheCrlfOfUnchangedLines()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("f.txt", B("one\r\ntwo\r\nthree\r\n"));
        var proposalId = harness.Stage(harness.Modify("f.txt", "one\nTWO\nthree\n"));
        var hunk = harness.Runtime.GetProposal(proposalId)!.Files["f.txt"].Record.Hunks.Single();
        Assert.Equal(["two\r\n"], hunk.Removed);
        harness.ApproveAll(proposalId);
        Assert.Equal(B("one\r\nTWO\r\nthree\r\n"), harness.Workspace.Read("f.txt"));
    }

    [Fact]
    public void TheFileModeIsKept()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("run.sh", "#!/bin/sh\necho hi\n");
        var executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(harness.Workspace.PathOf("run.sh"), executable);

        harness.ApproveAll(harness.Stage(harness.Edit("run.sh", "echo hi", "echo hello")));

        Assert.Equal(executable, File.GetUnixFileMode(harness.Workspace.PathOf("run.sh")));
        Assert.Equal("#!/bin/sh\necho hello\n", harness.Workspace.ReadText("run.sh"));
    }

    [Fact]
    public void ABinaryFileIsOneWholeFileProposal()
    {
        using var harness = new RuntimeHarness();
        byte[] image = [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02, 0x00, 0xFF];
        byte[] changed = [0x89, 0x50, 0x4E, 0x47, 0x00, 0x09, 0x09, 0x00, 0xFF, 0x10];
        harness.Workspace.Write("logo.png", image);
        var proposalId = harness.Stage(new FileIntent(FileIntentKind.Modify, "logo.png", BaseHash: harness.HashOf("logo.png"), ContentBase64: Convert.ToBase64String(changed)));

        var file = harness.Runtime.GetProposal(proposalId)!.Files["logo.png"];
        Assert.True(file.Record.Binary);
        Assert.Single(file.Record.Hunks);
        Assert.Equal(image, harness.Workspace.Read("logo.png"));
        harness.ApproveAll(proposalId);
        Assert.Equal(changed, harness.Workspace.Read("logo.png"));
    }

    [Fact]
    public void TextContentForABinaryFileIsRefused()
    {
        using var harness = new RuntimeHarness();
        harness.Workspace.Write("blob.bin", [0x00, 0x01, 0x02]);
        var result = harness.Submit(new FileIntent(FileIntentKind.Modify, "blob.bin", BaseHash: harness.HashOf("blob.bin"), Content: "text"));
        Assert.Equal(RuntimeErrorCode.IntentInvalid, result.Error!.Code);
        Assert.Contains("contentBase64", result.Error.Message);
    }

    [Fact]
    public void AFiftyMegabyteTextFileIsEditedAndRebuiltByteForByte()
    {
        using var harness = new RuntimeHarness();
        var builder = new StringBuilder(52 * 1024 * 1024);
        for (var line = 0; builder.Length < 50 * 1024 * 1024; line++)
        {
            builder.Append("line ").Append(line).Append(" of a large generated file, padded to look like real source code;\r\n");
        }

        var original = Encoding.UTF8.GetBytes(builder.ToString());
        harness.Workspace.Write("big.txt", original);
        var proposalId = harness.Stage(harness.Edit("big.txt", "line 400000 of", "line four hundred thousand of"));
        var result = harness.ApproveAll(proposalId);

        Assert.Equal(DecisionOutcome.Committed, result.Outcome);
        var expected = Encoding.UTF8.GetBytes(builder.ToString().Replace("line 400000 of", "line four hundred thousand of"));
        Assert.Equal(expected, harness.Workspace.Read("big.txt"));
        Assert.Equal(expected, OpenThymos.Core.Replay.WorldReplayer.RebuildFile(harness.Runtime.Ledger.Store, "big.txt", result.CommitSeq!.Value));
    }
}
