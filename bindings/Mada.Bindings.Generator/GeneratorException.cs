namespace Mada.Bindings.Generator;

/// <summary>The header cannot be turned into bindings; the message says where and why.</summary>
public sealed class GeneratorException : Exception
{
    public GeneratorException(string message)
        : base(message)
    {
    }
}
