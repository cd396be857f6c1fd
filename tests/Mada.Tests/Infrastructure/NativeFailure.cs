using Mada.Native;

namespace Mada.Tests.Infrastructure;

/// <summary>Asserts on failed calls together with the message the library left for this thread.</summary>
internal static class NativeFailure
{
    /// <summary>
    /// Runs <paramref name="call"/>, which must throw exactly <typeparamref name="T"/>, and checks
    /// that the exception carries the native library's message unchanged.
    /// </summary>
    public static T Expect<T>(Action call)
        where T : Exception
    {
        var exception = Assert.Throws<T>(call);
        string native = LastError.Read();
        Assert.False(string.IsNullOrWhiteSpace(native), "The library reported no message for the failure.");
        Assert.Contains(native, exception.Message, StringComparison.Ordinal);
        return exception;
    }
}
