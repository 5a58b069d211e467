// git used as a ledger, as checkpoint tools do: one commit per change, with the git binary.
using OpenThymos.Bench.Harness;

namespace OpenThymos.Bench.Anchors;

/// <summary>A git repository where every change is written, staged and committed by running git.</summary>
internal sealed class GitLedger
{
    private readonly string _folder;
    private int _change;

    public GitLedger(string folder)
    {
        _folder = folder;
        Git("init", "-q");
        Git("config", "user.name", "bench");
        Git("config", "user.email", "bench@example.invalid");
        Git("config", "commit.gpgsign", "false");
        File.WriteAllText(Path.Combine(folder, "change.txt"), "start\n");
        Git("add", "change.txt");
        Git("commit", "-q", "-m", "start");
    }

    /// <summary>Changes one file and commits it (`git commit -a`), as a checkpoint tool records one change.</summary>
    public void CommitOneChange()
    {
        _change++;
        File.AppendAllText(Path.Combine(_folder, "change.txt"), $"change {_change}\n");
        Git("commit", "-q", "-a", "-m", $"change {_change}");
    }

    private void Git(params string[] arguments) => Processes.Run("git", arguments, _folder);
}
