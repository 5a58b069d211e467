// The workspace policy: ordered rules and a default, loaded from .thymos/policy.json and hashed for the ledger.
using OpenThymos.Core.FileSystem;
using OpenThymos.Core.Hashing;

namespace OpenThymos.Core.Policy;

/// <summary>
/// The policy a workspace declares in <c>.thymos/policy.json</c>. Its <see cref="Hash"/> is the
/// BLAKE3 hash of the exact file bytes, so the ledger can record which policy decided.
/// </summary>
public sealed class WorkspacePolicy
{
    /// <summary>The policy file's path relative to the workspace root.</summary>
    public const string RelativePath = ".thymos/policy.json";

    /// <summary>
    /// The canonical text of the built-in default policy (no trailing newline). When no policy file
    /// exists, the policy hash is the hash of these bytes, so "no file" is recorded distinctly and stably.
    /// </summary>
    public const string DefaultText = """{"version":1,"defaultOutcome":"require-approval","rules":[]}""";

    private WorkspacePolicy(int version, PolicyOutcome defaultOutcome, IReadOnlyList<PolicyRule> rules, ContentHash hash, string? sourcePath, byte[] sourceBytes)
    {
        SourceBytes = sourceBytes;
        Version = version;
        DefaultOutcome = defaultOutcome;
        Rules = rules;
        Hash = hash;
        SourcePath = sourcePath;
    }

    /// <summary>The built-in policy used when the workspace has no policy file.</summary>
    public static WorkspacePolicy Default { get; } = Parse(System.Text.Encoding.UTF8.GetBytes(DefaultText), "built-in default", null);

    /// <summary>The format version (always 1).</summary>
    public int Version { get; }

    /// <summary>The verdict when no rule matches.</summary>
    public PolicyOutcome DefaultOutcome { get; }

    /// <summary>The rules, in order; the first that matches decides.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>The hash of the policy file bytes, or of <see cref="DefaultText"/> for the default.</summary>
    public ContentHash Hash { get; }

    /// <summary>The absolute path of the file this was read from; null for the built-in default.</summary>
    public string? SourcePath { get; }

    /// <summary>The exact bytes that were parsed (their hash is <see cref="Hash"/>), so the ledger records what was read, not a second read.</summary>
    internal byte[] SourceBytes { get; }

    /// <summary>Loads <c>.thymos/policy.json</c> under the root, or returns <see cref="Default"/> when absent.</summary>
    /// <exception cref="PolicyLoadException">The file exists but is malformed, is a link or is not a regular file.</exception>
    public static WorkspacePolicy Load(string workspaceRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        using var workspace = new WorkspaceDirectory(workspaceRoot);
        return Load(workspace);
    }

    /// <summary>
    /// Loads <c>.thymos/policy.json</c> through the workspace handle, or returns <see cref="Default"/> when absent. The
    /// file is opened beneath the root without following links: a linked policy (or a linked <c>.thymos</c>) is
    /// refused, because its target could be changed by an edit that is not a policy change, and the caller keeps the
    /// previous policy in force.
    /// </summary>
    /// <exception cref="PolicyLoadException">The file exists but is malformed, is a link or is not a regular file.</exception>
    public static WorkspacePolicy Load(WorkspaceDirectory workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var path = workspace.FullPath(RelativePath);
        byte[]? bytes;
        try
        {
            bytes = workspace.ReadFile(RelativePath);
        }
        catch (WorkspacePathException exception)
        {
            var what = exception.Found == WorkspaceEntryKind.SymbolicLink
                ? "a symbolic link (or .thymos is one), and OpenThymos never follows links in the workspace: the link's target could change without a policy change"
                : "not a regular file";
            throw new PolicyLoadException(path, 0, 0, $"the policy is {what}; the previous policy stays in force. Replace it with a plain JSON file (copy the shared policy in) or remove it to use the default policy.");
        }
        catch (WorkspaceFileTooLargeException exception)
        {
            throw new PolicyLoadException(path, 0, 0, $"the policy file is {exception.Size} bytes, far larger than any policy; the previous policy stays in force. Replace it with the policy's JSON or remove it to use the default policy.");
        }

        return bytes is null ? Default : Parse(bytes, path, path);
    }

    /// <summary>Parses policy JSON bytes; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="PolicyLoadException">The bytes are not a valid policy.</exception>
    public static WorkspacePolicy Parse(byte[] json, string sourceName) => Parse(json, sourceName, null);

    private static WorkspacePolicy Parse(byte[] json, string sourceName, string? sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        var (version, defaultOutcome, rules) = PolicyFileReader.Read(json, sourceName);
        return new WorkspacePolicy(version, defaultOutcome, rules, ContentHash.Of(json), sourcePath, json);
    }
}
