using System.Text;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Redis.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Tests.Fixtures;

namespace Suppression.Redis.Tests.Delivery;

[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisAcceptedCopiesTests(RedisBackendsFixture backends)
{
    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Unknown_message_has_no_accepted_copies(string backend)
    {
        var copies = Open(backend);

        var accepted = await copies.GetAcceptedAsync(NewMessageKey(), [TestAddresses.Unique(), TestAddresses.Unique()], CancellationToken.None);

        Assert.Empty(accepted);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Marked_recipient_is_the_only_one_accepted(string backend)
    {
        var copies = Open(backend);
        var messageKey = NewMessageKey();
        var (first, second, third) = (TestAddresses.Unique("first"), TestAddresses.Unique("second"), TestAddresses.Unique("third"));

        await copies.MarkAcceptedAsync(messageKey, second, CancellationToken.None);

        var accepted = await copies.GetAcceptedAsync(messageKey, [first, second, third], CancellationToken.None);
        Assert.Equal([second.Value], accepted);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Single_recipient_lookup_finds_its_copy(string backend)
    {
        var copies = Open(backend);
        var messageKey = NewMessageKey();
        var recipient = TestAddresses.Unique();

        await copies.MarkAcceptedAsync(messageKey, recipient, CancellationToken.None);
        await copies.MarkAcceptedAsync(messageKey, recipient, CancellationToken.None);

        Assert.Equal([recipient.Value], await copies.GetAcceptedAsync(messageKey, [recipient], CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Different_messages_are_independent(string backend)
    {
        var copies = Open(backend);
        var (firstMessage, secondMessage) = (NewMessageKey(), NewMessageKey());
        var (alice, bob) = (TestAddresses.Unique("alice"), TestAddresses.Unique("bob"));

        await copies.MarkAcceptedAsync(firstMessage, alice, CancellationToken.None);
        await copies.MarkAcceptedAsync(secondMessage, bob, CancellationToken.None);

        Assert.Equal([alice.Value], await copies.GetAcceptedAsync(firstMessage, [alice, bob], CancellationToken.None));
        Assert.Equal([bob.Value], await copies.GetAcceptedAsync(secondMessage, [alice, bob], CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Marking_sets_the_retry_window_as_expiry(string backend)
    {
        var window = TimeSpan.FromHours(3);
        var copies = Open(backend, window);
        var messageKey = NewMessageKey();

        await copies.MarkAcceptedAsync(messageKey, TestAddresses.Unique(), CancellationToken.None);

        var timeToLive = await Database(backend).KeyTimeToLiveAsync(backends[backend].Layout.AcceptedCopiesKey(messageKey));
        Assert.NotNull(timeToLive);
        Assert.InRange(timeToLive.Value, TimeSpan.FromTicks(1), window);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Default_expiry_is_five_days(string backend)
    {
        var copies = Open(backend);
        var messageKey = NewMessageKey();

        await copies.MarkAcceptedAsync(messageKey, TestAddresses.Unique(), CancellationToken.None);

        var timeToLive = await Database(backend).KeyTimeToLiveAsync(backends[backend].Layout.AcceptedCopiesKey(messageKey));
        Assert.NotNull(timeToLive);
        Assert.InRange(timeToLive.Value, TimeSpan.FromDays(5) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(5));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Each_mark_restarts_the_expiry(string backend)
    {
        var copies = Open(backend, TimeSpan.FromHours(3));
        var messageKey = NewMessageKey();
        var key = backends[backend].Layout.AcceptedCopiesKey(messageKey);
        await copies.MarkAcceptedAsync(messageKey, TestAddresses.Unique(), CancellationToken.None);
        await Database(backend).KeyExpireAsync(key, TimeSpan.FromMinutes(1));

        await copies.MarkAcceptedAsync(messageKey, TestAddresses.Unique(), CancellationToken.None);

        var timeToLive = await Database(backend).KeyTimeToLiveAsync(key);
        Assert.NotNull(timeToLive);
        Assert.True(timeToLive.Value > TimeSpan.FromHours(2), $"expiry was {timeToLive} after the second mark");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Stored_members_do_not_contain_the_address(string backend)
    {
        var copies = Open(backend);
        var messageKey = NewMessageKey();
        var recipient = TestAddresses.Unique("visible");

        await copies.MarkAcceptedAsync(messageKey, recipient, CancellationToken.None);

        var member = Assert.Single(await Database(backend).SetMembersAsync(backends[backend].Layout.AcceptedCopiesKey(messageKey)));
        var bytes = (byte[])member!;
        Assert.Equal(16, bytes.Length);
        Assert.DoesNotContain("visible", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task No_recipients_gives_an_empty_set(string backend)
    {
        var accepted = await Open(backend).GetAcceptedAsync(NewMessageKey(), [], CancellationToken.None);

        Assert.Empty(accepted);
    }

    [Fact]
    public void Key_of_a_message_is_one_hash_tagged_slot()
    {
        var messageKey = IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", []);

        Assert.Equal("sup:sent:{" + messageKey + "}", RedisKeyLayout.Default.AcceptedCopiesKey(messageKey).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234@sender.example")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public void Key_of_anything_but_a_derived_message_key_is_refused(string messageKey)
    {
        Assert.Throws<ArgumentException>(() => RedisKeyLayout.Default.AcceptedCopiesKey(messageKey));
    }

    private static string NewMessageKey() => IAcceptedCopies.DeriveMessageKey($"<{Guid.NewGuid():N}@sender.example>", []);

    private IDatabase Database(string backend) => backends[backend].Connection.GetDatabase();

    private RedisAcceptedCopies Open(string backend, TimeSpan? retryWindow = null) =>
        new(backends[backend].Connection, backends[backend].Layout, retryWindow);
}
