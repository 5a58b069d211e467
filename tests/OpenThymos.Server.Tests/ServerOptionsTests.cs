// Command-line parsing of the sidecar.
using OpenThymos.Server.Startup;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class ServerOptionsTests
{
    [Fact]
    public void TheStdioFlagThatVsCodeLanguageClientAppendsIsAcceptedAndIgnored()
    {
        var folder = Directory.CreateTempSubdirectory("thymos-options-").FullName;
        try
        {
            var (options, error) = ServerOptions.Parse(["--workspace", folder, "--key-dir", "/tmp/k", "--stdio"]);
            Assert.Null(error);
            Assert.NotNull(options);
            Assert.Equal(folder, options.Workspace);
            Assert.Equal("/tmp/k", options.KeyDirectory);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnUnknownOptionIsStillRefused()
    {
        var (options, error) = ServerOptions.Parse(["--workspace", "/tmp", "--bogus", "x"]);
        Assert.Null(options);
        Assert.Contains("--bogus", error, StringComparison.Ordinal);
    }
}
