using MimeKit;

namespace Suppression.Smtp.Delivery.Verbatim;

/// <summary>
/// One field of the client's header block as it came: its bytes from the name to the CRLF that ends
/// its last line, and MimeKit's reading of them. <see cref="Parsed"/> is null for a line that is not
/// a field (an mbox "From " line, a line without a colon), which is relayed as it is all the same.
/// </summary>
public sealed record ClientHeaderField(ReadOnlyMemory<byte> Bytes, Header? Parsed);
