// The sidecar as it can be deployed: framework-dependent, self-contained, ReadyToRun, Native AOT (what ships).
namespace OpenThymos.Bench.Harness;

/// <summary>One way to launch the sidecar: a program and the arguments before the sidecar's own.</summary>
internal sealed record SidecarBuild(string Name, string FileName, IReadOnlyList<string> Prefix, string? Failure = null)
{
    public IEnumerable<string> Arguments(string workspace, string keyDirectory) =>
        [.. Prefix, "--workspace", workspace, "--key-dir", keyDirectory];
}

/// <summary>Finds or publishes the sidecar builds the cold-start and memory rows compare.</summary>
internal static class SidecarBuilds
{
    /// <summary>The build next to the harness (same configuration), run by its framework-dependent apphost.</summary>
    public static SidecarBuild FrameworkDependent(BenchContext context)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var folder = Path.Combine(context.RepositoryRoot, "server", "OpenThymos.Server", "bin", configuration, "net10.0");
        var dll = Path.Combine(folder, "OpenThymos.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The sidecar is not built at '{dll}'. Build the solution (dotnet build OpenThymos.sln -c {configuration}) first.", dll);
        }

        return new SidecarBuild($"framework-dependent ({configuration})", "dotnet", [dll]);
    }

    /// <summary>
    /// Every deployable build: framework-dependent, and (full mode only) self-contained, self-contained
    /// ReadyToRun (what `npm run build` falls back to without a C toolchain), and Native AOT as `npm run build` ships it.
    /// </summary>
    public static IReadOnlyList<SidecarBuild> All(BenchContext context)
    {
        var builds = new List<SidecarBuild> { FrameworkDependent(context) };
        if (context.Smoke)
        {
            return builds;
        }

        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        builds.Add(Publish(context, "self-contained", ["-r", rid, "--self-contained"]));
        builds.Add(Publish(context, ReadyToRunName, ["-r", rid, "--self-contained", "-p:PublishReadyToRun=true"]));
        builds.Add(Publish(context, NativeAotName, ["-r", rid, "-p:PublishAot=true"]));
        return builds;
    }

    /// <summary>
    /// The build that ships in full mode: Native AOT, or self-contained ReadyToRun where AOT does not build (no C
    /// toolchain), as `npm run build` chooses; the local build in smoke mode.
    /// </summary>
    public static SidecarBuild Shipped(BenchContext context, IReadOnlyList<SidecarBuild> builds) =>
        builds.FirstOrDefault(b => b.Name == NativeAotName && b.Failure is null)
        ?? builds.FirstOrDefault(b => b.Name == ReadyToRunName && b.Failure is null)
        ?? builds[0];

    /// <summary>
    /// The shipped build for a suite that runs without the cold-start suite (which publishes every
    /// build): Native AOT published alone, else ReadyToRun, as `npm run build` chooses; the local build in smoke mode.
    /// </summary>
    public static SidecarBuild ShippedAlone(BenchContext context)
    {
        if (context.Smoke)
        {
            return FrameworkDependent(context);
        }

        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var aot = Publish(context, NativeAotName, ["-r", rid, "-p:PublishAot=true"]);
        return aot.Failure is null ? aot : Shipped(context, [FrameworkDependent(context), aot, Publish(context, ReadyToRunName, ["-r", rid, "--self-contained", "-p:PublishReadyToRun=true"])]);
    }

    private const string ReadyToRunName = "self-contained ReadyToRun (npm run build without a C toolchain)";
    private const string NativeAotName = "Native AOT (ships in the VSIX)";

    private static SidecarBuild Publish(BenchContext context, string name, IReadOnlyList<string> options)
    {
        var output = Path.Combine(context.Scratch, "publish", new string([.. name.Where(char.IsLetterOrDigit)]));
        try
        {
            Console.Error.WriteLine($"bench: publishing the sidecar ({name}) …");
            Processes.Run("dotnet", ["publish", "server/OpenThymos.Server", "-c", "Release", .. options, "-o", output], context.RepositoryRoot);
            return new SidecarBuild(name, Path.Combine(output, "OpenThymos.Server"), []);
        }
        catch (InvalidOperationException exception)
        {
            var reason = exception.Message.Split('\n').FirstOrDefault(line => line.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? exception.Message;
            return new SidecarBuild(name, "", [], reason.Length > 300 ? reason[..300] + "…" : reason);
        }
    }
}
