using Suppression.Smtp.Delivery;

namespace Suppression.Smtp.Tests.Delivery;

public sealed class MessageSpoolTests
{
    [Fact]
    public void A_message_too_big_for_memory_goes_to_a_temporary_file_and_reads_back_whole()
    {
        using var spool = new MessageSpool(memoryLimit: 16);
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();

        spool.Write(bytes.AsSpan(0, 10));
        spool.Write(bytes.AsSpan(10));

        Assert.False(spool.IsInMemory);
        using var copy = new MemoryStream();
        spool.OpenRead().CopyTo(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void When_the_temporary_directory_is_unusable_the_spool_says_why_instead_of_throwing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"));
        using var spool = new MessageSpool(memoryLimit: 16, missing);

        spool.Write(new byte[10]);
        spool.Write(new byte[100]);
        spool.Write(new byte[100]);

        Assert.NotNull(spool.Failure);
        Assert.False(spool.IsInMemory);
    }
}
