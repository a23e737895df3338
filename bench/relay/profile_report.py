#!/usr/bin/env python3
"""Summarises bench/relay/profile.sh's output: the gateway's CPU samples by component, and its
system calls per message by conversation.

Each CPU sample is charged to the first component found walking its stack from the leaf (MailKit,
MimeKit, Polly, ... or one of our namespaces); runtime and BCL frames are skipped on the way, so a
socket write MailKit makes is MailKit's. Samples whose stack has no managed frame at all (perf
cannot unwind through libc's send and recv, which have no frame pointers) are charged to their
system call. The second table counts samples with a given frame anywhere on the stack.
"""
import argparse
import collections
import re

MANAGED = re.compile(r'\[([A-Za-z0-9_.]+)\] ([A-Za-z0-9_.`]+)')

INCLUSIVE = {
    'SMTP server side (SmtpConnection: lines, DATA, replies)': r'SmtpConnection',
    'delivery after DATA (MessageDelivery)': r'MessageDelivery',
    'upstream relay (UpstreamSmtpRelay, MailKit, its Polly pipeline)': r'UpstreamSmtpRelay',
    'MailKit SmtpClient.SendAsync': r'MailKit\.Net\.Smtp\.SmtpClient.*Send',
    'MimeKit re-serialization (MimeMessage.WriteTo)': r'MimeKit\.MimeMessage\+<WriteToAsync>|MimeKit\.MimeMessage::WriteTo',
    "MailKit's encoding check (SmtpClient.Prepare)": r'SmtpClient::Prepare',
    'MimeKit parse (MimeMessage.Load)': r'MimeMessage::Load|MimeParser',
    'per-copy headers (RecipientCopies.PrepareFor)': r'RecipientCopies::PrepareFor',
    '  of which List-Unsubscribe stamping and token': r'ListUnsubscribeStamper|UnsubscribeStamping|UnsubscribeTokenCodec',
    'recipient check (SuppressionRecipientPolicy, Redis lookup)': r'SuppressionRecipientPolicy',
    'Polly, any pipeline': r'\[Polly',
    'StackExchange.Redis': r'\[StackExchange|\[Pipelines\.Sockets',
    'Garnet (embedded store)': r'\[Garnet|\[Tsavorite',
    'OpenTelemetry and metrics': r'\[OpenTelemetry|SmtpTelemetry|RelayTelemetry',
    'logging': r'Microsoft\.Extensions\.Logging',
    'kernel, any': r'\[kernel\.kallsyms\]',
}


def read_samples(path):
    samples, current = [], None
    with open(path, errors='replace') as lines:
        for line in lines:
            if not line.strip():
                if current is not None:
                    samples.append(current)
                current = None
            elif not line.startswith(('\t', ' ')):
                current = []
            elif current is not None:
                current.append(line.strip())
    if current:
        samples.append(current)
    return samples


def component(assembly, name):
    prefixes = [
        ('MimeKit', 'MimeKit'), ('MailKit', 'MailKit (upstream SMTP client)'), ('Polly', 'Polly'),
        ('StackExchange', 'StackExchange.Redis'), ('Pipelines.Sockets', 'StackExchange.Redis'),
        ('Garnet', 'Garnet (embedded store)'), ('Tsavorite', 'Garnet (embedded store)'),
        ('OpenTelemetry', 'OpenTelemetry'), ('System.Diagnostics.DiagnosticSource', 'OpenTelemetry'),
        ('Microsoft.Extensions.Logging', 'logging'), ('Microsoft.AspNetCore', 'Kestrel transport'),
    ]
    for prefix, label in prefixes:
        if assembly.startswith(prefix):
            return label
    if assembly.startswith('Suppression'):
        return 'ours: ' + '.'.join(name.split('.')[:3])
    return None


