"""The benchmark's address space: address(i) is a realistic mailbox (first.last<i>@<one of ten
mailbox providers>), distinct for every i, so the load client can name a suppressed recipient
(i < the number imported) or one that is not (i >= it) without reading the imported file back.

Run as a script it writes rows [start, start + count) as a SendGrid global-unsubscribes export
(email,created) to stdout, fast enough to stream straight into curl -T -.
"""
import sys

FIRST = ("anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "ines", "jonas", "karin", "liam",
         "maria", "noah", "olga", "paul", "quinn", "rosa", "sven", "tina", "umar", "vera", "walter", "xenia",
         "yusuf", "zoe", "alex", "chris", "sam", "kim", "lee", "robin")
LAST = ("smith", "muller", "garcia", "rossi", "dubois", "jansen", "nowak", "silva", "kowalski", "schmidt",
        "brown", "martin", "lopez", "bianchi", "moreau", "devries", "novak", "santos", "wagner", "dan",
        "fischer", "weber", "meyer", "becker", "hoffmann", "schulz", "koch", "richter", "klein", "wolf")
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "gmx.de",
           "web.de", "orange.fr", "comcast.net")


def address(i):
    return f"{FIRST[i % 32]}.{LAST[i // 32 % 30]}{i}@{DOMAINS[i // 960 % 10]}"


def write_csv(start, count, out):
    out.write("email,created\n")
    step = 10000
    for first in range(start, start + count, step):
        last = min(first + step, start + count)
        out.write("".join(f"{address(i)},{1700000000 + i % 10000000}\n" for i in range(first, last)))


if __name__ == "__main__":
    write_csv(int(sys.argv[1]), int(sys.argv[2]), sys.stdout)
