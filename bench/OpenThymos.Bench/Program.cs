// Entry point of the benchmark harness: picks suites from the command line and prints Markdown tables.
using OpenThymos.Bench.Harness;
using OpenThymos.Bench.Suites;

namespace OpenThymos.Bench;

/// <summary>
/// Usage: <c>OpenThymos.Bench [all | SUITE...] [--smoke] [--scratch DIR] [--keep] [--out FILE]</c>.
/// Prints the machine, the date, the commit, the load and the command, then one table per suite
/// and a summary of every goal against its anchor. Exit code 0 when every suite ran (goals met or
/// not: the harness reports, it does not assert timing), 1 when a suite failed to run, 2 for bad arguments.
/// </summary>
internal static class Program
{
    private static readonly ISuite[] Suites =
    [
        new ApproveLatencySuite(),
        new ThroughputSuite(),
        new DiffSuite(),
        new RebuildSuite(),
        new ColdStartSuite(),
        new ProposalNotificationSuite(),
        new VerifyReplaySuite(),
        new MemorySuite(),
        new LedgerSizeSuite(),
    ];

    private static int Main(string[] args)
    {
        var smoke = args.Contains("--smoke");
        string? scratch = null;
        string? outFile = null;
        var names = new List<string>();
        for (var index = 0; index < args.Length; index++)
        {
            switch (args[index])
            {
                case "--smoke":
                case "--keep":
                    break;
                case "--scratch" when index + 1 < args.Length:
                    scratch = args[++index];
                    break;
                case "--out" when index + 1 < args.Length:
                    outFile = args[++index];
                    break;
                case "all":
                    names.AddRange(Suites.Select(s => s.Name));
                    break;
                default:
                    if (Suites.All(s => s.Name != args[index]))
                    {
                        Console.Error.WriteLine($"error: unknown suite or option '{args[index]}'. Suites: all, {string.Join(", ", Suites.Select(s => s.Name))}; options: --smoke, --scratch DIR, --keep (leave the scratch folder), --out FILE.");
                        return 2;
                    }

                    names.Add(args[index]);
                    break;
            }
        }

        if (names.Count == 0)
        {
            names.AddRange(Suites.Select(s => s.Name));
        }

        var command = "dotnet run -c Release --project bench/OpenThymos.Bench -- " + string.Join(' ', args);
        using var context = BenchContext.Create(smoke, scratch, keepScratch: args.Contains("--keep"));
        var summary = new Summary();
        var report = new System.Text.StringBuilder();
        report.AppendLine(MachineInfo.Describe(context, command));
        Console.WriteLine(report.ToString());
        var failed = new List<string>();
        foreach (var suite in Suites.Where(s => names.Contains(s.Name)))
        {
            Console.Error.WriteLine($"bench: {suite.Name} (load {MachineInfo.LoadAverage()}) …");
            try
            {
                foreach (var table in suite.Run(context, summary))
                {
                    var text = table.ToMarkdown();
                    Console.WriteLine(text);
                    report.AppendLine(text);
                }
            }
            catch (Exception exception)
            {
                Console.Error.WriteLine($"error: the {suite.Name} suite failed: {exception}");
                failed.Add(suite.Name);
            }
        }

        var closing = summary.Table.ToMarkdown() + Environment.NewLine + $"- Load average at end (1, 5, 15 min): {MachineInfo.LoadAverage()}" + Environment.NewLine;
        Console.WriteLine(closing);
        report.Append(closing);
        if (outFile is not null)
        {
            File.WriteAllText(outFile, report.ToString());
        }

        if (failed.Count > 0)
        {
            Console.Error.WriteLine($"error: {failed.Count} suite(s) failed to run: {string.Join(", ", failed)}. See the messages above.");
            return 1;
        }

        return 0;
    }
}
