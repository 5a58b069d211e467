// Hostile agents against the real sidecar process: hundreds of malicious submissions from tables, each refused
// with a stable code and a message that names the problem, ledgered as a rejection, and nothing else changed.
using System.Text;
using OpenThymos.Core.Runtime;
using OpenThymos.Reliability.Tests.Support;
using OpenThymos.Server.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace OpenThymos.Reliability.Tests;

public sealed class HostileAgentTests(ITestOutputHelper output)
{
    private const string Pwned = "pwned\n";

    [Fact]
    public async Task EveryHostileSubmissionIsRefusedLedgeredAndLeavesTheWorkspaceUntouched()
    {
        await using var world = await HostileWorld.CreateAsync();
        var cases = SubmissionCases(world).ToList();
        var sessionCases = SessionCases(world).ToList();
        var before = await world.SnapshotAsync();

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var ledgered = 0;
        foreach (var hostile in cases)
        {
            var client = hostile.Client ?? world.Agent;
            var refusal = await client.RefusalOfAsync(ProtocolMethods.IntentSubmit, hostile.Intent);
            failures.AddRange(Judge(hostile.Category, hostile.Name, refusal, hostile.Code, hostile.Fragment));
            counts[hostile.Category] = counts.GetValueOrDefault(hostile.Category) + 1;
            ledgered++;
        }
        foreach (var (category, name, token, code, fragment) in sessionCases)
        {
            var client = await world.Sidecar.ConnectAsync();
            var refusal = await client.RefusalOfAsync(ProtocolMethods.SessionOpen, new OpenSessionParams { Token = token });
            failures.AddRange(Judge(category, name, refusal, code, fragment));
            counts[category] = counts.GetValueOrDefault(category) + 1;
            ledgered++;
        }

        var after = await world.SnapshotAsync();
        foreach (var (category, count) in counts)
        {
            output.WriteLine($"hostile {category,-22} {count,4} refused");
        }
        var (attempts, entries, _) = world.RefusalsSince(before.HeadSeq);
        output.WriteLine($"hostile total: {counts.Values.Sum()} submissions, {ledgered} refused attempts accounted for by {entries} rejection entries (counts add up to {attempts}), head {before.HeadSeq} -> {after.HeadSeq}, verify {(after.Valid ? "intact" : "BROKEN")}");

        Assert.True(failures.Count == 0, $"{failures.Count} hostile submissions were not refused as expected:\n{string.Join('\n', failures)}");
        Assert.True(counts.Values.Sum() >= 200, $"only {counts.Values.Sum()} hostile submissions");
        Assert.Equal(before.Tree, after.Tree);
        // Every refused attempt is ledgered, by count: repeats of one refusal in a window share an aggregate entry.
        Assert.Equal(ledgered, attempts);
        Assert.Equal(before.HeadSeq + entries, after.HeadSeq);
        Assert.All(after.EntriesSince(before.HeadSeq), entry => Assert.Equal(("proposal.rejected", "runtime"), (entry.Kind, entry.Actor)));
        Assert.True(after.Valid, "the ledger does not verify after the hostile run");
        Assert.True(before.Valid);
    }

    [Fact]
    public async Task HostileProposalsThroughThymosMcpAreToolErrorsLedgeredAndChangeNothing()
    {
        await using var world = await HostileWorld.CreateAsync();
        var before = await world.SnapshotAsync();
        await using var mcp = await McpAgent.StartAsync(world.Sidecar, world.AgentToken);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var ledgered = 0;
        foreach (var (category, tool, arguments, fragment, isLedgered) in McpCases(world))
        {
            var (isError, text) = await mcp.CallAsync(tool, arguments);
            if (!isError || !text.Contains(fragment, StringComparison.Ordinal))
            {
                failures.Add($"{category}/{tool}({string.Join(", ", arguments.Select(a => $"{a.Key}={Shown(a.Value as string ?? "")}"))}): error={isError}, text '{Shown(text)}' lacks '{fragment}'");
            }
            counts[category] = counts.GetValueOrDefault(category) + 1;
            ledgered += isLedgered ? 1 : 0;
        }

        var after = await world.SnapshotAsync();
        foreach (var (category, count) in counts)
        {
            output.WriteLine($"hostile via thymos mcp {category,-14} {count,4} refused");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before.Tree, after.Tree);
        var (attempts, entries, _) = world.RefusalsSince(before.HeadSeq);
        Assert.Equal(ledgered, attempts);
        Assert.Equal(before.HeadSeq + entries, after.HeadSeq);
        Assert.All(after.EntriesSince(before.HeadSeq), entry => Assert.Equal(("proposal.rejected", "runtime"), (entry.Kind, entry.Actor)));
        Assert.True(after.Valid);
    }

