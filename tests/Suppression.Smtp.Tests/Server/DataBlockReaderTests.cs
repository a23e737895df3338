using System.Buffers;
using System.Text;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Server;

public sealed class DataBlockReaderTests : IDisposable
{
    private readonly MessageSpool _spool = new(memoryLimit: 1 << 20);

    public void Dispose() => _spool.Dispose();

    [Fact]
    public void Terminator_ends_the_block_and_leaves_what_follows_in_the_buffer()
    {
        var buffer = BufferSegment.Sequence("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");

        var outcome = new DataBlockReader(1000).Consume(ref buffer, _spool);

        Assert.Equal(DataBlockOutcome.Complete, outcome);
        Assert.Equal("Subject: hi\r\n\r\nbody\r\n", Spooled());
        Assert.Equal("QUIT\r\n", Text(buffer));
    }

    private static readonly MessageShapeLimits Shape = new(MaxHeaderBytes: 300, MaxHeaderFieldBytes: 100, MaxBoundaryLines: 3);

    [Theory]
    [InlineData("Subject: x\r\n", 30, DataBlockOutcome.HeaderTooLarge)]
    [InlineData("Subject: x\r\n", 20, DataBlockOutcome.Complete)]
    [InlineData(" x\r\n", 25, DataBlockOutcome.HeaderFieldTooLarge)]
    [InlineData(" x\r\n", 20, DataBlockOutcome.Complete)]
    public void The_header_block_and_each_field_are_measured_before_the_empty_line(string repeated, int times, DataBlockOutcome expected)
    {
        var buffer = BufferSegment.Sequence("Subject : x\r\n" + string.Concat(Enumerable.Repeat(repeated, times)) + "\r\nbody\r\n.\r\n");

        Assert.Equal(expected, new DataBlockReader(100_000, Shape).Consume(ref buffer, _spool));
    }

    [Theory]
    [InlineData("--b\r\nContent-Type: text/plain\r\nX-Long: x", DataBlockOutcome.HeaderFieldTooLarge)]
    [InlineData("Dear reader,", DataBlockOutcome.Complete)]
    [InlineData("<td>", DataBlockOutcome.Complete)]
    public void A_folded_field_is_measured_in_the_body_too_but_indented_text_is_not_a_field(string start, DataBlockOutcome expected)
    {
        var buffer = BufferSegment.Sequence("Subject: x\r\n\r\n" + start + string.Concat(Enumerable.Repeat("\r\n  more", 30)) + "\r\n.\r\n");

        Assert.Equal(expected, new DataBlockReader(100_000, Shape).Consume(ref buffer, _spool));
    }

    [Theory]
    [InlineData(3, DataBlockOutcome.Complete)]
    [InlineData(4, DataBlockOutcome.TooManyParts)]
    public void Lines_that_could_be_mime_boundaries_are_counted(int boundaries, DataBlockOutcome expected)
    {
        var buffer = BufferSegment.Sequence("Subject: x\r\n\r\n" + string.Concat(Enumerable.Repeat("--b\r\n\r\n", boundaries)) + ".\r\n");

        Assert.Equal(expected, new DataBlockReader(100_000, Shape).Consume(ref buffer, _spool));
    }

