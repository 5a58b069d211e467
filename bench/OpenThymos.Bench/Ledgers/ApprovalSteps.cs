// Where an approval spent its time, step by step (Stopwatch ticks), for the approve benchmark's breakdown.
using System.Diagnostics;

namespace OpenThymos.Bench.Ledgers;

/// <summary>
/// Durations of the steps of the most recent approval that reached the ledger, in
/// <see cref="Stopwatch"/> ticks, so the approve benchmark can say where an approval's
/// latency goes without a profiler attached.
/// </summary>
/// <param name="Checks">Finding the proposal, resolving the selection, the writ, loading the policy file and evaluating it.</param>
/// <param name="DiskCheck">Reading and hashing each target file to see that nobody changed it since the proposal.</param>
/// <param name="Plan">Reading each base blob, applying the approved hunks, encoding and hashing the after state.</param>
/// <param name="StageFiles">Confinement checks and writing the temp files (no fsync).</param>
/// <param name="LedgerStage">Serializing and hashing the approval and commit entries and folding them into the state.</param>
/// <param name="Durable">Waiting until the entries are durable: the LiteDB transaction and the log fsync.</param>
/// <param name="Publish">Renaming the temp files over their targets and queueing the background fsyncs.</param>
internal readonly record struct ApprovalSteps(long Checks, long DiskCheck, long Plan, long StageFiles, long LedgerStage, long Durable, long Publish);
