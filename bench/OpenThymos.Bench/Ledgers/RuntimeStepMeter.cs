// The bench's runtime meter: where the last approval spent its time, step by step, and how long operations held the runtime's lock.
using System.Diagnostics;
using OpenThymos.Core.Runtime;

namespace OpenThymos.Bench.Ledgers;

/// <summary>
/// The <see cref="IRuntimeMeter"/> the bench opens its runtimes with (production runtimes have none). It timestamps the
/// steps of each approval, from <see cref="RuntimeStep.ApprovalStarted"/> to <see cref="RuntimeStep.FilesPublished"/>,
/// and keeps the durations of the most recent approval that reached them all in order (<see cref="LastApprovalSteps"/>;
/// a revert, which starts at <see cref="RuntimeStep.FilesStaged"/>, or an approval refused part-way is not one). It also
/// sums the time between <see cref="RuntimeStep.LockTaken"/> and <see cref="RuntimeStep.LockReleased"/>
/// (<see cref="LockHolds"/>). Those marks come under the runtime's lock, one operation at a time; the readings are
/// taken between operations.
/// </summary>
internal sealed class RuntimeStepMeter : IRuntimeMeter
{
    private static readonly RuntimeStep[] ApprovalOrder =
    [
        RuntimeStep.ApprovalStarted, RuntimeStep.ApprovalChecked, RuntimeStep.ApprovalDiskChecked, RuntimeStep.ApprovalPlanned,
        RuntimeStep.FilesStaged, RuntimeStep.EntriesStaged, RuntimeStep.EntriesDurable, RuntimeStep.FilesPublished,
    ];

    private readonly long[] _marks = new long[ApprovalOrder.Length];
    private int _reached;
    private long _lockTakenAt;
    private long _lockHolds;
    private long _lockHeldTicks;

    /// <summary>Where the most recent approval that reached the ledger and the workspace spent its time.</summary>
    public ApprovalSteps LastApprovalSteps { get; private set; }

    /// <summary>How often operations took the runtime's lock and how long they held it in total: the mean hold time bounds throughput.</summary>
    public LockHoldStatistics LockHolds => new(Interlocked.Read(ref _lockHolds), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _lockHeldTicks)));

    void IRuntimeMeter.Mark(RuntimeStep step, string? subject)
    {
        var now = Stopwatch.GetTimestamp();
        switch (step)
        {
            case RuntimeStep.LockTaken:
                _lockTakenAt = now;
                return;
            case RuntimeStep.LockReleased:
                Interlocked.Increment(ref _lockHolds);
                Interlocked.Add(ref _lockHeldTicks, now - _lockTakenAt);
                return;
        }

        var index = Array.IndexOf(ApprovalOrder, step);
        if (index < 0)
        {
            return; // a step outside the lock (compiles, rebases, amendments, reverts being planned)
        }

        if (index == 0)
        {
            _reached = 0;
        }
        else if (index != _reached)
        {
            _reached = 0; // not the next step of an approval in progress: a revert, or an approval refused part-way
            return;
        }

        _marks[index] = now;
        _reached = index + 1;
        if (_reached == ApprovalOrder.Length)
        {
            var m = _marks;
            LastApprovalSteps = new ApprovalSteps(m[1] - m[0], m[2] - m[1], m[3] - m[2], m[4] - m[3], m[5] - m[4], m[6] - m[5], m[7] - m[6]);
            _reached = 0;
        }
    }
}
