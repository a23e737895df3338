#!/usr/bin/env python3
"""Rebuilds tests/corpus/messages/ from git mirrors of the source suites (see its README.md).

Usage: collect-corpus.py MIRROR_ROOT   (MIRROR_ROOT/<owner>+<name>/repo is a bare clone of each source)
Each message is copied byte for byte; an mbox file is cut at its "From " lines (MimeKit's own
offsets where it publishes them), each piece kept whole, separator line included.
"""
import csv, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(ROOT, '..', '..', 'tests', 'corpus', 'messages'))

# key, repository, licence file, selection: list of (path regex)
SOURCES = [
    ('mimekit', 'jstedfast/MimeKit', 'LICENSE', [
        r'^UnitTests/TestData/messages/.*\.(txt|eml)$',
        r'^UnitTests/TestData/dkim/.*\.msg$',
        r'^UnitTests/TestData/smime/thunderbird-signed\.txt$',
        r'^UnitTests/TestData/partial/.*\.eml$',
    ]),
    ('mimekit', 'jstedfast/MimeKit', 'LICENSE', [
        r'^UnitTests/TestData/mbox/(simple|unmunged|issue1189|content-length)\.mbox\.txt$',
    ]),
    ('spamscope', 'SpamScope/mail-parser', 'LICENSE.txt', [r'^tests/mails/']),
    ('enmime', 'jhillyerd/enmime', 'LICENSE', [r'^testdata/(mail|low-quality)/.*\.raw$']),
    ('rubymail', 'mikel/mail', 'MIT-LICENSE', [r'^spec/fixtures/emails/.*\.eml$']),
    ('nodemailer', 'nodemailer/mailparser', 'LICENSE', [r'^test/fixtures/.*\.eml$']),
    ('zbateson', 'zbateson/mail-mime-parser', 'LICENSE', [r'^tests/_data/emails/(github-.*|invalid-charset)\.txt$']),
    ('phpmimemailparser', 'php-mime-mail-parser/php-mime-mail-parser', 'LICENSE', [r'^tests/mails/']),
    ('sisimai', 'sisimai/set-of-emails', 'LICENSE', [
        r'^maildir/err/.*\.eml$',
        r'^maildir/(mac|dos)/(arf-01|lhost-postfix-01|lhost-sendmail-01|lhost-exim-01|lhost-gmail-01)\.eml$',
    ]),
]


def git(repo, *args):
    mirror = os.path.join(sys.argv[1], repo.replace('/', '+'), 'repo')
    return subprocess.run(['git', '--git-dir', mirror, *args], check=True, capture_output=True).stdout


def mbox_pieces(repo, commit, path, data):
    offsets_path = path.replace('.mbox.txt', '.unix-offsets.json')
    try:
        starts = [entry['mboxMarkerOffset'] for entry in json.loads(git(repo, 'show', f'{commit}:{offsets_path}'))]
    except subprocess.CalledProcessError:
        starts = [0] + [m.start() + 1 for m in re.finditer(rb'\nFrom ', data)]
    return [(f'{path} (message {i + 1} of {len(starts)}, octets {s}..{e})', data[s:e])
            for i, (s, e) in enumerate(zip(starts, starts[1:] + [len(data)]))]


