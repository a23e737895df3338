using Suppression.Smtp.Protocol;

namespace Suppression.Smtp.Tests.Protocol;

public sealed class SmtpStateMachineTests
{
    // The expected table, written out in full: (state, verb) -> next state; a missing pair is 503.
    private static readonly Dictionary<(SmtpState, SmtpVerb), SmtpState> Expected = new()
    {
        [(SmtpState.Connected, SmtpVerb.Ehlo)] = SmtpState.Ready,
        [(SmtpState.Connected, SmtpVerb.Helo)] = SmtpState.Ready,
        [(SmtpState.Connected, SmtpVerb.Rset)] = SmtpState.Connected,
        [(SmtpState.Connected, SmtpVerb.Noop)] = SmtpState.Connected,
        [(SmtpState.Connected, SmtpVerb.Vrfy)] = SmtpState.Connected,
        [(SmtpState.Connected, SmtpVerb.Help)] = SmtpState.Connected,
        [(SmtpState.Connected, SmtpVerb.Quit)] = SmtpState.Connected,

        [(SmtpState.Ready, SmtpVerb.Ehlo)] = SmtpState.Ready,
        [(SmtpState.Ready, SmtpVerb.Helo)] = SmtpState.Ready,
        [(SmtpState.Ready, SmtpVerb.Mail)] = SmtpState.MailGiven,
        [(SmtpState.Ready, SmtpVerb.Rset)] = SmtpState.Ready,
        [(SmtpState.Ready, SmtpVerb.Noop)] = SmtpState.Ready,
        [(SmtpState.Ready, SmtpVerb.Vrfy)] = SmtpState.Ready,
        [(SmtpState.Ready, SmtpVerb.Help)] = SmtpState.Ready,
        [(SmtpState.Ready, SmtpVerb.Quit)] = SmtpState.Ready,

        [(SmtpState.MailGiven, SmtpVerb.Ehlo)] = SmtpState.Ready,
        [(SmtpState.MailGiven, SmtpVerb.Helo)] = SmtpState.Ready,
        [(SmtpState.MailGiven, SmtpVerb.Rset)] = SmtpState.Ready,
        [(SmtpState.MailGiven, SmtpVerb.Rcpt)] = SmtpState.RecipientGiven,
        [(SmtpState.MailGiven, SmtpVerb.Data)] = SmtpState.Ready,
        [(SmtpState.MailGiven, SmtpVerb.Noop)] = SmtpState.MailGiven,
        [(SmtpState.MailGiven, SmtpVerb.Vrfy)] = SmtpState.MailGiven,
        [(SmtpState.MailGiven, SmtpVerb.Help)] = SmtpState.MailGiven,
        [(SmtpState.MailGiven, SmtpVerb.Quit)] = SmtpState.MailGiven,

        [(SmtpState.RecipientGiven, SmtpVerb.Ehlo)] = SmtpState.Ready,
        [(SmtpState.RecipientGiven, SmtpVerb.Helo)] = SmtpState.Ready,
        [(SmtpState.RecipientGiven, SmtpVerb.Rset)] = SmtpState.Ready,
        [(SmtpState.RecipientGiven, SmtpVerb.Rcpt)] = SmtpState.RecipientGiven,
        [(SmtpState.RecipientGiven, SmtpVerb.Data)] = SmtpState.Ready,
        [(SmtpState.RecipientGiven, SmtpVerb.Noop)] = SmtpState.RecipientGiven,
        [(SmtpState.RecipientGiven, SmtpVerb.Vrfy)] = SmtpState.RecipientGiven,
        [(SmtpState.RecipientGiven, SmtpVerb.Help)] = SmtpState.RecipientGiven,
        [(SmtpState.RecipientGiven, SmtpVerb.Quit)] = SmtpState.RecipientGiven,
    };

    public static TheoryData<SmtpState, SmtpVerb> EveryPair()
    {
        var data = new TheoryData<SmtpState, SmtpVerb>();
        foreach (var state in Enum.GetValues<SmtpState>())
        {
            foreach (var verb in Enum.GetValues<SmtpVerb>())
            {
                data.Add(state, verb);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Each_state_allows_exactly_the_commands_of_the_table(SmtpState state, SmtpVerb verb)
    {
        var legal = new SmtpStateMachine(startTlsOffered: false).TryGetNextState(state, verb, out var next);

        Assert.Equal(Expected.TryGetValue((state, verb), out var expected), legal);
        if (legal)
        {
            Assert.Equal(expected, next);
        }
    }

    [Theory]
    [InlineData(SmtpState.Connected, SmtpVerb.Mail)]
    [InlineData(SmtpState.Connected, SmtpVerb.Rcpt)]
    [InlineData(SmtpState.Connected, SmtpVerb.Data)]
    [InlineData(SmtpState.Ready, SmtpVerb.Rcpt)]
    [InlineData(SmtpState.Ready, SmtpVerb.Data)]
    [InlineData(SmtpState.MailGiven, SmtpVerb.Mail)]
    [InlineData(SmtpState.RecipientGiven, SmtpVerb.Mail)]
    public void Out_of_order_transaction_commands_are_a_bad_sequence(SmtpState state, SmtpVerb verb) =>
        Assert.False(new SmtpStateMachine(startTlsOffered: true).TryGetNextState(state, verb, out _));

    [Theory]
    [InlineData(SmtpState.Connected)]
    [InlineData(SmtpState.Ready)]
    [InlineData(SmtpState.MailGiven)]
    [InlineData(SmtpState.RecipientGiven)]
    public void Starttls_is_absent_when_not_offered(SmtpState state) =>
        Assert.False(new SmtpStateMachine(startTlsOffered: false).TryGetNextState(state, SmtpVerb.StartTls, out _));

    [Fact]
    public void Starttls_when_offered_is_legal_after_ehlo_and_starts_the_session_over()
    {
        var machine = new SmtpStateMachine(startTlsOffered: true);

        Assert.True(machine.TryGetNextState(SmtpState.Ready, SmtpVerb.StartTls, out var next));
        Assert.Equal(SmtpState.Connected, next);
    }

    [Theory]
    [InlineData(SmtpState.Connected)]
    [InlineData(SmtpState.MailGiven)]
    [InlineData(SmtpState.RecipientGiven)]
    public void Starttls_when_offered_is_still_refused_before_ehlo_and_inside_a_transaction(SmtpState state) =>
        Assert.False(new SmtpStateMachine(startTlsOffered: true).TryGetNextState(state, SmtpVerb.StartTls, out _));

    [Fact]
    public void Offering_starttls_changes_nothing_else()
    {
        var without = new SmtpStateMachine(startTlsOffered: false);
        var with = new SmtpStateMachine(startTlsOffered: true);
        foreach (var state in Enum.GetValues<SmtpState>())
        {
            foreach (var verb in Enum.GetValues<SmtpVerb>().Where(verb => verb != SmtpVerb.StartTls))
            {
                var legalWithout = without.TryGetNextState(state, verb, out var nextWithout);
                var legalWith = with.TryGetNextState(state, verb, out var nextWith);
                Assert.Equal((legalWithout, nextWithout), (legalWith, nextWith));
            }
        }
    }
}
