using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Suppression.Addresses;

/// <summary>
/// Which spellings of an address reach the same mailbox, so that an opt-out of one covers all
/// (docs/design.md, consent model). <see cref="MatchKeyOf"/> gives the one spelling under which
/// suppressions are stored and looked up; <see cref="NormalizedAddress.Value"/> stays the address
/// the sender wrote, for relaying, logs and audit.
/// </summary>
/// <remarks>
/// The table is part of the store's key derivation (docs/data-model.md, "Address variants"): a new
/// or changed row moves the key of every address at its domains, and entries stored under the old
/// key are no longer found. Change it only with a migration, as any other layout change.
/// </remarks>
public sealed class AddressVariantRules
{
    private const string SeparatorCharacters = "!#$%&'*+-/=?^_`{|}~";

    private readonly FrozenDictionary<string, CompiledRule> _byDomain;
    private readonly SearchValues<char> _defaultSeparators;

    public AddressVariantRules(string defaultSubaddressSeparators, IEnumerable<AddressVariantRule> rules)
    {
        ArgumentNullException.ThrowIfNull(defaultSubaddressSeparators);
        ArgumentNullException.ThrowIfNull(rules);
        CheckCharacters(defaultSubaddressSeparators, SeparatorCharacters, "default sub-address separator");

        Rules = [.. rules];
        var domains = new Dictionary<string, CompiledRule>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            ArgumentNullException.ThrowIfNull(rule);
            CheckCharacters(rule.SubaddressSeparators, SeparatorCharacters, $"sub-address separator of {rule.Domain}");
            CheckCharacters(rule.IgnoredCharacters, SeparatorCharacters + ".", $"ignored character of {rule.Domain}");
            if (rule.IgnoredCharacters.AsSpan().IndexOfAny(rule.SubaddressSeparators) >= 0)
            {
                throw new ArgumentException($"The address variant rule of {rule.Domain} both ignores a character and uses it as a sub-address separator.", nameof(rules));
            }

            var compiled = new CompiledRule(rule.Domain, SearchValues.Create(rule.IgnoredCharacters), SearchValues.Create(rule.SubaddressSeparators));
            foreach (var domain in rule.AliasDomains.Prepend(rule.Domain))
            {
                CheckDomain(domain);
                if (!domains.TryAdd(domain, compiled))
                {
                    throw new ArgumentException($"The domain {domain} appears in two address variant rules.", nameof(rules));
                }
            }
        }

