// A one-line progress bar on stderr for long ledger work, shown only when stderr is a terminal.
using OpenThymos.Core.Replay;

namespace OpenThymos.Cli.Output;

/// <summary>Draws <c>[#####.....] done/total</c> on stderr; does nothing when stderr is redirected.</summary>
internal sealed class ProgressBar(string label) : IProgress<LedgerProgress>
{
    private long _lastDrawn = -1;

    /// <summary>True when stderr is a terminal.</summary>
    public static bool Visible => !Console.IsErrorRedirected;

    /// <inheritdoc />
    public void Report(LedgerProgress value)
    {
        if (!Visible || value.Total <= 0)
        {
            return;
        }

        var percent = value.Done * 100 / value.Total;
        if (percent == _lastDrawn)
        {
            return;
        }

        _lastDrawn = percent;
        var filled = (int)(percent / 5);
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', 20 - filled)}] {value.Done}/{value.Total}");
        if (value.Done >= value.Total)
        {
            Console.Error.WriteLine();
        }
    }
}