def native_bucket(text):
    for needle, label in [
        ('sys_sendto', 'kernel: socket send, caller not unwound'),
        ('__send ', 'kernel: socket send, caller not unwound'),
        ('epoll_wait', 'kernel: epoll_wait (socket engine)'),
        ('sched_yield', 'thread pool spinning (sched_yield)'),
        ('recv', 'kernel: socket recv, caller not unwound'),
        ('futex', 'futex (thread wake-ups)'),
        ('libcrypto', 'OpenSSL (libcrypto)'),
    ]:
        if needle in text:
            return label
    return 'runtime native (JIT, GC, stubs, unresolved)'


def cpu_report(path):
    samples = read_samples(path)
    total = len(samples)
    charged = collections.Counter()
    inclusive = collections.Counter()
    patterns = {label: re.compile(pattern) for label, pattern in INCLUSIVE.items()}
    for stack in samples:
        text = '\n'.join(stack)
        for label, pattern in patterns.items():
            if pattern.search(text):
                inclusive[label] += 1
        label = None
        managed = False
        for frame in stack:
            match = MANAGED.search(frame)
            if match:
                managed = True
                label = component(*match.groups())
                if label:
                    break
        if label is None and managed:
            spinning = 'LowLevelLifoSemaphore' in text or 'sched_yield' in text
            label = 'thread pool spinning (sched_yield)' if spinning else 'runtime and BCL only'
        elif label is None:
            label = native_bucket(text)
        charged[label] += 1
    print(f'CPU samples: {total}')
    print('\ncharged to the first component from the leaf (sums to 100 %)')
    for label, count in charged.most_common():
        print(f'{100 * count / total:6.1f} %  {label}')
    print('\nsamples with the frame anywhere on the stack (overlapping)')
    for label in INCLUSIVE:
        print(f'{100 * inclusive[label] / total:6.1f} %  {label}')


def syscall_report(path, fds_path, sockets_path, messages, gateway_port, sink_port):
    fd_inode = {}
    with open(fds_path) as fds:
        for line in fds:
            match = re.search(r' (\d+) -> socket:\[(\d+)\]', line)
            if match:
                fd_inode[int(match.group(1))] = match.group(2)
    inode_peer = {}
    with open(sockets_path) as sockets:
        for line in sockets:
            match = re.search(r'ino:(\d+)', line)
            if match:
                fields = line.split()
                inode_peer[match.group(1)] = (fields[3], fields[4])

    def conversation(fd):
        inode = fd_inode.get(fd)
        if inode is None or inode not in inode_peer:
            return '-'
        local, peer = inode_peer[inode]
        if peer.endswith(f':{sink_port}'):
            return 'upstream'
        if local.endswith(f':{gateway_port}'):
            return 'client'
        return 'Redis (both ends, in process)'

    counts = collections.Counter()
    with open(path) as events:
        for line in events:
            name = line.split()[0].replace('syscalls:sys_enter_', '').rstrip(':')
            match = re.search(r'fd: (0x[0-9a-f]+)', line)
            counts[(name, conversation(int(match.group(1), 16)) if match else '-')] += 1
    print(f'\nsystem calls per message ({messages} messages in the window, '
          f'{sum(counts.values()) / max(messages, 1):.1f} in all)')
    for (name, where), count in counts.most_common():
        if count / max(messages, 1) >= 0.05:
            print(f'{count / messages:6.2f}  {name:12s} {where}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--profile', required=True)
    parser.add_argument('--syscalls')
    parser.add_argument('--fds')
    parser.add_argument('--sockets')
    parser.add_argument('--messages', type=int, default=0)
    parser.add_argument('--gateway-port', type=int, default=0)
    parser.add_argument('--sink-port', type=int, default=0)
    args = parser.parse_args()
    cpu_report(args.profile)
    if args.syscalls:
        syscall_report(args.syscalls, args.fds, args.sockets, args.messages, args.gateway_port, args.sink_port)


if __name__ == '__main__':
    main()
