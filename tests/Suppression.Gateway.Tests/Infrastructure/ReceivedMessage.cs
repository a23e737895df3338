using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>One transaction as the upstream peer saw it: envelope and the exact (dot-unstuffed) bytes.</summary>
public sealed record ReceivedMessage(string Sender, IReadOnlyList<string> Recipients, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);
}
