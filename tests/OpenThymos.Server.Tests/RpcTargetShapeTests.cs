// Guards the assumption behind the one AOT suppression in Sidecar: the RPC target interfaces declare no events.
using System.Reflection;
using OpenThymos.Server.Connections;
using OpenThymos.Server.Protocol;
using Xunit;

namespace OpenThymos.Server.Tests;

public sealed class RpcTargetShapeTests
{
    [Fact]
    public void TheRpcTargetInterfacesDeclareNoEventsSoDescribingThemNeedsNoDynamicCode()
    {
        Type[] interfaces = [typeof(IRpcTarget), .. typeof(IRpcTarget).GetInterfaces()];
        Assert.Contains(typeof(IEditorProtocol), interfaces);
        Assert.Contains(typeof(IAgentProtocol), interfaces);
        foreach (var type in interfaces)
        {
            Assert.Empty(type.GetEvents(BindingFlags.Public | BindingFlags.Instance));
        }
    }

    [Fact]
    public void EveryPublicMethodOfRpcTargetIsReachableThroughIRpcTarget()
    {
        // RpcTarget is registered through IRpcTarget only: a public method added to the class alone would not be callable.
        var exposed = new[] { typeof(IRpcTarget) }.Concat(typeof(IRpcTarget).GetInterfaces()).SelectMany(i => i.GetMethods()).Select(m => m.Name).ToHashSet();
        var declared = typeof(RpcTarget).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => m.Name);
        Assert.All(declared, name => Assert.Contains(name, exposed));
    }
}