    [Fact]
    public async Task ThymosMcpUnderAForgedExpiredOrRevokedWritRefusesEveryToolCallAndLedgersEveryAttemptByCount()
    {
        await using var world = await HostileWorld.CreateAsync();
        var before = await world.SnapshotAsync();
        var token = world.AgentToken;
        var tokens = new (string Name, string Token, string Fragment)[]
        {
            ("forged (a signature character flipped)", token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1], "writ token"),
            ("issued by another workspace's key", world.ForeignToken, "not issued by this workspace"),
            ("expired", world.ExpiredToken, "expired"),
            ("revoked", world.RevokedToken, "revoked"),
        };
        var failures = new List<string>();
        var calls = 0;
        foreach (var (name, writ, fragment) in tokens)
        {
            // Each thymos mcp child opens a session per call; the agent retries, as agents do.
            await using var mcp = await McpAgent.StartAsync(world.Sidecar, writ);
            foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
            {
                ("propose_create", new() { ["path"] = "mcp-" + calls + ".txt", ["content"] = Pwned }),
                ("propose_create", new() { ["path"] = "mcp-" + calls + "-again.txt", ["content"] = Pwned }),
                ("read_file", new() { ["path"] = "a.txt" }),
            })
            {
                var (isError, text) = await mcp.CallAsync(tool, arguments);
                calls++;
                if (!isError || !text.Contains(fragment, StringComparison.Ordinal))
                {
                    failures.Add($"{name}/{tool}: error={isError}, text '{Shown(text)}' lacks '{fragment}'");
                }
            }
        }

        var after = await world.SnapshotAsync();
        var added = after.EntriesSince(before.HeadSeq).ToList();
        var (attempts, entries, _) = world.RefusalsSince(before.HeadSeq);
        output.WriteLine($"hostile writs via thymos mcp: {calls} tool calls under {tokens.Length} bad tokens refused; {attempts} refused session/open attempts accounted for by {added.Count} entries, head {before.HeadSeq} -> {after.HeadSeq}");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before.Tree, after.Tree);
        // Every refused session/open is counted (each tool call opens one), in at most one entry plus one aggregate per
        // distinct refusal (forged and foreign tokens share one) in the window.
        Assert.Equal(entries, added.Count);
        Assert.Equal(calls, attempts);
        Assert.True(added.Count <= 2 * tokens.Length, $"{added.Count} entries for {attempts} refused attempts");
        Assert.All(added, entry => Assert.Equal(("proposal.rejected", "runtime"), (entry.Kind, entry.Actor)));
        Assert.True(after.Valid);
    }

    [Fact]
    public async Task InvalidUtf8AndEscapedLoneSurrogatesInRawFramesAreRefusedLedgeredAndChangeNothing()
    {
        await using var world = await HostileWorld.CreateAsync();
        var before = await world.SnapshotAsync();
        var raw = new RawConnection(await world.Sidecar.ConnectRawAsync());
        await raw.SendFrameAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"session/open","params":{"token":"{{{world.AgentToken}}}"}}""", [], "");
        Assert.Equal("agent", (await raw.AnswerAsync(1)).GetProperty("result").GetProperty("role").GetString());

        // Path bytes as they would arrive from a broken or malicious encoder.
        var spellings = new (string Name, byte[] Bytes)[]
        {
            ("a lone 0xFF byte", [0x61, 0xFF, 0x2E, 0x74]),
            ("an overlong '..' (C0 AE C0 AE)", [0xC0, 0xAE, 0xC0, 0xAE, 0x2F, 0x78]),
            ("a UTF-8-encoded surrogate (ED A0 80)", [0xED, 0xA0, 0x80, 0x2E, 0x74]),
            ("a truncated sequence (E2 82)", [0x61, 0xE2, 0x82]),
            ("an escaped lone surrogate", "\\ud800.txt"u8.ToArray()),
            ("an escaped reversed pair", "\\udc00\\ud800"u8.ToArray()),
        };
        var id = 2;
        var ledgered = 0;
        foreach (var (name, bytes) in spellings)
        {
            await raw.SendFrameAsync($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"intent/submit","params":{"nonce":"raw-{{{id}}}","files":[{"kind":"create","content":"pwned","path":" """.TrimEnd(), bytes, "\"}]}}");
            var answer = await raw.AnswerAsync(id++);
            Assert.True(answer.TryGetProperty("error", out var error), $"{name}: the submission was accepted: {answer}");
            var code = error.GetProperty("code").GetInt32();
            var message = error.GetProperty("message").GetString() ?? "";
            output.WriteLine($"raw path with {name}: error {code}: {message}");
            Assert.True(code is ErrorCodes.InvalidParams or (ErrorCodes.RuntimeErrorBase + (int)RuntimeErrorCode.PathRefused), $"{name}: code {code}");
            Assert.True(message.Contains("UTF", StringComparison.OrdinalIgnoreCase) || message.Contains("Unicode", StringComparison.Ordinal) || message.Contains("surrogate", StringComparison.Ordinal), $"{name}: '{message}' does not name the encoding problem");
            ledgered++;
        }

        var after = await world.SnapshotAsync();
        Assert.Equal(before.Tree, after.Tree);
        var (attempts, entries, _) = world.RefusalsSince(before.HeadSeq);
        Assert.Equal(ledgered, attempts);
        Assert.Equal(before.HeadSeq + entries, after.HeadSeq);
        Assert.True(after.Valid);
    }

    internal static IEnumerable<string> Judge(string category, string name, RpcRefusal? refusal, int code, string fragment)
    {
        if (refusal is null)
        {
            yield return $"{category}/{name}: was ACCEPTED";
        }
        else if (refusal.Code != code || !refusal.Message.Contains(fragment, StringComparison.Ordinal))
        {
            yield return $"{category}/{name}: got {refusal.Code} '{Shown(refusal.Message)}', expected {code} naming '{Shown(fragment)}'";
        }
    }

    private static string Shown(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 300 ? text[..300] + "..." : text)
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.ToString();
    }

    private static int Runtime(RuntimeErrorCode code) => ErrorCodes.RuntimeErrorBase + (int)code;

    /// <summary>Path spellings that try to leave the workspace or reach what agents may not touch.</summary>
    private static IEnumerable<(string Category, string Path, RuntimeErrorCode Code, string Fragment)> HostilePaths(HostileWorld world)
    {
        var traversal = new[]
        {
            ("../x", "'..'"), ("../../etc/passwd", "'..'"), ("a/../../x", "'..'"), ("a/b/../../../x", "'..'"), ("..", "'..'"),
            ("../" + Path.GetFileName(world.Outside) + "/secret.txt", "'..'"), ("./../x", "'.'"), ("..\\x", "backslash"),
            ("a\\..\\..\\x", "backslash"), ("..\\/x", "backslash"), ("..//x", "'..'"),
            ("%2e%2e/x", "disguise"), ("%2E%2E/x", "disguise"), ("..%2fx", "disguise"), ("%2e%2e%2fx", "disguise"), ("..%5cx", "disguise"),
            ("a/%2e%2e/%2e%2e/x", "disguise"), ("%252e%252e/x", "disguise"), ("%c0%ae%c0%ae/x", "disguise"), ("%2e/x", "disguise"),
            ("\u2024\u2024/x", "disguise"), ("\u2025/x", "disguise"), ("\uFF0E\uFF0E/x", "disguise"), ("..\u2215x", "disguise"),
            ("..\u2044x", "disguise"), ("..\uFF0Fx", "disguise"), ("..\uFF3Cx", "disguise"), ("a/\uFF0E\uFF0E/\uFF0E\uFF0E/x", "disguise"),
            ("\uFE52\uFE52/x", "disguise"), ("..\u29F8x", "disguise"),
        };
        foreach (var (path, fragment) in traversal)
        {
            yield return ("traversal", path, RuntimeErrorCode.PathRefused, fragment);
        }

        foreach (var path in new[] { "/etc/passwd", "/tmp/x", Path.Combine(world.Workspace, "a.txt"), world.Outside + "/secret.txt", "C:/Windows/win.ini", "c:x", "//server/share/x", "/" })
        {
            yield return ("absolute", path, RuntimeErrorCode.PathRefused, "absolute");
        }

        foreach (var path in new[] { "escape-dir/secret.txt", "escape-dir/new.txt", "escape-file", "inner-link", "inner-dir/a.txt" })
        {
            yield return ("symlink", path, RuntimeErrorCode.PathRefused, "symbolic link");
        }

        yield return ("hard link", "hard.txt", RuntimeErrorCode.PathRefused, "hard link");

        foreach (var path in new[] { ".git/config", ".git/hooks/pre-commit", ".git/HEAD", "src/.git/config", ".thymos/ledger.db", ".thymos/policy.json", ".thymos/new.txt", ".thymos/staging/x" })
        {
            yield return ("protected (.git/.thymos)", path, RuntimeErrorCode.PolicyDenied, "protected");
        }

        // The folders themselves are refused as protected, by name, before the disk is consulted (so an agent cannot probe them).
        yield return ("protected (.git/.thymos)", ".git", RuntimeErrorCode.PolicyDenied, "protected");
        yield return ("protected (.git/.thymos)", ".thymos", RuntimeErrorCode.PolicyDenied, "protected");
        yield return ("fifo/device", "pipe", RuntimeErrorCode.PathRefused, "FIFO");
        yield return ("fifo/device", "devnull", RuntimeErrorCode.PathRefused, "device");
        yield return ("fifo/device", "pipe/x", RuntimeErrorCode.PathRefused, "FIFO");

        foreach (var (path, fragment) in new[] { ("a\0.txt", "NUL"), ("a.txt\0", "NUL"), ("\0", "NUL"), ("src/\0/x", "NUL"), ("a\nb", "control"), ("a\tb", "control"), ("a\rb", "control"), ("a\u001b[31m", "control"), ("a\u007f", "control"), ("a\u0085b", "control") })
        {
            yield return ("NUL/control", path, RuntimeErrorCode.PathRefused, fragment);
        }

        foreach (var (path, fragment) in new[]
        {
            (string.Concat(Enumerable.Repeat("a/", 2100)) + "x", "longer than 4096"), (new string('x', 256), "segment longer than 255"),
            ("src/" + new string('y', 300) + ".txt", "segment longer than 255"), (string.Concat(Enumerable.Repeat("é", 128)), "segment longer than 255"),
            (new string('z', 70_000), "longer than 4096"), (string.Concat(Enumerable.Repeat("\U0001F600", 64)), "segment longer than 255"),
        })
        {
            yield return ("over-long", path, RuntimeErrorCode.PathRefused, fragment);
        }

        // JSON writers replace unpaired surrogates with U+FFFD on the way, so both reach the runtime as U+FFFD.
        foreach (var path in new[] { "\uD800.txt", "a\uDC00", "src/\uDFFF\uD800", "x\uD83D", "\uFFFD.txt", "src/caf\uFFFD" })
        {
            yield return ("invalid unicode", path, RuntimeErrorCode.PathRefused, "not valid Unicode");
        }
    }

    internal static IEnumerable<HostileCase> SubmissionCases(HostileWorld world)
    {
        var n = 0;
        string Nonce() => "hostile-" + n++;
        foreach (var (category, path, code, fragment) in HostilePaths(world))
        {
            var expected = Runtime(code);
            yield return new(category, "create " + path, new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "create", Path = path, Content = Pwned }] }, expected, fragment);
            yield return new(category, "modify " + path, new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "modify", Path = path, BaseHash = world.SecretHash, Content = Pwned }] }, expected, fragment);
            yield return new(category, "delete " + path, new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "delete", Path = path, BaseHash = world.SecretHash }] }, expected, fragment);
            yield return new(category, "rename a.txt to " + path, new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "rename", FromPath = "a.txt", Path = path, BaseHash = world.AHash }] }, expected, fragment);
        }

        // Gigantic payloads: over the frame cap (refused unread by the frame guard, and still ledgered), and too many files.
        var huge = new string('A', 17 * 1024 * 1024);
        yield return new("gigantic payload", "17 MiB content", new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "create", Path = "big.txt", Content = huge }] }, ErrorCodes.MessageTooLarge, "limit is");
        yield return new("gigantic payload", "17 MiB edit", new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "modify", Path = "a.txt", BaseHash = world.AHash, Edits = [new EditInfo { Search = "alpha", Replace = huge }] }] }, ErrorCodes.MessageTooLarge, "limit is");
        yield return new("gigantic payload", "5000 files", new SubmitIntentParams { Nonce = Nonce(), Files = [.. Enumerable.Range(0, 5000).Select(i => new FileIntentInfo { Kind = "create", Path = $"many/{i}.txt", Content = "x" })] }, Runtime(RuntimeErrorCode.IntentInvalid), "5000 files");
        yield return new("gigantic payload", "10 KB nonce", new SubmitIntentParams { Nonce = new string('n', 10_000), Files = [new FileIntentInfo { Kind = "create", Path = "n.txt", Content = "x" }] }, Runtime(RuntimeErrorCode.IntentInvalid), "nonce");

        // Writs: a session opened while the writ was good, then the writ expired or was revoked; replays; budgets; ceilings.
        yield return new("expired writ", "submit after expiry", Create(Nonce(), "e.txt"), Runtime(RuntimeErrorCode.WritRefused), "expired", world.ExpiredAgent);
        yield return new("revoked writ", "submit after revocation", Create(Nonce(), "r.txt"), Runtime(RuntimeErrorCode.WritRevoked), "revoked", world.RevokedAgent);
        yield return new("replayed nonce", "reuse of a staged proposal's nonce", Create(world.UsedNonce, "other.txt"), Runtime(RuntimeErrorCode.ReplayedNonce), world.UsedNonce);
        yield return new("replayed nonce", "reuse with a different file", new SubmitIntentParams { Nonce = world.UsedNonce, Files = [new FileIntentInfo { Kind = "modify", Path = "a.txt", BaseHash = world.AHash, Content = Pwned }] }, Runtime(RuntimeErrorCode.ReplayedNonce), world.UsedNonce);
        for (var i = 0; i < 5; i++)
        {
            yield return new("budget exhausted", $"proposal {i + 2} of 1", Create(Nonce(), $"budget{i}.txt"), Runtime(RuntimeErrorCode.WritRefused), "proposal", world.ExhaustedAgent);
        }
        yield return new("budget exhausted", "bytes over maxBytes", Create(Nonce(), "bytes.txt", new string('b', 4096)), Runtime(RuntimeErrorCode.WritRefused), "bytes", world.ByteBudgetAgent);
        yield return new("budget exhausted", "files over maxFiles", new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "create", Path = "f1.txt", Content = "1" }, new FileIntentInfo { Kind = "create", Path = "f2.txt", Content = "2" }] }, Runtime(RuntimeErrorCode.WritRefused), "files", world.FileBudgetAgent);
        yield return new("effect ceiling", "create under a modify-only writ", Create(Nonce(), "new.txt"), Runtime(RuntimeErrorCode.WritRefused), "create", world.ModifyOnlyAgent);
        yield return new("effect ceiling", "delete under a modify-only writ", new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "delete", Path = "a.txt", BaseHash = world.AHash }] }, Runtime(RuntimeErrorCode.WritRefused), "delete", world.ModifyOnlyAgent);
        yield return new("effect ceiling", "rename under a modify-only writ", new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "rename", FromPath = "a.txt", Path = "b.txt", BaseHash = world.AHash }] }, Runtime(RuntimeErrorCode.WritRefused), "rename", world.ModifyOnlyAgent);
        yield return new("effect ceiling", "write outside the writ's scope", new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "modify", Path = "a.txt", BaseHash = world.AHash, Content = Pwned }] }, Runtime(RuntimeErrorCode.WritRefused), "a.txt", world.SrcOnlyAgent);
        yield return new("effect ceiling", "create outside the writ's scope", Create(Nonce(), "top.txt"), Runtime(RuntimeErrorCode.WritRefused), "top.txt", world.SrcOnlyAgent);

        // Stale or bogus base hashes.
        foreach (var (name, hash, code, fragment) in new[]
        {
            ("all-zero hash", new string('0', 64), RuntimeErrorCode.StaleBase, "a.txt"),
            ("hash of other content", world.SecretHash, RuntimeErrorCode.StaleBase, "a.txt"),
            ("malformed hash", "not-a-hash", RuntimeErrorCode.IntentInvalid, "a.txt"),
            ("missing hash", "", RuntimeErrorCode.IntentInvalid, "a.txt"),
        })
        {
            yield return new("stale base", "modify with " + name, new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "modify", Path = "a.txt", BaseHash = hash.Length == 0 ? null : hash, Content = Pwned }] }, Runtime(code), fragment);
            yield return new("stale base", "delete with " + name, new SubmitIntentParams { Nonce = Nonce(), Files = [new FileIntentInfo { Kind = "delete", Path = "a.txt", BaseHash = hash.Length == 0 ? null : hash }] }, Runtime(code), fragment);
        }
    }

    private static IEnumerable<(string Category, string Name, string Token, int Code, string Fragment)> SessionCases(HostileWorld world)
    {
        var writUnknown = Runtime(RuntimeErrorCode.WritUnknown);
        var token = world.AgentToken;
        var flipped = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        yield return ("forged writ", "signature character flipped", flipped, writUnknown, "writ token");
        yield return ("forged writ", "garbage", "thymos-writ-v1.garbage", writUnknown, "writ token");
        yield return ("forged writ", "truncated", token[..(token.Length / 2)], writUnknown, "writ token");
        yield return ("forged writ", "issued by another workspace's key", world.ForeignToken, writUnknown, "not issued by this workspace");
        yield return ("expired writ", "session after expiry", world.ExpiredToken, Runtime(RuntimeErrorCode.WritRefused), "expired");
        yield return ("revoked writ", "session after revocation", world.RevokedToken, Runtime(RuntimeErrorCode.WritRevoked), "revoked");
        yield return ("forged writ", "empty", "", ErrorCodes.InvalidParams, "token");
    }

    internal static IEnumerable<(string Category, string Tool, Dictionary<string, object?> Arguments, string Fragment, bool Ledgered)> McpCases(HostileWorld world)
    {
        // Every other hostile path (JSON writers turn unpaired surrogates into U+FFFD, which is refused like the rest).
        foreach (var (category, path, _, fragment) in HostilePaths(world).Where((_, i) => i % 2 == 0))
        {
            yield return (category, "propose_create", new() { ["path"] = path, ["content"] = Pwned }, fragment, true);
        }
        yield return ("stale base", "propose_edit", new() { ["path"] = "a.txt", ["baseHash"] = new string('0', 64), ["content"] = Pwned }, "a.txt", true);
        yield return ("traversal", "read_file", new() { ["path"] = "../" + Path.GetFileName(world.Outside) + "/secret.txt" }, "'..'", false);
        yield return ("symlink", "read_file", new() { ["path"] = "escape-file" }, "symbolic link", false);
    }

    private static SubmitIntentParams Create(string nonce, string path, string content = Pwned) =>
        new() { Nonce = nonce, Files = [new FileIntentInfo { Kind = "create", Path = path, Content = content }] };

    /// <summary>One hostile submission; every one must be refused and ledgered, whichever layer refuses it.</summary>
    internal sealed record HostileCase(string Category, string Name, SubmitIntentParams Intent, int Code, string Fragment, RpcTestClient? Client = null);
}
