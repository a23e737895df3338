using System.Globalization;
using Suppression.Addresses;
using Suppression.Audit;

namespace Suppression.Redis.Audit;

/// <summary>
/// Recomputes one chain record by record: sequence numbers without gaps, each hash from its
/// predecessor's and its body, every clear address still matching the keyed hash in its body, and
/// the head agreeing with the last record (so a deleted newest record shows). A chain cut by
/// retention starts from its sealed anchor.
/// </summary>
internal sealed class ChainVerifier(AuditKey key)
{
    public State Start(AuditChain chain, string? anchor) => new(key, chain, anchor);

    internal sealed class State
    {
        private readonly AuditKey _key;
        private readonly AuditChain _chain;
        private long _sequence;
        private string _previousHash = string.Empty;

        public State(AuditKey key, AuditChain chain, string? anchor)
        {
            _key = key;
            _chain = chain;
            if (anchor is null)
            {
                return;
            }

            // "<sequence>\t<hash>\t<cut unix ms>\t<seal>"
            var fields = anchor.Split('\t');
            if (fields.Length != 4
                || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var anchorSequence)
                || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var cut)
                || !AuditKey.Same(key.AnchorSeal(chain.Name, anchorSequence, fields[1], cut), fields[3]))
            {
                Fail(1, "the retention anchor's seal does not verify: records were removed by hand");
                return;
            }

            _sequence = anchorSequence;
            _previousHash = fields[1];
        }

        public long? FailedSequence { get; private set; }

        public string? Problem { get; private set; }

        public bool Check(string element)
        {
            if (Problem is not null)
            {
                return false;
            }

            var expected = _sequence + 1;
            if (!AuditElement.TrySplit(element, out var parts))
            {
                return Fail(expected, "the record is not in the stored format");
            }

            if (parts.Sequence != expected)
            {
                return Fail(expected, $"sequence {expected} is missing (found {parts.Sequence} next): records were removed or reordered");
            }

            var body = System.Text.Encoding.UTF8.GetBytes(parts.Body);
            if (!AuditKey.Same(_key.ChainHash(_chain.Name, parts.Sequence, _previousHash, body), parts.Hash))
            {
                return Fail(parts.Sequence, "the hash does not match the record: it was edited, or a record before it was");
            }

            if (parts.Address is { } address && !AddressMatches(parts, address))
            {
                return Fail(parts.Sequence, "the clear address does not match the address hash the record was written with: it was edited");
            }

            _sequence = parts.Sequence;
            _previousHash = parts.Hash;
            return true;
        }

        /// <summary>Checks the head against the last record read.</summary>
        public bool Finish(string? head)
        {
            if (Problem is not null)
            {
                return false;
            }

            var (headSequence, headHash) = AuditedChangeWriter.ParseHead(head ?? string.Empty);
            return headSequence == _sequence && headHash == _previousHash
                || Fail(_sequence + 1, headSequence > _sequence
                    ? $"the chain ends at sequence {_sequence} but its head says {headSequence}: the newest records were removed"
                    : "the chain's head does not match its last record");
        }

        // The hash was made under the rules of its day: the configured ones, or the default ones for
        // records written before Suppression:Addresses:TagDelimiters was set. Either needs the key.
        private bool AddressMatches(StoredParts parts, string address) =>
            AuditElement.TryRead(_chain, parts, out var entry)
            && entry.AddressHash is { } hash
            && AddressNormalizer.TryNormalize(address, out var normalized, out _)
            && normalized.Value == address
            && (AuditKey.Same(_key.AddressHash(normalized), hash)
                || AuditKey.Same(_key.AddressHash(normalized, AddressVariantRules.Default), hash));

        private bool Fail(long failedSequence, string problem)
        {
            FailedSequence = failedSequence;
            Problem = problem;
            return false;
        }
    }
}