    [Fact]
    public void Empty_message_is_just_the_terminator()
    {
        var buffer = BufferSegment.Sequence(".\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000).Consume(ref buffer, _spool));
        Assert.Equal(0, _spool.Length);
    }

    [Fact]
    public void Leading_dot_is_removed_from_stuffed_lines()
    {
        var buffer = BufferSegment.Sequence("..\r\n...two\r\nmiddle.dot\r\n. space\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000).Consume(ref buffer, _spool));
        Assert.Equal(".\r\n..two\r\nmiddle.dot\r\n space\r\n", Spooled());
    }

    [Fact]
    public void Terminator_split_across_segments_is_found()
    {
        var buffer = BufferSegment.Sequence("Hello\r", "\n", ".", "\r", "\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000).Consume(ref buffer, _spool));
        Assert.Equal("Hello\r\n", Spooled());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void One_byte_per_segment_gives_the_same_content()
    {
        var buffer = BufferSegment.OneBytePerSegment("a\r\n..b\r\n.c\r\n\r\n.\r\nRSET\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000).Consume(ref buffer, _spool));
        Assert.Equal("a\r\n.b\r\nc\r\n\r\n", Spooled());
        Assert.Equal("RSET\r\n", Text(buffer));
    }

    [Fact]
    public void Sequence_starting_with_an_empty_segment_is_read_like_any_other()
    {
        var buffer = BufferSegment.Sequence(string.Empty, "..dot\r\n", string.Empty, ".\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000).Consume(ref buffer, _spool));
        Assert.Equal(".dot\r\n", Spooled());
    }

    [Fact]
    public void Long_partial_line_in_a_sequence_starting_with_an_empty_segment_is_dropped()
    {
        var reader = new DataBlockReader(1 << 20);
        var buffer = BufferSegment.Sequence(string.Empty, new string('x', 2000));

        Assert.Null(reader.Consume(ref buffer, _spool));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Terminator_split_across_reads_at_every_position_is_found()
    {
        const string data = "Subject: x\r\n\r\n..stuffed\r\nlast\r\n.\r\n";
        for (var split = 1; split < data.Length; split++)
        {
            using var spool = new MessageSpool(1 << 20);
            var (outcome, remainder) = Feed(new DataBlockReader(1000), spool, data[..split], data[split..]);

            Assert.Equal(DataBlockOutcome.Complete, outcome);
            Assert.Equal("Subject: x\r\n\r\n.stuffed\r\nlast\r\n", Text(spool));
            Assert.Empty(remainder);
        }
    }

    [Fact]
    public void Incomplete_terminator_waits_for_more_input()
    {
        var reader = new DataBlockReader(1000);
        var buffer = BufferSegment.Sequence("body\r\n.\r");

        Assert.Null(reader.Consume(ref buffer, _spool));
        Assert.Equal(".\r", Text(buffer));
    }

    [Theory]
    [InlineData("a\n.\nb\r\n.\r\nQUIT\r\n")]
    [InlineData("a\n.\r\nb\r\n.\r\nQUIT\r\n")]
    [InlineData("a\r\n.\nb\r\n.\r\nQUIT\r\n")]
    public void Bare_line_feed_dot_does_not_end_the_block_and_refuses_the_message(string data)
    {
        // RFC 5321 2.3.8 and 4.1.1.4: only CRLF.CRLF ends DATA; anything else is SMTP smuggling.
        var buffer = BufferSegment.Sequence(data);

        var outcome = new DataBlockReader(1000).Consume(ref buffer, _spool);

        Assert.Equal(DataBlockOutcome.BareLineFeed, outcome);
        Assert.Equal("QUIT\r\n", Text(buffer));
    }

    [Theory]
    [InlineData("a\r.\rb\r\n.\r\nQUIT\r\n")]
    [InlineData("a\r.\r\nb\r\n.\r\nQUIT\r\n")]
    [InlineData("a\r\n.\rb\r\n.\r\nQUIT\r\n")]
    [InlineData("Subject: x\ry\r\n\r\nbody\r\n.\r\nQUIT\r\n")]
    [InlineData("body\r\r\n.\r\nQUIT\r\n")]
    public void Bare_carriage_return_refuses_the_message_and_only_crlf_dot_crlf_ends_it(string data)
    {
        // "CR.CR" is the smuggling shape for upstreams that take a lone CR as a line end.
        var buffer = BufferSegment.Sequence(data);

        var outcome = new DataBlockReader(1000).Consume(ref buffer, _spool);

        Assert.Equal(DataBlockOutcome.BareCarriageReturn, outcome);
        Assert.Equal("QUIT\r\n", Text(buffer));
    }

    [Fact]
    public void Bare_line_feed_dot_without_a_real_terminator_is_not_the_end()
    {
        var buffer = BufferSegment.Sequence("a\n.\nMAIL FROM:<x@example.com>\r\n");

        Assert.Null(new DataBlockReader(1000).Consume(ref buffer, _spool));
    }

    [Fact]
    public void Line_of_exactly_1000_octets_including_crlf_is_accepted()
    {
        var line = new string('x', 998) + "\r\n";
        var buffer = BufferSegment.Sequence(line + ".\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(10_000).Consume(ref buffer, _spool));
        Assert.Equal(line, Spooled());
    }

    [Fact]
    public void Stuffing_dot_does_not_count_towards_the_line_limit()
    {
        // RFC 5321 4.5.3.1.6: the limit does not count the leading dot duplicated for transparency.
        var buffer = BufferSegment.Sequence(".." + new string('x', 997) + "\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(10_000).Consume(ref buffer, _spool));
        Assert.Equal(1000, _spool.Length);
    }

    [Fact]
    public void Line_of_1001_octets_is_too_long()
    {
        var buffer = BufferSegment.Sequence(new string('x', 999) + "\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.LineTooLong, new DataBlockReader(10_000).Consume(ref buffer, _spool));
    }

    [Fact]
    public void Line_of_1000_octets_arriving_in_pieces_is_accepted()
    {
        var line = new string('x', 998) + "\r\n";
        var (outcome, _) = Feed(new DataBlockReader(10_000), _spool, line[..500], line[500..999], line[999..], ".\r\n");

        Assert.Equal(DataBlockOutcome.Complete, outcome);
        Assert.Equal(line, Spooled());
    }

    [Fact]
    public void Endless_line_is_not_buffered_and_ends_as_too_long()
    {
        var reader = new DataBlockReader(1 << 20);
        var buffer = BufferSegment.Sequence(new string('x', 100 * 1024));

        Assert.Null(reader.Consume(ref buffer, _spool));
        Assert.True(buffer.Length <= DataBlockReader.MaxTextLineOctets, $"{buffer.Length} octets still buffered");

        var rest = BufferSegment.Sequence(Text(buffer) + "\r\n.\r\n");
        Assert.Equal(DataBlockOutcome.LineTooLong, reader.Consume(ref rest, _spool));
        Assert.Equal(0, _spool.Length);
    }

    [Fact]
    public void Endless_line_arriving_in_small_reads_never_holds_more_than_a_line()
    {
        var reader = new DataBlockReader(1 << 20);
        var reads = Enumerable.Repeat(new string('x', 4096), 25).Append("\r\n.\r\n").ToArray();

        var (outcome, _) = Feed(reader, _spool, reads);

        Assert.Equal(DataBlockOutcome.LineTooLong, outcome);
    }

    [Fact]
    public void Dot_line_after_a_discarded_long_line_is_content_not_the_terminator()
    {
        // The dropped partial line was not at a line start, so ".\r\n" here only ends that line.
        var reader = new DataBlockReader(1 << 20);
        var (outcome, remainder) = Feed(reader, _spool, new string('x', 2000), ".\r\n", "NOOP\r\n.\r\nQUIT\r\n");

        Assert.Equal(DataBlockOutcome.LineTooLong, outcome);
        Assert.Equal("QUIT\r\n", remainder);
    }

    [Fact]
    public void Message_over_the_size_limit_is_too_large_and_not_spooled_past_it()
    {
        var buffer = BufferSegment.Sequence("0123456789\r\n0123456789\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.TooLarge, new DataBlockReader(20).Consume(ref buffer, _spool));
        Assert.True(_spool.Length <= 20);
    }

    [Fact]
    public void Message_exactly_at_the_size_limit_is_accepted()
    {
        var buffer = BufferSegment.Sequence("0123456789\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(12).Consume(ref buffer, _spool));
    }

    [Fact]
    public void First_failure_wins_over_later_ones()
    {
        var buffer = BufferSegment.Sequence("bare\nthen\r\n" + new string('x', 2000) + "\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.BareLineFeed, new DataBlockReader(100).Consume(ref buffer, _spool));
    }

    [Fact]
    public void Content_bytes_are_kept_exactly()
    {
        // Every byte but a CR or LF outside the line end (those refuse the message, tests above).
        byte[] content = [0x00, 0x01, 0x7F, 0x80, 0xC3, 0xA9, 0xFF, 0xFE, (byte)'x', (byte)'\r', (byte)'\n', 0x00, (byte)'\r', (byte)'\n'];
        var buffer = BufferSegment.Sequence(content[..5], content[5..], ".\r\n"u8.ToArray());

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000).Consume(ref buffer, _spool));
        Assert.Equal(content, SpooledBytes(_spool));
    }

    [Fact]
    public void Size_counts_unstuffed_content()
    {
        var reader = new DataBlockReader(1000);
        var buffer = BufferSegment.Sequence("..ab\r\n.\r\n");

        reader.Consume(ref buffer, _spool);

        Assert.Equal(5, reader.Size);
    }

    [Fact]
    public void Read_liberally_a_long_line_is_kept_whole_in_pieces_and_a_crlf_split_after_it_still_ends_the_block()
    {
        var longLine = "x" + new string('y', 2500);

        var (outcome, remainder) = Feed(new DataBlockReader(100_000, liberal: true), _spool, "Subject: x\r\n\r\n" + longLine[..1500], longLine[1500..] + "\r", "\n.\r\nQUIT\r\n");

        Assert.Equal((DataBlockOutcome.Complete, "QUIT\r\n"), (outcome, remainder));
        Assert.Equal("Subject: x\r\n\r\n" + longLine + "\r\n", Spooled());
    }

    [Fact]
    public void Read_liberally_bare_line_ends_are_kept_but_only_crlf_dot_crlf_ends_the_block()
    {
        var buffer = BufferSegment.Sequence("Subject: x\n\none\rtwo\n.\nthree\r\n.\r\n");

        Assert.Equal(DataBlockOutcome.Complete, new DataBlockReader(1000, liberal: true).Consume(ref buffer, _spool));
        Assert.Equal("Subject: x\n\none\rtwo\n\nthree\r\n", Spooled());
    }

    [Fact]
    public void Read_liberally_a_long_header_field_is_still_measured_across_its_pieces()
    {
        var shape = new MessageShapeLimits(MaxHeaderBytes: 100_000, MaxHeaderFieldBytes: 2000, MaxBoundaryLines: 3);

        var (outcome, _) = Feed(new DataBlockReader(100_000, shape, liberal: true), _spool, "X-Long: " + new string('y', 1200), new string('y', 1200) + "\r\n\r\n.\r\n");
        var (within, _) = Feed(new DataBlockReader(100_000, shape, liberal: true), _spool, "X-Long: " + new string('y', 1200), new string('y', 700) + "\r\n\r\n.\r\n");

        Assert.Equal((DataBlockOutcome.HeaderFieldTooLarge, DataBlockOutcome.Complete), (outcome, within));
    }

    /// <summary>Feeds reads as the session does: what a call leaves in the buffer comes back in front of the next read.</summary>
    private static (DataBlockOutcome? Outcome, string Remainder) Feed(DataBlockReader reader, MessageSpool spool, params string[] reads)
    {
        var pending = Array.Empty<byte>();
        foreach (var read in reads)
        {
            var bytes = Encoding.Latin1.GetBytes(read);
            var buffer = pending.Length == 0 ? BufferSegment.Sequence(bytes) : BufferSegment.Sequence(pending, bytes);
            var outcome = reader.Consume(ref buffer, spool);
            pending = buffer.ToArray();
            Assert.True(pending.Length <= DataBlockReader.MaxTextLineOctets, $"the reader kept {pending.Length} octets of a line");
            if (outcome is not null)
            {
                return (outcome, Encoding.Latin1.GetString(pending));
            }
        }

        return (null, Encoding.Latin1.GetString(pending));
    }

    private string Spooled() => Text(_spool);

    private static string Text(MessageSpool spool) => Encoding.Latin1.GetString(SpooledBytes(spool));

    private static byte[] SpooledBytes(MessageSpool spool)
    {
        using var copy = new MemoryStream();
        spool.OpenRead().CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.Latin1.GetString(buffer.ToArray());
}
