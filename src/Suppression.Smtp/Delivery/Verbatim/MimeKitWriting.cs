using System.Runtime.CompilerServices;
using MimeKit;

namespace Suppression.Smtp.Delivery.Verbatim;

/// <summary>
/// The two switches of MimeKit's message writer that its public API leaves to its parser: whether a
/// message is written strictly (adding MIME-Version and always an empty line before the body) and
/// whether an entity's header block ends with an empty line. A copy must write neither of its own
/// accord, since a header-only message has no empty line to add. Bound by name to MimeKit 4.18's
/// members (pinned in Directory.Packages.props); a renamed member fails every relay test at once
/// with MissingMemberException, never silently.
/// </summary>
internal static class MimeKitWriting
{
    public static void WriteAsParsed(MimeMessage message, bool hasBodySeparator)
    {
        Compliance(message) = RfcComplianceMode.Loose;
        SetHasBodySeparator(message.Body!.Headers, hasBodySeparator);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "compliance")]
    private static extern ref RfcComplianceMode Compliance(MimeMessage message);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_HasBodySeparator")]
    private static extern void SetHasBodySeparator(HeaderList headers, bool value);
}
