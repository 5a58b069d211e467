// Binds a workspace id to the one folder it governs, so that a copied .thymos/ is never taken for the original.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenThymos.Core.Ledger;

/// <summary>
/// The folder a workspace id belongs to, kept in the key folder (<c>&lt;key folder&gt;/&lt;workspace id&gt;/folder.json</c>)
/// and written when the ledger is first opened for writing. Everything filed under the workspace id (key, head anchor,
/// witness, operator token, agent socket) therefore belongs to that folder alone. At every open for writing the
/// recorded folder is compared with the folder being opened: if it is another folder that still holds a ledger of the
/// same workspace id, this one is a copy and is refused (<see cref="WorkspaceCopiedException"/>); if the recorded
/// folder no longer holds it, the workspace was moved, and the record follows it (the old folder is kept in
/// <see cref="PreviousRoots"/>).
/// </summary>
/// <param name="WorkspaceId">The workspace id.</param>
/// <param name="Root">The full path of the workspace folder.</param>
/// <param name="PreviousRoots">Folders the workspace was moved from, oldest first.</param>
public sealed record WorkspaceFolderBinding(
    [property: JsonPropertyName("workspaceId")] string WorkspaceId,
    [property: JsonPropertyName("root")] string Root,
    [property: JsonPropertyName("previousRoots")] IReadOnlyList<string> PreviousRoots)
{
    /// <summary>The file name inside the workspace's key folder.</summary>
    public const string FileName = "folder.json";

    /// <summary>The binding file of a workspace.</summary>
    public static string PathFor(string keyDirectory, string workspaceId) =>
        Path.Combine(keyDirectory, workspaceId, FileName);

    /// <summary>
    /// The form folder paths are recorded and compared in: absolute, with every symbolic link on the way resolved, so
    /// that opening the same folder through a link is not taken for a copy.
    /// </summary>
    public static string Normalize(string root) => Path.TrimEndingDirectorySeparator(RealPath(Path.GetFullPath(root)));

    // Resolves symbolic links component by component (a managed realpath); a missing component ends the resolution.
    private static string RealPath(string fullPath)
    {
        var remaining = new Stack<string>(fullPath.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = Path.GetPathRoot(fullPath) ?? Path.DirectorySeparatorChar.ToString();
        for (var links = 0; remaining.Count > 0;)
        {
            var next = Path.Combine(resolved, remaining.Pop());
            var target = new FileInfo(next).LinkTarget;
            if (target is null || ++links > 40)
            {
                resolved = next;
                continue;
            }

            var absolute = Path.GetFullPath(target, resolved);
            foreach (var part in absolute.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                remaining.Push(part);
            }

            resolved = Path.GetPathRoot(absolute) ?? resolved;
        }

        return resolved;
    }

    /// <summary>Reads the binding; null when there is none (or it is unreadable: it is then written afresh).</summary>
    public static WorkspaceFolderBinding? Read(string keyDirectory, string workspaceId)
    {
        var path = PathFor(keyDirectory, workspaceId);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), LedgerJsonContext.Default.WorkspaceFolderBinding) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The folder other than <paramref name="root"/> that the workspace id is bound to and that still holds a ledger of
    /// that id, or null when <paramref name="root"/> is the workspace's own folder.
    /// </summary>
    public static string? OriginalOf(string keyDirectory, string workspaceId, string root, ILedgerStoreFactory stores)
    {
        var binding = Read(keyDirectory, workspaceId);
        if (binding is null || binding.Root == Normalize(root))
        {
            return null;
        }

        return HoldsWorkspace(binding.Root, workspaceId, stores) ? binding.Root : null;
    }

    /// <summary>
    /// Checks, at open for writing, that <paramref name="root"/> is the folder the workspace id belongs to, and records
    /// it when there is no record yet or the workspace was moved.
    /// </summary>
    /// <exception cref="WorkspaceCopiedException">The id belongs to another folder that still holds its ledger.</exception>
    public static void Claim(string keyDirectory, string workspaceId, string root, ILedgerStoreFactory stores)
    {
        var normalized = Normalize(root);
        var binding = Read(keyDirectory, workspaceId);
        if (binding is not null && binding.Root == normalized)
        {
            return;
        }

        if (binding is not null && HoldsWorkspace(binding.Root, workspaceId, stores))
        {
            throw new WorkspaceCopiedException(workspaceId, normalized, binding.Root, stores);
        }

        var moved = binding is null ? [] : binding.PreviousRoots.Append(binding.Root).ToList();
        Write(keyDirectory, new WorkspaceFolderBinding(workspaceId, normalized, moved));
    }

    /// <summary>True when <paramref name="root"/> has a ledger whose genesis names <paramref name="workspaceId"/> (an unreadable ledger counts: it is not ours to discard).</summary>
    public static bool HoldsWorkspace(string root, string workspaceId, ILedgerStoreFactory stores)
    {
        var ledgerPath = LedgerOptions.DefaultLedgerPath(root);
        if (!stores.Exists(ledgerPath))
        {
            return false;
        }

        try
        {
            using var store = stores.OpenReadOnly(ledgerPath);
            var genesis = store.Read(LedgerFormat.GenesisSeq);
            return genesis is null || WorkspaceLedger.Deserialize(genesis, LedgerJsonContext.Default.GenesisPayload).WorkspaceId == workspaceId;
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static void Write(string keyDirectory, WorkspaceFolderBinding binding)
    {
        var path = PathFor(keyDirectory, binding.WorkspaceId);
        OwnerOnly.CreateFolder(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, OwnerOnly.WriteOptions(FileMode.CreateNew)))
        {
            JsonSerializer.Serialize(stream, binding, LedgerJsonContext.Default.WorkspaceFolderBinding);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The folder opened holds a copy of another folder's workspace (same workspace id); it is refused.</summary>
public sealed class WorkspaceCopiedException : InvalidOperationException
{
    /// <summary>Creates the refusal naming both folders and the way out.</summary>
    public WorkspaceCopiedException(string workspaceId, string copy, string original, ILedgerStoreFactory stores)
        : base(
            $"The folder '{copy}' holds a copy of workspace {workspaceId}, which belongs to '{original}' (its .thymos/ was copied, e.g. by cp -r). "
            + $"Nothing was opened or written, so the two are not confused. To make '{copy}' a workspace of its own, remove its copied ledger "
            + $"(`{RemoveLedgerCommand(copy, stores)}`) and open it again: "
            + $"a new ledger and key are created, and the history stays with '{original}'. If '{original}' is the copy you no longer want, do that there instead.")
    {
        WorkspaceId = workspaceId;
        CopyRoot = copy;
        OriginalRoot = original;
        SeparateCommand = RemoveLedgerCommand(copy, stores);
    }

    /// <summary>The workspace id both folders name.</summary>
    public string WorkspaceId { get; }

    /// <summary>The folder that was opened.</summary>
    public string CopyRoot { get; }

    /// <summary>The folder the workspace id belongs to.</summary>
    public string OriginalRoot { get; }

    /// <summary>
    /// The shell command that removes the copied ledger from <see cref="CopyRoot"/>, after which opening it creates a
    /// workspace of its own (the history stays with <see cref="OriginalRoot"/>), as the message names it.
    /// </summary>
    public string SeparateCommand { get; }

    private static string RemoveLedgerCommand(string copy, ILedgerStoreFactory stores) =>
        "rm " + string.Join(' ', stores.FilesOf(LedgerOptions.DefaultLedgerPath(copy)).Select(ShellQuoting.Quote));
}
