namespace Tem.Ingest.Tests.Formats;

/// <summary>The fuzz tests' one seeded mutation of a file's bytes.</summary>
internal static class ByteMutation
{
    /// <summary>
    /// At a random place, replaces the byte, removes it or inserts one, the new byte drawn from <paramref name="alphabet"/>
    /// (the bytes a format's reader computes on). The draws come in a fixed order (place, byte, kind), so a seed gives the
    /// same files.
    /// </summary>
    public static void MutateOnce(List<byte> bytes, Random random, byte[] alphabet)
    {
        var at = random.Next(bytes.Count);
        var b = alphabet[random.Next(alphabet.Length)];
        switch (random.Next(3))
        {
            case 0:
                bytes[at] = b;
                break;
            case 1:
                bytes.RemoveAt(at);
                break;
            default:
                bytes.Insert(at, b);
                break;
        }
    }
}
