// The world folded by the last verify that found nothing wrong, reused while the ledger's head has not moved.
using OpenThymos.Core.Replay;

namespace OpenThymos.Server.Surface;

/// <summary>
/// The editor's "Replay Ledger" sends <c>ledger/verify</c>, then <c>ledger/replay</c>, then <c>ledger/getDrift</c>.
/// Verify folds the world in the same pass (<see cref="LedgerVerifier.VerifyAndReplay"/>) and leaves it here; replay
/// and drift take it instead of reading the whole ledger again, as long as no entry was appended since (the world
/// depends only on the entries up to its seq, and the ledger only grows). A verify with problems leaves nothing, so
/// replay and drift then fold the ledger themselves, exactly as before.
/// </summary>
public sealed class VerifiedWorldCache
{
    private World? _world;

    /// <summary>Keeps a verified world (or forgets the last one when <paramref name="world"/> is null).</summary>
    public void Store(World? world) => Volatile.Write(ref _world, world);

    /// <summary>Drops the kept world once an entry after it is appended: it can no longer answer, and a long ledger's world is not small.</summary>
    public void ForgetBefore(long appendedSeq)
    {
        if (Volatile.Read(ref _world) is { } world && world.Seq < appendedSeq)
        {
            Interlocked.CompareExchange(ref _world, null, world);
        }
    }

    /// <summary>The verified world at <paramref name="headSeq"/>, or null when the last verify was not at that head or found problems.</summary>
    public World? At(long headSeq) => Volatile.Read(ref _world) is { } world && world.Seq == headSeq ? world : null;
}
