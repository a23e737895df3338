using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Tests.Server;

/// <summary>What the relay was handed: the envelope and the message as it would go on the wire.</summary>
internal sealed record RelayedMessage(RelayEnvelope Envelope, byte[] Bytes);
