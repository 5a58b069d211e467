// The shell commands that identity refusals tell the user to run name the folder they mean, whatever its name holds.
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Storage;
using Xunit;

namespace OpenThymos.Core.Tests.Ledger;

public sealed class RefusalCommandTests
{
    [Theory]
    [InlineData("/home/ana/project", "/home/ana/project")]
    [InlineData("/home/ana/my project", "'/home/ana/my project'")]
    [InlineData("/home/ana/it's", "'/home/ana/it'\\''s'")]
    [InlineData("/home/ana/$(reboot)", "'/home/ana/$(reboot)'")]
    [InlineData("", "''")]
    public void APathIsOneShellWordThatMeansExactlyThatPath(string path, string expected) =>
        Assert.Equal(expected, ShellQuoting.Quote(path));

    [Fact]
    public void TheCommandThatSeparatesACopiedWorkspaceRemovesTheCopysLedgerFilesQuotedAndTheMessageNamesIt()
    {
        var refusal = new WorkspaceCopiedException("ws_0123456789abcdef", "/tmp/it's a copy", "/tmp/original", LedgerStores.Default);

        Assert.Equal("rm '/tmp/it'\\''s a copy/.thymos/ledger.db' '/tmp/it'\\''s a copy/.thymos/ledger-log.db'", refusal.SeparateCommand);
        Assert.Contains($"(`{refusal.SeparateCommand}`)", refusal.Message, StringComparison.Ordinal);
    }
}
