// The architecture's invariants (ARCHITECTURE.md) as assertions over the projects and their sources, so that a change
// that breaks one fails here instead of waiting for a reader to notice.
using System.Text.RegularExpressions;
using OpenThymos.Core.Runtime;
using Xunit;

namespace OpenThymos.Core.Tests.Architecture;

public sealed partial class ArchitectureInvariantTests
{
    [Fact]
    public void TheCoreLibraryReferencesNoJsonRpcLibraryAndOnlyTheFourPackagesItNames()
    {
        // "the core library references no JSON-RPC library (its project file lists LiteDB, Blake3, DiffPlex and BouncyCastle only)"
        var referenced = typeof(ThymosRuntime).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.DoesNotContain(referenced, name => name.Contains("JsonRpc", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Nerdbank", StringComparison.Ordinal));

        var project = File.ReadAllText(Repository.File("server/OpenThymos.Core/OpenThymos.Core.csproj"));
        var packages = PackageReference().Matches(project).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Blake3", "BouncyCastle.Cryptography", "DiffPlex", "LiteDB"], packages);
        Assert.DoesNotContain("<ProjectReference", project, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheApplierCallsTheWorkspaceDirectorysWritingOperations()
    {
        // "only the sidecar writes approved edits": every workspace write goes through WorkspaceDirectory's descriptor
        // operations, and only Core/Apply (the applier and its deferred syncs) calls them.
        var offenders = Sources()
            .Where(s => !s.Path.StartsWith("server/OpenThymos.Core/Apply/", StringComparison.Ordinal) && !s.Path.StartsWith("server/OpenThymos.Core/FileSystem/", StringComparison.Ordinal))
            .SelectMany(s => WorkspaceWrite().Matches(s.Text).Select(m => $"{s.Path}: {m.Value}"))
            .ToList();
        Assert.True(offenders.Count == 0, "Workspace files are written only by the applier (Core/Apply):\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void OnlyTheFileSystemFolderDeclaresTheNativeCallsThatChangeFiles()
    {
        // DirectorySync (the applier's) opens folders read-only to fsync them; it changes nothing.
        string[] allowed = ["server/OpenThymos.Core/FileSystem/NativeFileSystem.cs", "server/OpenThymos.Core/Apply/DirectorySync.cs"];
        var offenders = Sources()
            .Where(s => !allowed.Contains(s.Path))
            .SelectMany(s => NativeWrite().Matches(s.Text).Select(m => $"{s.Path}: {m.Value}"))
            .ToList();
        Assert.True(offenders.Count == 0, "Only FileSystem/NativeFileSystem.cs may declare renameat, unlinkat, mkdirat or openat:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void PathBasedFileWritesAppearOnlyWhereTheyWriteOutsideTheWorkspacesFiles()
    {
        // A path-based write cannot be confined beneath the workspace's descriptor, so each file allowed one writes only
        // the key, state or socket folders, the ledger's own files, or a file the user named; a new one must be argued for.
        string[] allowed =
        [
            "server/OpenThymos.Core/FileSystem/WorkspaceDirectory.cs", // the Windows build's fallback (documented as weaker)
            "server/OpenThymos.Core/Storage/LiteDb/DurableFileStream.cs", // the ledger's own files
            "server/OpenThymos.Core/Storage/LiteDb/LiteDbLedgerStore.cs", // the ledger's folder
            "server/OpenThymos.Core/Signing/WorkspaceKey.cs", // the key folder, outside the workspace
            "server/OpenThymos.Core/Ledger/HeadAnchor.cs", // the key folder
            "server/OpenThymos.Core/Ledger/OwnerOnly.cs", // the ledger's files and the key and state folders, owner-only
            "server/OpenThymos.Core/Ledger/WorkspaceLedger.cs", // the ledger's folder
            "server/OpenThymos.Core/Ledger/WorkspaceFolderBinding.cs", // the key folder
            "server/OpenThymos.Core/Ledger/LedgerWriterLock.cs", // the ledger's lock files
            "server/OpenThymos.Cli/Commands/LedgerCommands.cs", // `--output FILE`, a file the user named
            "server/OpenThymos.Server/Sockets/OperatorToken.cs", // the socket folder, outside the workspace
            "server/OpenThymos.Server/Sockets/AgentSocketListener.cs", // the socket folder
            "server/OpenThymos.Server/Diagnostics/LatencyTrace.cs", // a trace file the user named (OPENTHYMOS_LATENCY_TRACE)
        ];
        var offenders = Sources()
            .Where(s => !allowed.Contains(s.Path))
            .SelectMany(s => PathWrite().Matches(s.Text).Select(m => $"{s.Path}: {m.Value}"))
            .ToList();
        Assert.True(offenders.Count == 0, "A path-based file write outside the files allowed one:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void StdoutBelongsToJsonRpcInTheSidecar()
    {
        // Program.cs takes the raw stream and points Console.Out at stderr first; nothing else in the sidecar touches stdout.
        var program = File.ReadAllText(Repository.File("server/OpenThymos.Server/Program.cs"));
        var take = program.IndexOf("Console.OpenStandardOutput()", StringComparison.Ordinal);
        var redirect = program.IndexOf("Console.SetOut(Console.Error)", StringComparison.Ordinal);
        Assert.True(take >= 0 && redirect > take, "Program.cs must take stdout for JSON-RPC and then point Console.Out at stderr.");

        var offenders = Sources()
            .Where(s => s.Path.StartsWith("server/OpenThymos.Server/", StringComparison.Ordinal))
            .SelectMany(s => Stdout().Matches(LineComment().Replace(s.Text, "")).Select(m => (s.Path, m.Value)))
            .Where(o => !(o.Path == "server/OpenThymos.Server/Program.cs" && o.Value == "Console.OpenStandardOutput"))
            .Select(o => $"{o.Path}: {o.Value}")
            .ToList();
        Assert.True(offenders.Count == 0, "Only Program.cs may reach the sidecar's stdout:\n" + string.Join('\n', offenders));
    }

    /// <summary>Every C# source of the shipped projects (server/), path relative to the repository with '/' separators, comments kept.</summary>
    private static IEnumerable<(string Path, string Text)> Sources()
    {
        var root = Repository.Root;
        var server = Path.Combine(root, "server");
        var files = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"expected the server's sources under {server}, found {files.Count} files");
        return files.Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)));
    }

    [GeneratedRegex("<PackageReference\\s+Include=\"([^\"]+)\"")]
    private static partial Regex PackageReference();

    [GeneratedRegex(@"(?i)\bworkspace\w*\s*\.\s*(CreateTemporary|Publish|Delete|WriteDurably|RemoveTemporary|CleanStaging)\s*\(")]
    private static partial Regex WorkspaceWrite();

    [GeneratedRegex("EntryPoint\\s*=\\s*\"(renameat2?|unlinkat|mkdirat|openat2?|rename|unlink|mkdir|open|creat)\"")]
    private static partial Regex NativeWrite();

    [GeneratedRegex(@"\bFile\.(Write\w*|Create\w*|Move|Copy|Delete|Replace|AppendAll\w*|Open\b(?!Handle))|\bDirectory\.(CreateDirectory|Delete|Move)\b|new\s+FileStream\s*\(|\bFileMode\.(Create|CreateNew|Append|Truncate|OpenOrCreate)\b")]
    private static partial Regex PathWrite();

    [GeneratedRegex(@"Console\.(OpenStandardOutput|Out\b|Write\w*)")]
    private static partial Regex Stdout();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    /// <summary>The repository checkout the tests run from (found upward from the test binary by OpenThymos.sln).</summary>
    private static class Repository
    {
        public static string Root { get; } = Find();

        public static string File(string relative) => Path.Combine(Root, relative);

        private static string Find()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(folder.FullName, "OpenThymos.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException($"No OpenThymos.sln above {AppContext.BaseDirectory}; run the tests from a checkout.");
        }
    }
}
