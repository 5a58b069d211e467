// Pages through the ledger newest-first without loading it: reads backwards in small ranges from the store.
using OpenThymos.Core.Ledger;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Surface;

/// <summary>
/// Serves <c>ledger/listEntries</c>. Each call reads at most <see cref="MaxScannedPerCall"/> entries, so a
/// filter that matches nothing in a million entries still answers quickly; the client continues from
/// <c>nextBeforeSeq</c>.
/// </summary>
public static class TimelineReader
{
    /// <summary>Entries read per store range.</summary>
    public const int PageSize = 256;

    /// <summary>Most entries examined per call.</summary>
    public const int MaxScannedPerCall = 20_000;

    /// <summary>Reads one page.</summary>
    public static ListEntriesResult Read(ILedgerStore store, ListEntriesParams request, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(request.Limit ?? 100, 1, 1000);
        var head = store.MaxSeq();
        var upper = request.BeforeSeq is { } before ? Math.Min(before - 1, head) : head;
        var kinds = request.Kinds is { Count: > 0 } ? request.Kinds.ToHashSet(StringComparer.Ordinal) : null;
        var entries = new List<EntrySummary>();
        var scanned = 0;
        var seq = upper;
        long? next = null;
        while (seq >= LedgerFormat.GenesisSeq && entries.Count < limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (scanned >= MaxScannedPerCall)
            {
                next = seq + 1;
                break;
            }
            var from = Math.Max(LedgerFormat.GenesisSeq, seq - PageSize + 1);
            var page = store.ReadRange(from, seq).ToList();
            for (var i = page.Count - 1; i >= 0 && entries.Count < limit; i--)
            {
                var entry = page[i];
                scanned++;
                if (kinds is not null && !kinds.Contains(entry.Kind))
                {
                    continue;
                }
                var (summary, agent) = ProtocolConversions.DescribeEntry(entry);
                if (request.Agent is { Length: > 0 } wanted && agent != wanted && entry.Actor != "agent:" + wanted)
                {
                    continue;
                }
                if (request.Path is { Length: > 0 } path && !summary.Paths.Contains(path, StringComparer.Ordinal))
                {
                    continue;
                }
                entries.Add(summary);
            }
            seq = from - 1;
        }
        if (entries.Count == limit && entries[^1].Seq > LedgerFormat.GenesisSeq)
        {
            next = entries[^1].Seq;
        }
        return new ListEntriesResult { Entries = entries, NextBeforeSeq = next, HeadSeq = head };
    }
}
