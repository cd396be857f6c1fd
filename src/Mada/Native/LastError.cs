using System.Text;

namespace Mada.Native;

/// <summary>Reads this thread's last native error message (mada_last_error).</summary>
internal static unsafe class LastError
{
    public static string Read()
    {
        nuint length = KernelMethods.mada_last_error(null, 0);
        if (length == 0)
        {
            return string.Empty;
        }

        // One more byte for the NUL the library always writes.
        byte[] buffer = new byte[checked((int)length + 1)];
        fixed (byte* bytes = buffer)
        {
            length = KernelMethods.mada_last_error(bytes, (nuint)buffer.Length);
        }
        int written = (int)Math.Min(length, (nuint)(buffer.Length - 1));
        return Encoding.UTF8.GetString(buffer, 0, written);
    }
}
