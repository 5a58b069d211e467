// The tests' runtime meter: runs what a test sets at the steps it names, to hold an operation there or overtake it.
using OpenThymos.Core.Runtime;

namespace OpenThymos.Core.Tests.Support;

/// <summary>
/// An <see cref="IRuntimeMeter"/> whose hooks a test sets (and clears, even from inside a hook) while the runtime runs:
/// the one way a test reaches into the runtime's operations. Production runtimes have no meter.
/// </summary>
public sealed class RuntimeProbe : IRuntimeMeter
{
    /// <summary>Runs after a submission compiled its intent and before it takes the lock.</summary>
    public Action? BeforeSubmissionLock { get; set; }

    /// <summary>Runs while a rebase is computed (with its proposal's id), outside the lock.</summary>
    public Action<string>? WhileComputingRebase { get; set; }

    /// <summary>Runs while an amendment is computed outside the lock (with its proposal's id).</summary>
    public Action<string>? WhileComputingAmendment { get; set; }

    /// <summary>Runs while a revert is planned outside the lock (with its proposal id, <c>revert:SEQ</c>).</summary>
    public Action<string>? WhileComputingRevert { get; set; }

    /// <summary>Runs before each file of an approval or a revert is renamed over its target (with its path).</summary>
    public Action<string>? BeforeEachRename { get; set; }

    /// <summary>Runs after each file is renamed over its target or deleted, by an approval, a revert or recovery (with its path).</summary>
    public Action<string>? AfterEachRename { get; set; }

    void IRuntimeMeter.Mark(RuntimeStep step, string? subject)
    {
        switch (step)
        {
            case RuntimeStep.SubmissionCompiled:
                BeforeSubmissionLock?.Invoke();
                break;
            case RuntimeStep.RebaseComputing:
                WhileComputingRebase?.Invoke(subject!);
                break;
            case RuntimeStep.AmendmentComputing:
                WhileComputingAmendment?.Invoke(subject!);
                break;
            case RuntimeStep.RevertComputing:
                WhileComputingRevert?.Invoke(subject!);
                break;
            case RuntimeStep.FileRenaming:
                BeforeEachRename?.Invoke(subject!);
                break;
            case RuntimeStep.FileRenamed:
                AfterEachRename?.Invoke(subject!);
                break;
        }
    }
}
