// The scope Sidecar.DeferNotifications returns: notifications raised on this thread wait for its end.
namespace OpenThymos.Server.Connections;

/// <summary>Ends a <see cref="Sidecar.DeferNotifications"/> scope when disposed; dispose it once, on the thread that opened it.</summary>
public readonly struct NotificationScope : IDisposable
{
    private readonly Sidecar? _sidecar;

    internal NotificationScope(Sidecar sidecar) => _sidecar = sidecar;

    /// <summary>Ends the scope; the outermost end sends what waits.</summary>
    public void Dispose() => _sidecar?.EndDeferral();
}
