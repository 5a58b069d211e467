// Who is on the other end of a Unix domain socket, as the kernel reports it.
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenThymos.Server.Sockets;

/// <summary>The process id and user id of a Unix socket's peer (Linux <c>SO_PEERCRED</c>).</summary>
public readonly record struct PeerCredentials(int ProcessId, int UserId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>
    /// Reads the peer's credentials, or null where the kernel does not report them (not Linux, or the call
    /// failed). The kernel fills them at connect time, so a client cannot claim to be another process.
    /// </summary>
    public static PeerCredentials? Of(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit integers in host byte order.
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) < 8)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }
        return new PeerCredentials(MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<int>(ucred[4..]));
    }
}
