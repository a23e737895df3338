# Prints, for each sample named on the command line, the facts sisimai reads in it (one JSON line per file).
# Used by make-corpus.py; needs sisimai (sisimai/p5-sisimai lib/) on @INC.
use strict; use warnings; use Sisimai; use JSON::PP;
my $j = JSON::PP->new->canonical;
for my $f (@ARGV) {
  my $facts = eval { Sisimai->rise($f, 'delivered' => 1, 'vacation' => 1) } || [];
  my @out = map { { r => $_->reason, to => $_->recipient->address, alias => $_->alias // "", hb => $_->hardbounce ? 1:0, st => $_->deliverystatus, rc => $_->replycode, agent => $_->smtpagent, ft => $_->feedbacktype, diag => substr($_->diagnosticcode // '',0,160) } } @$facts;
  my $name = $f; $name =~ s|.*/||;
  print $j->encode({ file => $name, facts => \@out }), "\n";
}
