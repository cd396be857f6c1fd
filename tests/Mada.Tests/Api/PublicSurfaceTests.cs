using System.Reflection;

namespace Mada.Tests.Api;

/// <summary>
/// Unsafe code stays in the internal glue (Mada.Native): no public type of Mada.dll has a pointer
/// in its signatures, or a pointer or pinned local (fixed, stackalloc to a pointer) in the code of
/// any of its members, its lambdas or its iterators.
/// </summary>
public sealed class PublicSurfaceTests
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void NoPublicTypeHasUnsafeMembersOrCode()
    {
        var publicTypes = typeof(MadaOptimizer).Assembly.GetExportedTypes();
        Assert.Contains(typeof(MadaEngine), publicTypes);

        var offenders = publicTypes
            .SelectMany(type => WithNestedTypes(type))
            .SelectMany(type => type.GetMembers(Everything).Select(member => (type, member)))
            .Where(entry => IsUnsafe(entry.member))
            .Select(entry => $"{entry.type.FullName}.{entry.member.Name}")
            .ToList();

        Assert.True(offenders.Count == 0, "Unsafe code in public types: " + string.Join(", ", offenders));
    }

    /// <summary>The type and the compiler's nested types for its lambdas and iterators.</summary>
    private static IEnumerable<Type> WithNestedTypes(Type type) =>
        type.GetNestedTypes(Everything).SelectMany(WithNestedTypes).Prepend(type);

    private static bool IsUnsafe(MemberInfo member) => member switch
    {
        FieldInfo field => IsPointer(field.FieldType),
        PropertyInfo property => IsPointer(property.PropertyType),
        MethodBase method =>
            (method is MethodInfo info && IsPointer(info.ReturnType))
            || method.GetParameters().Any(parameter => IsPointer(parameter.ParameterType))
            || (method.GetMethodBody()?.LocalVariables.Any(local => local.IsPinned || IsPointer(local.LocalType)) ?? false),
        _ => false,
    };

    private static bool IsPointer(Type type)
    {
        while (type.HasElementType && !type.IsPointer)
        {
            type = type.GetElementType()!;  // T*[], ref T*
        }
        return type.IsPointer || type.IsFunctionPointer;
    }
}
