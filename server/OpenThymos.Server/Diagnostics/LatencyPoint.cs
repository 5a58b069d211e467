// The hops LatencyTrace records between an agent's intent/submit and the editor's proposal/didChange.
namespace OpenThymos.Server.Diagnostics;

/// <summary>The hops of a submission, in the order they happen.</summary>
public enum LatencyPoint
{
    /// <summary>The intent/submit message was read completely from the agent's socket.</summary>
    Received,

    /// <summary>StreamJsonRpc called the intent/submit handler.</summary>
    Dispatched,

    /// <summary>ThymosRuntime.Submit started.</summary>
    SubmitStarted,

    /// <summary>The proposal.staged entry was durable (its batch announced, first entry).</summary>
    Durable,

    /// <summary>The runtime raised ProposalChanged for the proposal.</summary>
    ChangeRaised,

    /// <summary>proposal/didChange was queued for the editor.</summary>
    Enqueued,

    /// <summary>A drainer took proposal/didChange from the editor's queue.</summary>
    Sending,

    /// <summary>StreamJsonRpc formatted proposal/didChange (and what was queued with it) into the held output.</summary>
    Formatted,

    /// <summary>proposal/didChange was written to the editor's stdout and flushed.</summary>
    Written,
}
