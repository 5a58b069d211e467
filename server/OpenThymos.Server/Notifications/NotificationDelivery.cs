// Who sends a queued notification when its connection has no send under way.
namespace OpenThymos.Server.Notifications;

/// <summary>How <see cref="NotificationQueue.Enqueue"/> starts sending when no send is under way.</summary>
public enum NotificationDelivery
{
    /// <summary>A thread-pool work item sends it: for callers that may hold the runtime's lock.</summary>
    Background,

    /// <summary>The enqueuing thread sends it now: for callers that hold no lock and just learned the news is durable.</summary>
    Inline,

    /// <summary>It waits for <see cref="NotificationQueue.Deliver"/> (or the next inline or background send), so the
    /// notifications of one operation leave in one batch.</summary>
    Deferred,
}