def properties(data):
    lines = data.replace(b'\r\n', b'\n').split(b'\n')
    header_end = data.find(b'\n\n') if b'\r\n' not in data[:200] else -1
    wire = re.sub(rb'(?<!\r)\n', b'\r\n', data)
    if not wire.endswith(b'\r\n'):
        wire += b'\r\n'
    blank = wire.find(b'\r\n\r\n')
    header = wire[:blank + 2] if blank >= 0 else wire
    if wire.startswith(b'\r\n'):
        header = b''
    fields, current = [], b''
    for line in header.split(b'\r\n')[:-1]:
        if line[:1] in (b' ', b'\t') and current:
            current += line + b'\r\n'
        else:
            if current:
                fields.append(current)
            current = line + b'\r\n'
    if current:
        fields.append(current)
    non_ascii_header = any(b > 127 for b in header)
    try:
        header.decode('utf-8')
        utf8_header = non_ascii_header
    except UnicodeDecodeError:
        utf8_header = False
    bare_cr = re.search(rb'\r(?!\n)', data) is not None
    # MessageShapeMeter: a line that begins with a field name starts a field wherever it is; folded lines add to it.
    field_bytes, longest_field = 0, 0
    for line in wire.split(b'\r\n')[:-1]:
        if not line:
            field_bytes = 0
        elif line[:1] in (b' ', b'\t'):
            field_bytes = field_bytes + len(line) + 2 if field_bytes else 0
        else:
            field_bytes = len(line) + 2 if re.match(rb'[\x21-\x39\x3b-\x7e]+[ \t]*:', line) else 0
        longest_field = max(longest_field, field_bytes)
    first_line = wire.split(b'\r\n', 1)[0].removeprefix(b'\xef\xbb\xbf')  # MimeKit skips a UTF-8 BOM
    bare_lf = re.search(rb'(?<!\r)\n', data) is not None
    longest = max(len(l) for l in wire.split(b'\r\n'))
    if bare_cr:
        outcome = 'refused: bare CR'
    elif longest > 998:
        outcome = 'refused: line over 1000 octets'
    elif longest_field > 102400:
        outcome = 'refused: header field longer than 102400 octets'
    elif first_line[:1] in (b' ', b'\t') or (b':' not in first_line and not first_line.startswith(b'From ')):
        # What MimeKit cannot read as a header block (MessageDelivery answers 554 5.6.0).
        outcome = 'refused: not in Internet Message Format'
    else:
        outcome = 'relayed'
    return {
        'octets': len(data),
        'lineEnds': 'cr' if bare_cr and not bare_lf and b'\r\n' not in data else ('crlf' if not bare_lf else ('lf' if b'\r\n' not in data else 'mixed')),
        'has8bit': int(any(b > 127 for b in data)),
        'headers8bit': int(non_ascii_header),
        'utf8Headers': int(utf8_header),
        'hasNul': int(b'\x00' in data),
        'hasMboxFromLine': int(data.startswith(b'From ')),
        'lineOver998': int(longest > 998),
        'longestLine': longest,
        'bareLf': int(bare_lf),
        'bareCr': int(bare_cr),
        'headerBlockBytes': len(header),
        'maxHeaderBytes': max((len(f) for f in fields), default=0),
        'expected': outcome,
    }


def main():
    for name in os.listdir(OUT):
        if name.endswith('.eml'):
            os.remove(os.path.join(OUT, name))
    rows, provenance, counters = [], {}, {}
    for key, repo, licence, patterns in SOURCES:
        commit = git(repo, 'rev-parse', 'HEAD').decode().strip()
        provenance.setdefault(key, (repo, commit, licence))
        with open(os.path.join(OUT, 'licenses', key + '.txt'), 'wb') as f:
            f.write(git(repo, 'show', f'{commit}:{licence}'))
        listing = git(repo, 'ls-tree', '-r', '-l', commit).decode().splitlines()
        paths = sorted(l.split('\t', 1)[1] for l in listing if l.split()[3] != '-' and l.split()[3] != '0')
        for path in paths:
            if not any(re.search(p, path) for p in patterns) or path.endswith('.gitattributes') or path.endswith('README.md'):
                continue
            try:
                data = git(repo, 'show', f'{commit}:{path}')
            except subprocess.CalledProcessError:
                continue  # listed but absent from the snapshot
            if data.startswith(b'version https://git-lfs') or not data.strip():
                continue
            pieces = mbox_pieces(repo, commit, path, data) if path.endswith('.mbox.txt') else [(path, data)]
            for original, piece in pieces:
                counters[key] = counters.get(key, 0) + 1
                name = f'{key}-{counters[key]:03d}.eml'
                with open(os.path.join(OUT, name), 'wb') as f:
                    f.write(piece)
                rows.append({'file': name, 'source': repo, 'commit': commit, 'originalPath': original, **properties(piece)})
    with open(os.path.join(OUT, 'manifest.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator='\n')
        writer.writeheader()
        writer.writerows(rows)
    for key, count in counters.items():
        print(key, count, *provenance[key])
    print('total', len(rows))


main()
