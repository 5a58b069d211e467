// The agent socket's admission caps: per peer process and in total, released exactly once per admitted connection.
using OpenThymos.Server.Sockets;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class AgentConnectionLimitTests
{
    [Fact]
    public void AProcessIsRefusedPastItsShareWhileAnotherProcessIsStillAdmitted()
    {
        var limit = new AgentConnectionLimit(perProcess: 3, total: 10);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limit.TryAdmit(100));
        }

        var refusal = limit.TryAdmit(100);

        Assert.NotNull(refusal);
        Assert.Contains("process 100 already holds 3 agent connections", refusal, StringComparison.Ordinal);
        Assert.Contains("Close connections you no longer use", refusal, StringComparison.Ordinal);
        Assert.Null(limit.TryAdmit(200));
        Assert.Equal(4, limit.Open);
    }

    [Fact]
    public void TheTotalCapHoldsAcrossProcessesAndForPeersTheKernelDidNotName()
    {
        var limit = new AgentConnectionLimit(perProcess: 3, total: 5);
        Assert.Null(limit.TryAdmit(1));
        Assert.Null(limit.TryAdmit(2));
        Assert.Null(limit.TryAdmit(3));
        Assert.Null(limit.TryAdmit(null));
        Assert.Null(limit.TryAdmit(null));

        var refusal = limit.TryAdmit(4);

        Assert.NotNull(refusal);
        Assert.Contains("5 agent connections are already open", refusal, StringComparison.Ordinal);
        Assert.NotNull(limit.TryAdmit(null));
    }

    [Fact]
    public void ReleasingAConnectionGivesItsProcessItsPlaceBack()
    {
        var limit = new AgentConnectionLimit(perProcess: 2, total: 10);
        Assert.Null(limit.TryAdmit(7));
        Assert.Null(limit.TryAdmit(7));
        Assert.NotNull(limit.TryAdmit(7));

        limit.Release(7);

        Assert.Null(limit.TryAdmit(7));
        limit.Release(7);
        limit.Release(7);
        Assert.Equal(0, limit.Open);
        Assert.Null(limit.TryAdmit(7));
        Assert.Null(limit.TryAdmit(7));
        Assert.NotNull(limit.TryAdmit(7));
    }
}
