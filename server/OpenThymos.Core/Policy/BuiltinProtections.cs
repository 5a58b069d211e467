// Protections every workspace gets, which a user policy can tighten but never weaken.
using System.Text.RegularExpressions;
using OpenThymos.Core.Globs;
using OpenThymos.Core.Paths;

namespace OpenThymos.Core.Policy;

/// <summary>
/// Floors applied after the user's rules, matched on every spelling the file system takes for the same file
/// (<see cref="Glob.IsMatchAnySpelling(string)"/>: case, trailing dots and spaces, invisible characters,
/// combining marks, NTFS streams). Repository metadata and the runtime's own folder are always denied, at any
/// depth, because an agent that can write them can rewrite history or its own policy. Files that run code on
/// the reviewer's machine or in CI, and credentials, always need a human: a policy may deny them, but no rule
/// can auto-approve them, because a change there acts (or leaks) before anyone reads it. docs/policy.md lists
/// every pattern with its reason; a test keeps the two equal.
/// </summary>
public static class BuiltinProtections
{
    /// <summary>Globs whose matches are always denied.</summary>
    public static IReadOnlyList<string> DeniedPatterns { get; } = [".git", "**/.git/**", ".thymos", "**/.thymos/**"];

    /// <summary>
    /// Globs of files whose content runs as code on the reviewer's machine or in CI without anyone running it by
    /// hand: editor and IDE settings and tasks, git hooks and attributes, environment loaders, dev containers,
    /// package manifests and package-manager settings whose scripts run on install or test, build files, and CI
    /// definitions.
    /// </summary>
    public static IReadOnlyList<string> CodeExecutionPatterns { get; } =
    [
        // Editors and IDEs: settings can name the executables the editor runs (a language server, a formatter,
        // a terminal profile), and tasks and launch configurations run on a keystroke or at folder open.
        "**/.vscode/**", "*.code-workspace", "**/.idea/**", ".exrc", ".nvimrc",
        // Git: hooks run on commit and checkout; attributes pick filter and diff drivers; modules fetch URLs.
        "**/.husky/**", "**/.githooks/**", ".gitattributes", ".gitmodules", ".lfsconfig", ".pre-commit-config.yaml", "lefthook.yml", ".lefthook.yml",
        // Environment loaders and containers: run when a shell enters the folder or the editor reopens in a container.
        ".envrc", "**/.devcontainer/**", ".devcontainer.json", "mise.toml", ".mise.toml",
        // Package manifests and package-manager settings: scripts run on install and test; settings choose registries and script shells.
        "package.json", ".npmrc", ".yarnrc", ".yarnrc.yml", "**/.yarn/**", ".pnpmfile.cjs", "pyproject.toml", "setup.py", "setup.cfg", "conftest.py",
        "Gemfile", "**/.cargo/config", "**/.cargo/config.toml", "build.rs", "Directory.Build.props", "Directory.Build.targets", "nuget.config",
        "gradlew", "**/gradle/wrapper/**", "mvnw", "**/.mvn/**",
        // Build files: what 'make', 'just' or a container build runs.
        "Makefile", "makefile", "GNUmakefile", "*.mk", "justfile", "Dockerfile", "docker-compose.yml", "compose.yaml",
        // CI definitions: run with the repository's secrets on the next push.
        ".github/workflows/**", ".github/actions/**", ".gitlab-ci.yml", "**/.circleci/**", ".travis.yml", "azure-pipelines.yml",
        "Jenkinsfile", "**/.buildkite/**", "bitbucket-pipelines.yml", ".drone.yml", "**/.woodpecker/**", ".woodpecker.yml", "appveyor.yml",
    ];

    /// <summary>Globs of files that hold credentials or keys.</summary>
    public static IReadOnlyList<string> CredentialPatterns { get; } =
    [
        ".env*", "*.env", ".git-credentials", ".netrc", "_netrc", ".pgpass", ".pypirc", "**/.aws/**", "**/.kube/**", "kubeconfig",
        "**/.docker/config.json", "**/.ssh/**", "**/.gnupg/**", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*",
        "*.pem", "*.key", "*.p12", "*.pfx", "*.crt", "*.cer", "*.der", "*.keystore", "*.jks", "*.kdbx", "credentials.json", ".terraformrc",
    ];

    /// <summary>Globs whose matches always need approval at least: code execution and credentials.</summary>
    public static IReadOnlyList<string> ApprovalPatterns { get; } = [.. CodeExecutionPatterns, .. CredentialPatterns];

    private static readonly Glob[] Denied = [.. DeniedPatterns.Select(Glob.Parse)];
    private static readonly Glob[] NeedApproval = [.. ApprovalPatterns.Select(Glob.Parse)];

    // One pass over the key decides whether any pattern of a class matches (listing checks every file of the
    // workspace); the pattern to name is looked up only when one does.
    private static readonly Regex AnyDenied = Combine(Denied);
    private static readonly Regex AnyNeedApproval = Combine(NeedApproval);

    /// <summary>
    /// The floor for a path and the pattern that sets it, or (AutoApprove, null) when no
    /// protection applies. Every spelling of a protected path gets the protection.
    /// </summary>
    public static (PolicyOutcome Floor, string? Pattern) FloorFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = PathIdentity.Key(path);
        if (AnyDenied.IsMatch(key))
        {
            return (PolicyOutcome.Deny, Denied.First(glob => glob.IsKeyMatch(key)).Pattern);
        }

        return AnyNeedApproval.IsMatch(key)
            ? (PolicyOutcome.RequireApproval, NeedApproval.First(glob => glob.IsKeyMatch(key)).Pattern)
            : (PolicyOutcome.AutoApprove, null);
    }

    // The backtracking engine, not NonBacktracking: these are our own fixed patterns (no agent text), anchored, with no
    // nested repetition, so backtracking stays linear in the path, and it is far cheaper to build. (Building a
    // NonBacktracking regex for each of the ~100 built-in globs at start cost the sidecar about 40 MiB of RSS, which
    // ConnectionFloodTests caught; Glob now builds its own regexes only when first matched.)
    private static Regex Combine(IEnumerable<Glob> globs) =>
        new(string.Join('|', globs.Select(glob => "(?:" + glob.KeyRegex + ")")), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
}