        _byDomain = domains.ToFrozenDictionary(StringComparer.Ordinal);
        DefaultSubaddressSeparators = defaultSubaddressSeparators;
        _defaultSeparators = SearchValues.Create(defaultSubaddressSeparators);
    }

    // '+' is the separator of every large provider that offers sub-addressing and the usual
    // Postfix and Exim setting. A domain where '+' is part of distinct mailbox names would see those
    // mailboxes share their opt-outs: docs/design.md (consent model) accepts that over-blocking rather than miss a variant.
    // Rows are only needed where a provider differs from that default, or to record a decision.
    public static AddressVariantRules Default { get; } = new(
        defaultSubaddressSeparators: "+",
        [
            // Dots in a Gmail address do not matter, and googlemail.com is the same mailbox
            // (support.google.com/mail/answer/7436150 and /10313).
            new("gmail.com", IgnoredCharacters: ".", SubaddressSeparators: "+") { AliasDomains = ["googlemail.com"] },

            // Proton treats '.', '_' and '-' in a username as transparent, and a username is one
            // account's at every Proton domain (proton.me/support/change-username, /addresses-and-aliases).
            new("proton.me", IgnoredCharacters: "._-", SubaddressSeparators: "+") { AliasDomains = ["protonmail.com", "protonmail.ch", "pm.me"] },

            // Documented '+' sub-addressing; dots count. Microsoft's domains are separate namespaces.
            // Apple's stay apart too: only accounts from before 2012 hold one name at icloud.com, me.com
            // and mac.com (support.apple.com/118230), so a name at one is not known to be the same
            // mailbox at another. Fastmail's subdomain addressing (tag@user.fastmail.com) is not
            // covered: it would need a rule per account subdomain.
            new("outlook.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("hotmail.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("live.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("icloud.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("me.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("mac.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("fastmail.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
            new("fastmail.fm", IgnoredCharacters: "", SubaddressSeparators: "+"),

            // Not '-': a Yahoo disposable address (basename-keyword@) hangs off a base name that is not
            // a mailbox and may be someone else's Yahoo ID, so cutting at '-' would block a stranger.
            // '+' is harmless: it cannot occur in a Yahoo ID, so no two real mailboxes merge.
            new("yahoo.com", IgnoredCharacters: "", SubaddressSeparators: "+"),
        ]);

    public IReadOnlyList<AddressVariantRule> Rules { get; }

    public string DefaultSubaddressSeparators { get; }

    /// <summary>
    /// These rows with other separators for domains that have no row: for recipients behind mail
    /// servers that also cut at '-' (qmail, Postfix with <c>recipient_delimiter = +-</c>).
    /// </summary>
    public AddressVariantRules WithDefaultSubaddressSeparators(string separators) => new(separators, Rules);

    /// <summary>Whether <paramref name="separators"/> can be the default sub-address separators; the error says why not.</summary>
    public static bool AreValidSubaddressSeparators(string? separators, out string error)
    {
        if (string.IsNullOrEmpty(separators))
        {
            error = $"must name at least one sub-address delimiter, from {SeparatorCharacters}";
            return false;
        }

        foreach (var c in separators)
        {
            if (!SeparatorCharacters.Contains(c, StringComparison.Ordinal))
            {
                error = $"'{c}' cannot be a sub-address delimiter: use characters from {SeparatorCharacters}";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The spelling shared by every variant of the address: the provider's canonical domain; the local
    /// part cut before its first sub-address separator, without the provider's ignored characters.
    /// A cut or a removal that would leave an empty local part (<c>+tag@</c>) is not made. A quoted
    /// local part gets the same rules on its content, because mail servers read it after removing the
    /// quotes: Postfix delivers <c>"alice+promo x"@</c> to alice.
    /// </summary>
    public string MatchKeyOf(NormalizedAddress address)
    {
        if (string.IsNullOrEmpty(address.LocalPart) || address.Domain is null)
        {
            return address.Value;
        }

        var rule = _byDomain.GetValueOrDefault(address.Domain);
        var domain = rule?.Domain ?? address.Domain;
        var separators = rule?.Separators ?? _defaultSeparators;
        var localPart = address.LocalPart[0] == '"'
            ? QuotedLocalPartKey(address, separators, rule?.Ignored)
            : LocalPartKey(address.LocalPart, separators, rule?.Ignored);

        return ReferenceEquals(localPart, address.LocalPart) && ReferenceEquals(domain, address.Domain)
            ? address.Value
            : string.Concat(localPart, "@", domain);
    }

    // The content's key, written as the normalizer writes a local part: unquoted when it is a dot-atom
    // ("alice+promo x" is alice), quoted when it still needs quotes ("john smith+x" is "john smith").
    // A quoted local part the rules leave alone keeps its key, the one it had before quoted content
    // was looked into.
    private static string QuotedLocalPartKey(NormalizedAddress address, SearchValues<char> separators, SearchValues<char>? ignored)
    {
        var content = address.UnquotedLocalPart;
        var key = LocalPartKey(content, separators, ignored);
        return ReferenceEquals(key, content)
            ? address.LocalPart
            : AddressNormalizer.NormalizedLocalPartOf(key);
    }

    private static string LocalPartKey(string localPart, SearchValues<char> separators, SearchValues<char>? ignored)
    {
        var mailbox = localPart.AsSpan();

        // RFC 5233: the tag runs from the first separator to the '@', so "a+b+c" is a's mailbox.
        var tag = mailbox.IndexOfAny(separators);
        if (tag > 0)
        {
            mailbox = mailbox[..tag];
        }

        if (ignored is not null && mailbox.ContainsAny(ignored))
        {
            // Local parts are at most 64 octets (RFC 5321 4.5.3.1.1), so this stays on the stack.
            Span<char> kept = mailbox.Length <= 64 ? stackalloc char[64] : new char[mailbox.Length];
            var length = 0;
            foreach (var c in mailbox)
            {
                if (!ignored.Contains(c))
                {
                    kept[length++] = c;
                }
            }

            if (length > 0)
            {
                // A mark that followed a removed '.' now follows a letter it may compose with
                // ("e.\u0301"): composed, so the key is the one "\u00E9" gives (found by fuzzing).
                return kept[..length].ToString().Normalize(NormalizationForm.FormC);
            }
        }

        return mailbox.Length == localPart.Length ? localPart : mailbox.ToString();
    }

    private static void CheckCharacters(string characters, string allowed, string what)
    {
        ArgumentNullException.ThrowIfNull(characters);
        foreach (var c in characters)
        {
            if (!allowed.Contains(c, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{c}' cannot be a {what}: use one of {allowed}.", nameof(characters));
            }
        }
    }

    private static void CheckDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (!AddressNormalizer.TryNormalizeDomain(domain, out var normalized, out var error))
        {
            throw new ArgumentException($"The address variant rule domain '{domain}' is invalid: {error}", nameof(domain));
        }

        if (!string.Equals(domain, normalized, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Write the address variant rule domain '{domain}' as the normalizer does: '{normalized}'.", nameof(domain));
        }
    }

    private sealed record CompiledRule(string Domain, SearchValues<char> Ignored, SearchValues<char> Separators);
}
