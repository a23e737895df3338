namespace Suppression.Smtp.Server;

/// <summary>The client asked for STARTTLS and the handshake did not complete; the connection is closed.</summary>
internal sealed class TlsHandshakeFailedException(string message, Exception inner) : Exception(message, inner);
