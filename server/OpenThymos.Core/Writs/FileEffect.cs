// The kinds of change a file edit can make; shared by writ scopes and policy rules.
namespace OpenThymos.Core.Writs;

/// <summary>
/// Effects of a file change, as flags so a writ or rule can allow a set of them. In JSON each
/// effect is written as its lowercase name: "create", "modify", "delete", "rename".
/// </summary>
[Flags]
public enum Effects
{
    /// <summary>No effect; a writ with this allows nothing.</summary>
    None = 0,

    /// <summary>Creating a file that does not exist yet.</summary>
    Create = 1,

    /// <summary>Changing the contents of an existing file.</summary>
    Modify = 2,

    /// <summary>Removing a file.</summary>
    Delete = 4,

    /// <summary>Moving a file to another path (both paths are checked).</summary>
    Rename = 8,

    /// <summary>Every effect.</summary>
    All = Create | Modify | Delete | Rename,
}
