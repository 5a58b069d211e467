// Turns a notification's params object into named arguments without reflection, so Native AOT can send it.
using System.Text.Json;
using OpenThymos.Server.Protocol;

namespace OpenThymos.Server.Rpc;

/// <summary>
/// StreamJsonRpc's <c>NotifyWithParameterObjectAsync(string, object)</c> may reflect over the object's members, which
/// trimming and Native AOT cannot allow. This writes the params object with its source-generated metadata and hands
/// each top-level member to StreamJsonRpc as a named argument (a <see cref="JsonElement"/>), so the wire is exactly
/// what serializing the object gives: same names (camelCase), same values, same omissions.
/// </summary>
public static class NotificationArguments
{
    private static readonly Type ElementType = typeof(JsonElement);

    /// <summary>The named arguments and their declared types for <paramref name="parameters"/>.</summary>
    /// <exception cref="NotSupportedException">The type is not in <see cref="ProtocolJsonContext"/>.</exception>
    public static (IReadOnlyDictionary<string, object?> Arguments, IReadOnlyDictionary<string, Type> DeclaredTypes) Of(object parameters)
    {
        var typeInfo = ProtocolJsonContext.Default.GetTypeInfo(parameters.GetType())
            ?? throw new NotSupportedException($"{parameters.GetType().Name} is not in ProtocolJsonContext; add [JsonSerializable(typeof({parameters.GetType().Name}))] there.");
        var element = JsonSerializer.SerializeToElement(parameters, typeInfo);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        var declaredTypes = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            arguments[property.Name] = property.Value;
            declaredTypes[property.Name] = ElementType;
        }
        return (arguments, declaredTypes);
    }
}
