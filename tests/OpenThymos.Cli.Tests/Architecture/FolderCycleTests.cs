// "Folders are layers": no folder of Core, Server or the CLI may depend on a folder that depends back on it, read from
// the compiled assemblies (signatures and method bodies), so a reference a `using` line would not show still counts.
using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Xunit;

namespace OpenThymos.Cli.Tests.Architecture;

public sealed class FolderCycleTests
{
    private static readonly string[] Assemblies = ["OpenThymos.Core.dll", "OpenThymos.Server.dll", "thymos.dll"];

    [Fact]
    public void NoFolderOfTheShippedProjectsDependsOnAFolderThatDependsBackOnIt()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in Assemblies)
        {
            foreach (var (from, to) in FolderDependencies.Read(Path.Combine(Path.GetDirectoryName(ThymosProcess.Dll)!, name)))
            {
                (graph.TryGetValue(from, out var targets) ? targets : graph[from] = new(StringComparer.Ordinal)).Add(to);
            }
        }

        Assert.True(graph.Count > 20, $"expected the folders of {string.Join(", ", Assemblies)}, read {graph.Count}");
        Assert.Contains("OpenThymos.Core.Ledger", graph["OpenThymos.Core.Runtime"]); // the reader sees real edges

        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        Assert.True(
            cycles.Count == 0,
            "Folders that depend on each other (move the shared type down into a folder both can use):\n"
            + string.Join('\n', cycles.Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal)) + "\n    " + string.Join("\n    ", Edges(graph, c)))));
    }

    [Fact]
    public void TheFolderReaderFindsACycleWhereOneExists()
    {
        // The check above can only pass honestly if a cycle makes it fail: two folders that use each other are one component.
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "D"],
            ["D"] = [],
        };
        var components = StronglyConnected(graph).Select(c => string.Join(",", c.Order(StringComparer.Ordinal))).ToList();
        Assert.Contains("A,B,C", components);
        Assert.Contains("D", components);
    }

    private static IEnumerable<string> Edges(Dictionary<string, HashSet<string>> graph, List<string> component) =>
        component.SelectMany(from => graph[from].Where(component.Contains).Select(to => $"{from} -> {to}")).Order(StringComparer.Ordinal);

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.TryGetValue(node, out var targets) ? targets : [])
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    onStack.Remove(popped);
                    component.Add(popped);
                }
                while (popped != node);
                result.Add(component);
            }
        }

        foreach (var node in graph.Keys.ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    /// <summary>
    /// Reads which folder (namespace, cut to project and first folder: <c>OpenThymos.Core.Ledger.Payloads</c> counts as
    /// <c>OpenThymos.Core.Ledger</c>) uses which, from every type's base, interfaces, fields, method signatures, locals and
    /// the tokens in its method bodies. Compiler-generated nested types (closures, state machines) count as their outer type.
    /// </summary>
    private static class FolderDependencies
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        public static IEnumerable<(string From, string To)> Read(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            var edges = new HashSet<(string, string)>();
            var provider = new NamespaceProvider(reader);

            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                var from = Folder(OuterNamespace(reader, handle));
                if (!from.StartsWith("OpenThymos.", StringComparison.Ordinal))
                {
                    continue;
                }

                var used = new HashSet<string>(StringComparer.Ordinal);
                if (!type.BaseType.IsNil)
                {
                    used.UnionWith(provider.Of(type.BaseType));
                }

                foreach (var implementation in type.GetInterfaceImplementations())
                {
                    used.UnionWith(provider.Of(reader.GetInterfaceImplementation(implementation).Interface));
                }

                foreach (var field in type.GetFields())
                {
                    used.UnionWith(reader.GetFieldDefinition(field).DecodeSignature(provider, null));
                }

                foreach (var methodHandle in type.GetMethods())
                {
                    var method = reader.GetMethodDefinition(methodHandle);
                    var signature = method.DecodeSignature(provider, null);
                    used.UnionWith(signature.ReturnType);
                    used.UnionWith(signature.ParameterTypes.SelectMany(p => p));
                    if (method.RelativeVirtualAddress != 0)
                    {
                        var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                        if (!body.LocalSignature.IsNil)
                        {
                            var locals = reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                            used.UnionWith(locals.SelectMany(l => l));
                        }

                        foreach (var token in Tokens(body.GetILReader()))
                        {
                            used.UnionWith(provider.Of(MetadataTokens.EntityHandle(token)));
                        }
                    }
                }

                foreach (var to in used.Select(Folder).Where(t => t.StartsWith("OpenThymos.", StringComparison.Ordinal) && t != from))
                {
                    edges.Add((from, to));
                }
            }

            return edges;
        }

        /// <summary>The metadata tokens a method body names (types, methods, fields), by walking its opcodes.</summary>
        private static IEnumerable<int> Tokens(BlobReader il)
        {
            var tokens = new List<int>();
            while (il.RemainingBytes > 0)
            {
                short value = il.ReadByte();
                if (value == 0xFE)
                {
                    value = unchecked((short)(0xFE00 | il.ReadByte()));
                }

                var code = OpCodesByValue[value];
                switch (code.OperandType)
                {
                    case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                        tokens.Add(il.ReadInt32());
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32(); // read before the skip: `Offset += 4 * ReadInt32()` would add to the old offset
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                        il.Offset += 4;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    default:
                        break;
                }
            }

            return tokens;
        }

        /// <summary><c>OpenThymos.Core.Ledger.Payloads</c> → <c>OpenThymos.Core.Ledger</c>; a project's root stays itself.</summary>
        private static string Folder(string ns)
        {
            var parts = ns.Split('.');
            return parts.Length > 3 ? string.Join('.', parts.Take(3)) : ns;
        }

        private static string OuterNamespace(MetadataReader reader, TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            while (type.IsNested)
            {
                type = reader.GetTypeDefinition(type.GetDeclaringType());
            }

            return reader.GetString(type.Namespace);
        }

        /// <summary>Decodes a signature into the namespaces of the types it names.</summary>
        private sealed class NamespaceProvider(MetadataReader reader) : ISignatureTypeProvider<ImmutableArray<string>, object?>
        {
            public ImmutableArray<string> Of(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeDefinition:
                        return GetTypeFromDefinition(reader, (TypeDefinitionHandle)handle, 0);
                    case HandleKind.TypeReference:
                        return GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0);
                    case HandleKind.TypeSpecification:
                        return GetTypeFromSpecification(reader, null, (TypeSpecificationHandle)handle, 0);
                    case HandleKind.MethodDefinition:
                        return Of(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    case HandleKind.FieldDefinition:
                        return Of(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    case HandleKind.MethodSpecification:
                        var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                        return [.. Of(specification.Method), .. specification.DecodeSignature(this, null).SelectMany(t => t)];
                    case HandleKind.MemberReference:
                        var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                        var owner = member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification
                            ? Of(member.Parent)
                            : [];
                        var signature = member.GetKind() == MemberReferenceKind.Method
                            ? member.DecodeMethodSignature(this, null) is var m ? [.. m.ReturnType, .. m.ParameterTypes.SelectMany(p => p)] : []
                            : member.DecodeFieldSignature(this, null);
                        return [.. owner, .. signature];
                    default:
                        return [];
                }
            }

            public ImmutableArray<string> GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) =>
                [OuterNamespace(metadata, handle)];

            public ImmutableArray<string> GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
            {
                var type = metadata.GetTypeReference(handle);
                while (type.ResolutionScope.Kind == HandleKind.TypeReference)
                {
                    type = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
                }

                return [metadata.GetString(type.Namespace)];
            }

            public ImmutableArray<string> GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
                [.. genericType, .. typeArguments.SelectMany(t => t)];

            public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;

            public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;

            public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;

            public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;

            public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;

            public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;

            public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) =>
                [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];

            public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => [];

            public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => [];

            public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        }
    }
}
