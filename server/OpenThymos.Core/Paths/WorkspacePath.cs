// A workspace-relative path that has passed PathConfinement, so other modules can rely on its shape.
namespace OpenThymos.Core.Paths;

/// <summary>
/// A normalized path relative to the workspace root, with '/' separators, no '.', '..' or empty
/// segments. Only <c>PathConfinement</c> creates these, so holding one means the path was checked.
/// </summary>
public sealed record WorkspacePath
{
    internal WorkspacePath(string value) => Value = value;

    /// <summary>The relative path text, for example <c>src/app.ts</c>.</summary>
    public string Value { get; }

    /// <summary>Returns the relative path text.</summary>
    public override string ToString() => Value;
}
