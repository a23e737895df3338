using Suppression.Suppressions;

namespace Suppression.Core.Tests.Suppressions;

public class ContractNamesTests
{
    // The spellings are contract (docs/design.md, consent model): API bodies, exports and audit records use them.
    public static TheoryData<SuppressionReason, string> ReasonSpellings => new()
    {
        { SuppressionReason.Unsubscribe, "unsubscribe" },
        { SuppressionReason.Complaint, "complaint" },
        { SuppressionReason.HardBounce, "hard-bounce" },
        { SuppressionReason.Manual, "manual" },
        { SuppressionReason.Import, "import" },
        { SuppressionReason.Erasure, "erasure" },
    };

    public static TheoryData<SuppressionSource, string> SourceSpellings => new()
    {
        { SuppressionSource.OneClick, "one-click" },
        { SuppressionSource.Mailto, "mailto" },
        { SuppressionSource.Page, "page" },
        { SuppressionSource.Api, "api" },
        { SuppressionSource.Import, "import" },
        { SuppressionSource.Dsn, "dsn" },
        { SuppressionSource.Arf, "arf" },
        { SuppressionSource.Relay, "relay" },
    };

    [Theory]
    [MemberData(nameof(ReasonSpellings))]
    public void Reason_has_its_contract_name_and_parses_back(SuppressionReason reason, string name)
    {
        Assert.Equal(name, reason.Name());
        Assert.True(ContractNames.TryParseReason(name, out var parsed));
        Assert.Equal(reason, parsed);
    }

    [Theory]
    [MemberData(nameof(SourceSpellings))]
    public void Source_has_its_contract_name_and_parses_back(SuppressionSource source, string name)
    {
        Assert.Equal(name, source.Name());
        Assert.True(ContractNames.TryParseSource(name, out var parsed));
        Assert.Equal(source, parsed);
    }

    [Fact]
    public void Every_reason_has_a_name_that_round_trips()
    {
        foreach (var reason in Enum.GetValues<SuppressionReason>())
        {
            Assert.True(ContractNames.TryParseReason(reason.Name(), out var parsed), reason.ToString());
            Assert.Equal(reason, parsed);
        }
    }

    [Fact]
    public void Every_source_has_a_name_that_round_trips()
    {
        foreach (var source in Enum.GetValues<SuppressionSource>())
        {
            Assert.True(ContractNames.TryParseSource(source.Name(), out var parsed), source.ToString());
            Assert.Equal(source, parsed);
        }
    }

    [Fact]
    public void All_reason_names_lists_exactly_the_contract_reasons()
    {
        Assert.Equal(
            ["complaint", "erasure", "hard-bounce", "import", "manual", "unsubscribe"],
            ContractNames.AllReasonNames.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("HardBounce")]
    [InlineData("hard_bounce")]
    [InlineData("Unsubscribe")]
    [InlineData(" unsubscribe")]
    [InlineData("bounce")]
    [InlineData("2")]
    public void Unknown_or_misspelled_reason_is_not_parsed(string? name)
    {
        Assert.False(ContractNames.TryParseReason(name, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("OneClick")]
    [InlineData("one_click")]
    [InlineData("API")]
    [InlineData("ARF")]
    [InlineData("0")]
    public void Unknown_or_misspelled_source_is_not_parsed(string? name)
    {
        Assert.False(ContractNames.TryParseSource(name, out _));
    }
}
