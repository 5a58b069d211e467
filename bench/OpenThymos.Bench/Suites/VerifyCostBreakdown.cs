// Where verify + fold spend their time: each per-entry step timed alone over the same entries.
using System.Globalization;
using OpenThymos.Bench.Harness;
using OpenThymos.Core.Ledger;
using OpenThymos.Core.Replay;
using OpenThymos.Core.Storage.LiteDb;

namespace OpenThymos.Bench.Suites;

/// <summary>
/// Reads a ledger's entries once into memory, then times every step verify and fold perform on
/// each entry, one step at a time, so the cause of a missed goal is a measurement, not a guess.
/// </summary>
internal static class VerifyCostBreakdown
{
    public static ResultTable Measure(string ledgerPath)
    {
        using var store = LiteDbLedgerStore.OpenReadOnly(ledgerPath);
        var readSeconds = Harness.Measure.Seconds(() => GC.KeepAlive(store.ReadRange(1, long.MaxValue).Count()));
        var entries = store.ReadRange(1, long.MaxValue).ToList();
        var steps = new (string Name, Action<LedgerEntry> Step)[]
        {
            ("recompute the entry hash (otle-1 encoding + BLAKE3)", entry => entry.ComputeHash()),
            ("check the payload is canonical JSON (CanonicalJson.IsCanonical)", entry => CanonicalJson.IsCanonical(entry.Payload)),
            ("check the shape and list the blobs (EntryReferences.Inspect: one-pass scan, typed fallback)", entry => EntryReferences.Inspect(entry, out _)),
            ("the same by typed deserialization alone (the scan's reference, no longer run per entry)", entry => EntryReferences.InspectTyped(entry, out _)),
            ("fold: a commit's file changes (WorldReplayer.FileChangesOf: scan, typed fallback)", entry => GC.KeepAlive(WorldReplayer.FileChangesOf(entry))),
        };
        var table = new ResultTable($"Where verify + fold spend their time ({entries.Count:N0} entries, warm, one core)", "",
            "step", "µs per entry", "entries/s for this step alone");
        table.Add("read entries from LiteDB (ordered, decoded)", PerEntry(readSeconds, entries.Count), ResultTable.Rate(entries.Count / readSeconds));
        foreach (var (name, step) in steps)
        {
            entries.Take(Math.Min(1000, entries.Count)).ToList().ForEach(step);
            var seconds = Harness.Measure.Seconds(() => entries.ForEach(step));
            table.Add(name, PerEntry(seconds, entries.Count), ResultTable.Rate(entries.Count / seconds));
        }

        return table;
    }

    private static string PerEntry(double seconds, int count) => (seconds / count * 1e6).ToString("0.00", CultureInfo.InvariantCulture);
}
