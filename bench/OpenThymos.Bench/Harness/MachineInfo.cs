// Describes the machine, the date, the commit and the load, so every table says where it was measured.
using System.Globalization;
using System.Text;

namespace OpenThymos.Bench.Harness;

/// <summary>The facts printed above every run's tables.</summary>
internal static class MachineInfo
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string Describe(BenchContext context, string command)
    {
        var text = new StringBuilder();
        text.AppendLine($"- Date: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        text.AppendLine($"- Commit: {Commit(context.RepositoryRoot)}");
        text.AppendLine($"- Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {MemoryGiB()} memory, {Environment.OSVersion}, .NET {Environment.Version}");
        text.AppendLine($"- Disk: {Filesystem(context.Scratch)} (scratch folder {context.Scratch})");
        text.AppendLine($"- Load average at start (1, 5, 15 min): {LoadAverage()}");
        text.AppendLine($"- Mode: {(context.Smoke ? "smoke (tiny sizes, figures meaningless)" : "full")}");
        text.AppendLine($"- Command: `{command}`");
        return text.ToString();
    }

    private static string Commit(string repositoryRoot)
    {
        var head = Processes.TryRun("git", ["rev-parse", "--short=12", "HEAD"], repositoryRoot)?.Trim() ?? "unknown";
        var dirty = Processes.TryRun("git", ["status", "--porcelain", "--untracked-files=no"], repositoryRoot);
        return string.IsNullOrWhiteSpace(dirty) ? head : head + " (with uncommitted changes)";
    }

    private static string CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo"))
        {
            return "unknown CPU";
        }

        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string MemoryGiB()
    {
        if (!File.Exists("/proc/meminfo"))
        {
            return "unknown";
        }

        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (kib / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
    }

    /// <summary>The device, filesystem type and mount point that hold <paramref name="path"/>.</summary>
    private static string Filesystem(string path)
    {
        var output = Processes.TryRun("df", ["-T", "-h", path], path);
        var line = output?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        if (line is null)
        {
            return "unknown";
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 7 ? $"{fields[0]}, {fields[1]}, {fields[2]} mounted at {fields[6]}" : line;
    }
}
